import assert from "node:assert/strict";
import { LogCursor } from "../../src/logs/log_cursor.ts";
import { LogEntry } from "../../src/logs/log_entry.ts";

const fields = {
  timestamp: new Date("2026-11-28T10:00:00Z"),
  source: "stdout",
  sessionId: 3,
  cursor: LogCursor.EMPTY,
} as const;

Deno.test("LogEntry built from text gives its UTF-8 bytes, converted once", () => {
  const entry = new LogEntry({ ...fields, text: "héllo ✓\n" });
  assert.equal(entry.text(), "héllo ✓\n");
  assert.deepEqual(entry.data, new TextEncoder().encode("héllo ✓\n"));
  assert.equal(entry.data, entry.data);
});

Deno.test("LogEntry built from bytes gives their text, invalid UTF-8 as U+FFFD", () => {
  const entry = new LogEntry({ ...fields, data: new Uint8Array([0x68, 0x69, 0xff, 0x0a]) });
  assert.equal(entry.text(), "hi\uFFFD\n");
  assert.deepEqual(entry.data, new Uint8Array([0x68, 0x69, 0xff, 0x0a]));
});
