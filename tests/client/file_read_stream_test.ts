// The abort rule of FileReadStream: the caller's signal cancels the body it reads and errors the
// stream with the signal's reason, even while a read waits on a body that sends nothing. A body
// of our own stands in for the download: the rule is about what the stream does with its body.
import assert from "node:assert/strict";
import { FileReadStream } from "../../src/volumes/file_read_stream.ts";

Deno.test("FileReadStream: an abort during a read cancels the body and errors with the reason", async () => {
  let cancelled: unknown;
  const silent = new ReadableStream<Uint8Array>({
    cancel: (reason) => void (cancelled = reason),
  });
  const controller = new AbortController();
  const stream = new FileReadStream(() => Promise.resolve(silent), controller.signal);
  const reader = stream.getReader();
  const reading = reader.read();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const reason = new Error("the caller gave up");
  controller.abort(reason);
  await assert.rejects(reading, (error) => error === reason);
  assert.equal(cancelled, reason);
});
