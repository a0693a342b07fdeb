import assert from "node:assert/strict";
import {
  mayHold,
  redact,
  redactBounded,
  redactingReviver,
  redactionMargin,
} from "../../src/transport/_redact.ts";

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

const KEY = "msb_Zq8x-41";

Deno.test("redact replaces the key JSON-escaped, in any mix of escapes and either hex case", () => {
  const forms = [
    "\\u006dsb_Zq8x-41",
    "\\u006Dsb_Zq8x-41",
    "\\u006d\\u0073\\u0062\\u005f\\u005a\\u0071\\u0038\\u0078\\u002d\\u0034\\u0031",
    "m\\u0073b\\u005FZ\\u0071" + "8x\\u002D41",
  ];
  for (const form of forms) {
    assert.equal(redact(`{"message":"bad key ${form}"}`, KEY), '{"message":"bad key [redacted]"}');
  }
});

Deno.test("redact replaces the key percent-encoded, in either case and mixed with plain text", () => {
  for (const form of ["%6Dsb_Zq8x-41", "%6dsb%5fZq8x-41", "%6D%73%62%5F%5A%71%38%78%2D%34%31"]) {
    assert.equal(redact(`GET /v1?key=${form}&x=1`, KEY), "GET /v1?key=[redacted]&x=1");
  }
});

Deno.test("redact judges the whole-occurrence rule on decoded neighbours", () => {
  // An escape before the key decodes to a separator: the key stands alone.
  for (const before of ["\\u0020", "%20", "%0A", "\\n", "\\t", "%C2%A0"]) {
    assert.equal(redact(`${before}${KEY}`, KEY), `${before}[redacted]`);
  }
  // An escape of a key character, or a plain one, glues it to a longer word.
  for (const text of [`\\u0041${KEY}`, `%41${KEY}`, `x${KEY}`, `${KEY}x`, `x\\u006dsb_Zq8x-41`]) {
    assert.equal(redact(text, KEY), text);
  }
  assert.equal(redact("bloc%6Bed \\u006b", "k"), "bloc%6Bed [redacted]");
  assert.equal(redact("blocked", "k"), "blocked");
});

Deno.test("redact keeps plain characters case-sensitive while escapes take either case", () => {
  assert.equal(redact("MSB_ZQ8X-41", KEY), "MSB_ZQ8X-41");
  assert.equal(redact("%6DSB_Zq8x-41", KEY), "%6DSB_Zq8x-41");
});

Deno.test("redactBounded never leaves part of the key at the cut", () => {
  const bound = 64;
  for (let before = 40; before < 70; before++) {
    for (const form of [KEY, "\\u006dsb_Zq8x-41", "%6Dsb_Zq8x-41"]) {
      const body = " ".repeat(before) + form + " tail".repeat(40);
      const window = body.slice(0, bound + redactionMargin(KEY));
      const kept = redactBounded(window, KEY, bound, window.length === body.length);
      assert.ok(new TextEncoder().encode(kept).byteLength <= bound, kept);
      for (let n = 4; n <= form.length; n++) {
        assert.ok(!kept.includes(form.slice(0, n)), `${before}: ${kept}`);
      }
      assert.ok(!kept.includes("msb_") && !kept.includes("%6Dsb") && !kept.includes("u006dsb"));
    }
  }
  assert.equal(redactBounded(`a ${KEY} b`, KEY, 1024, true), "a [redacted] b");
  assert.equal(redactBounded("ééé", KEY, 5, true), "éé");
});

Deno.test("redactingReviver redacts every string and every key of a decoded answer", () => {
  const text = '{"labels":{"\\u006dsb_Zq8x-41":"%6Dsb_Zq8x-41"},"last":"x msb_Zq8x-41",' +
    '"list":["msb_Zq8x-41",1,null],"__proto__":"msb_Zq8x-41","ok":"kept"}';
  const value = JSON.parse(text, redactingReviver(KEY));
  assert.deepEqual(value.labels, { "[redacted]": "[redacted]" });
  assert.equal(value.last, "x [redacted]");
  assert.deepEqual(value.list, ["[redacted]", 1, null]);
  assert.equal(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, "[redacted]");
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(value.ok, "kept");
});

Deno.test("mayHold finds every form of the key, and nothing in text without it", () => {
  const key = "msb_k3y";
  assert.equal(mayHold('{"data":[{"name":"build-42"}]}', key), false);
  assert.equal(mayHold("", key), false);
  assert.equal(mayHold("msb_k3y", ""), false);
  for (const form of ["msb_k3y", "\\u006dsb_k3y", "%6D%73%62_k3y", "msb\\u005Fk%33y"]) {
    assert.equal(mayHold(`{"last_error":"${form}"}`, key), true, form);
    // The scan leaves no state behind: the same answer twice.
    assert.equal(mayHold(`{"last_error":"${form}"}`, key), true, form);
  }
});
