// Each detector of the soak catches what it is for, fed by hand.

import assert from "node:assert/strict";
import { failedAnswer, typedError } from "../../soak/_answer.ts";
import { withDeadline } from "../../soak/_deadline.ts";
import { Failures } from "../../soak/_failures.ts";
import { keyForms, KeyScanner, KeyWatch } from "../../soak/_key_scan.ts";
import { LogLedger } from "../../soak/_log_ledger.ts";
import { MAX_GROWTH, type MemorySample, memoryVerdict } from "../../soak/_memory.ts";

const KEY = 'msb_soak_0123abcd/+="';

Deno.test("soak key scan finds the key raw, JSON-escaped, percent-encoded and base64, across chunks", () => {
  const encoder = new TextEncoder();
  for (const form of keyForms(KEY)) {
    const text = encoder.encode(`{"note":"${form}"}`);
    for (const cut of [1, 5, text.byteLength - 3]) {
      const scanner = new KeyScanner(keyForms(KEY));
      scanner.feed(text.subarray(0, cut));
      assert.equal(scanner.feed(text.subarray(cut)), form, `${form} cut at ${cut}`);
    }
  }
  assert.ok(keyForms(KEY).includes(encodeURIComponent(KEY)));
  assert.ok(keyForms(KEY).includes(JSON.stringify(KEY).slice(1, -1)));
  const failures = new Failures();
  const scan = new KeyWatch(KEY, failures).scanner("answer");
  scan("nothing to see");
  assert.equal(failures.total, 0);
  scan(`via=${encodeURIComponent(KEY)}`);
  assert.deepEqual([...failures.counts], [["key_leak", 1]]);
  assert.match(failures.kept[0]!.what, /percent-encoded/);
});

Deno.test("soak log ledger catches a repeated entry, a repeated line, a gap and lines that never came", () => {
  const failures = new Failures();
  const ledger = new LogLedger("log", failures);
  ledger.printing("a-1", 4);
  ledger.completed("a-1");
  ledger.entry("c1", "7", "Ta-1#1\nTa-1#");
  ledger.entry("c2", "7", "2\n");
  assert.equal(failures.total, 0, "a line split across entries is one line");
  ledger.entry("c2", "7", "2\n");
  ledger.entry("c3", "7", "Ta-1#3\n");
  ledger.entry("c4", "7", "Ta-1#2\n");
  ledger.entry("c5", "7", "Ta-1#4\n");
  assert.equal(ledger.missing(), 0);
  ledger.printing("a-2", 3);
  ledger.completed("a-2");
  ledger.entry("c6", "8", "Ta-2#1\nTa-2#3\n");
  ledger.printing("a-3", 2);
  ledger.completed("a-3");
  ledger.settle();
  const messages = failures.kept.map((failure) => failure.what);
  assert.deepEqual(
    failures.kept.map((failure) => failure.detector),
    Array(4).fill("lost_or_repeated_log"),
  );
  assert.match(messages[0]!, /entry c2 came twice/);
  assert.match(messages[1]!, /Ta-1#2 came again/);
  assert.match(messages[2]!, /Ta-2#2\.\.2 lost/);
  assert.match(messages[3]!, /Ta-3#1\.\.2 never came/);
});

Deno.test("soak log ledger asks nothing of commands that did not complete", () => {
  const failures = new Failures();
  const ledger = new LogLedger("log", failures);
  ledger.printing("b-1", 10);
  ledger.entry("c1", "1", "Tb-1#1\nTb-1#2\n");
  ledger.settle();
  assert.equal(failures.total, 0);
});

Deno.test("soak answer check refuses what is not a typed error of the expected code and status", async () => {
  const failures = new Failures();
  const error = (code: string, message = "m") => ({ error: { code, message } });
  assert.deepEqual(typedError(error("timeout"), 504, ["timeout"], "a", failures), {
    code: "timeout",
    message: "m",
  });
  assert.equal(typedError(error("timeout"), 500, ["timeout"], "status", failures), undefined);
  assert.equal(typedError(error("internal"), 500, ["timeout"], "unexpected", failures), undefined);
  assert.equal(typedError(error("teapot"), 418, ["timeout"], "unknown", failures), undefined);
  assert.equal(
    typedError(error("timeout", ""), 504, ["timeout"], "no message", failures),
    undefined,
  );
  const text = new Response("boom", { status: 500 });
  assert.equal(await failedAnswer(text, ["internal"], "text", failures), undefined);
  assert.deepEqual(failures.kept.map((failure) => [failure.detector, failure.what.split(":")[0]]), [
    ["untyped_error", "status"],
    ["untyped_error", "unexpected"],
    ["untyped_error", "unknown"],
    ["untyped_error", "no message"],
    ["untyped_error", "text"],
  ]);
});

Deno.test("soak deadline reports a hang with its last step and aborts it", async () => {
  const failures = new Failures();
  let aborted = false;
  await assert.rejects(
    withDeadline(failures, "stuck stream", 50, (signal, progress) => {
      progress.step = "reading events";
      signal.addEventListener("abort", () => aborted = true);
      return new Promise(() => {});
    }),
    { name: "Hung" },
  );
  assert.ok(aborted);
  assert.deepEqual([...failures.counts], [["hang", 1]]);
  assert.match(failures.kept[0]!.what, /stuck stream: no end after 50 ms \(at: reading events\)/);
  assert.equal(await withDeadline(failures, "quick", 10_000, () => Promise.resolve(7)), 7);
  assert.equal(failures.total, 1);
});

Deno.test("soak memory check passes a flat server and fails one that grows", () => {
  const windows = { first: [10, 60], last: [100, 120] } as {
    first: [number, number];
    last: [number, number];
  };
  const run = (grow: (at: number) => number) => {
    const failures = new Failures();
    const samples: MemorySample[] = [];
    for (let at = 0; at <= 120; at++) {
      const noise = (at % 7) * 1024 * 1024;
      samples.push({
        at,
        rss: 100 * 2 ** 20 + noise + grow(at),
        heapUsed: 30 * 2 ** 20 + grow(at),
      });
    }
    const verdict = memoryVerdict(samples, windows, failures);
    return { failures, verdict };
  };
  const flat = run(() => 0);
  assert.equal(flat.failures.total, 0);
  assert.ok(Math.abs(flat.verdict!.growth.rss) < 8 * 2 ** 20);
  const leaking = run((at) => at * MAX_GROWTH.rss / 40);
  assert.deepEqual([...leaking.failures.counts], [["memory_growth", 2]]);
  const short = memoryVerdict([{ at: 1, rss: 1, heapUsed: 1 }], windows, new Failures());
  assert.equal(short, undefined);
});
