import assert from "node:assert/strict";
import { InvalidConfigError } from "../../mod.ts";
import { encodePathSegment } from "../../src/transport/_path.ts";

Deno.test("encodePathSegment keeps unreserved characters and encodes the rest in upper-case hex", () => {
  assert.equal(encodePathSegment("Az09-._~"), "Az09-._~");
  assert.equal(encodePathSegment("../etc"), "..%2Fetc");
  assert.equal(encodePathSegment("a%2Fb"), "a%252Fb");
  assert.equal(encodePathSegment("with space"), "with%20space");
  assert.equal(encodePathSegment("ünï😀"), "%C3%BCn%C3%AF%F0%9F%98%80");
  assert.equal(encodePathSegment("a?b#c&d=e+f"), "a%3Fb%23c%26d%3De%2Bf");
});

Deno.test("encodePathSegment refuses names that URL parsers would resolve away", () => {
  for (const name of ["", ".", ".."]) {
    assert.throws(() => encodePathSegment(name), InvalidConfigError, name);
  }
});
