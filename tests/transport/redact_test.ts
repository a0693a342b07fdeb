import assert from "node:assert/strict";
import { redact } from "../../src/transport/_redact.ts";

Deno.test("redact leaves words that merely contain a one-letter key", () => {
  assert.equal(redact("blocked: the kernel keeps k8s", "k"), "blocked: the kernel keeps k8s");
  assert.equal(redact("k", "k"), "[redacted]");
  assert.equal(redact("k blocked k", "k"), "[redacted] blocked [redacted]");
});

Deno.test("redact replaces the key in a header, a URL, a JSON string and a sentence", () => {
  const key = "msb_live_3f9a";
  assert.equal(redact(`Authorization: Bearer ${key}`, key), "Authorization: Bearer [redacted]");
  assert.equal(
    redact(`https://msb.test/v1?key=${key}&x=1#${key}`, key),
    "https://msb.test/v1?key=[redacted]&x=1#[redacted]",
  );
  assert.equal(redact(JSON.stringify({ key }), key), '{"key":"[redacted]"}');
  assert.equal(redact(`bad key ${key}.`, key), "bad key [redacted].");
  assert.equal(redact(`(${key})\n${key}`, key), "([redacted])\n[redacted]");
});

Deno.test("redact leaves a longer run of key characters that holds the key", () => {
  const key = "msb_abc";
  for (const text of ["xmsb_abc", "msb_abc1", "msb_abc-2", "_msb_abc", "msb_abcmsb_abc"]) {
    assert.equal(redact(text, key), text);
  }
});

Deno.test("redact handles overlapping and repeated occurrences", () => {
  assert.equal(redact("aa aaa aa", "aa"), "[redacted] aaa [redacted]");
  assert.equal(redact("k,k,k", "k"), "[redacted],[redacted],[redacted]");
  assert.equal(redact("nothing here", "msb_k"), "nothing here");
  assert.equal(redact("text", ""), "text");
});
