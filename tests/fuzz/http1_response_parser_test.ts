// Http1ResponseParser and fetchHttp1 on random valid responses (interim 1xx heads, reason phrases
// with obs-text or none, fields with optional whitespace, CRLF or bare LF line ends, bodies by
// Content-Length, chunked with random sizes, hex case, leading zeros, extensions and trailers, or
// to the close; HEAD, 204, 205 and 304 with a framing field but no body), cut at random points,
// and on mutations of them (bit flips, inserted, deleted and duplicated bytes, truncation).
//
// A valid response decodes to exactly the reference the generator wrote down, through the push
// parser and through fetchHttp1 over an in-memory socket. Any input ends, through both, in a
// result or a ProtocolError and nothing else (no TypeError from Headers or Response, no
// RangeError), the parser never reports more body bytes than it was fed, and a parser that took
// `end()` without an error has reported its end exactly once. A hang would show as a test that
// never ends: every input is finite and fed whole before the streams close.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolError } from "../../src/errors.ts";
import { fetchHttp1, type Http1ResponseHead, Http1ResponseParser } from "../../src/http1/mod.ts";
import { applyCuts, cuts } from "./_chunking.ts";
import { mutate, mutation } from "./_mutation.ts";
import { fuzz } from "./_fuzz.ts";

/** What a response decodes to. */
interface Decoded {
  informational: number[];
  status: number;
  statusText: string;
  headers: [string, string][];
  body: number[];
}

/** A generated response: its bytes, the request method, and what they must decode to. */
interface Case {
  bytes: Uint8Array;
  method: string;
  expected: Decoded;
}

const NAMES = [
  "X-A",
  "Set-Cookie",
  "Content-Type",
  "x-b",
  "Accept-Ranges",
  "Etag",
  "A!#$%&'*+-.^_`|~9",
];
const VALUE_PARTS = ["a", "1", " ", "\t", "caf\u00e9", "\u00ff", '"q"', ",", ";", "=", "x y"];
const OWS = ["", " ", "\t", "  "];
const EOL = fc.constantFrom("\r\n", "\n");

/** A field value without surrounding whitespace. */
const value = fc.array(fc.constantFrom(...VALUE_PARTS), { maxLength: 4 })
  .map((parts) => parts.join("").replace(/^[\t ]+|[\t ]+$/g, ""));

/** A field: its name and trimmed value, and its line with random optional whitespace. */
const field = fc.tuple(
  fc.constantFrom(...NAMES),
  value,
  fc.constantFrom(...OWS),
  fc.constantFrom(...OWS),
)
  .map(([name, text, before, after]) => ({
    pair: [name, text] as [string, string],
    line: `${name}:${before}${text}${after}`,
  }));

/** A head: status line and fields, each line with its own end. */
function head(
  status: number,
  reason: string | undefined,
  fields: { line: string }[],
  eols: string[],
) {
  const statusLine = `HTTP/1.1 ${status}${reason === undefined ? "" : ` ${reason}`}`;
  const lines = [statusLine, ...fields.map((f) => f.line), ""];
  return lines.map((line, at) => line + (eols[at % eols.length] ?? "\r\n")).join("");
}

const reason = fc.option(fc.constantFrom("OK", "", "Fine Thing", "caf\u00e9", "a\tb"), {
  nil: undefined,
});

const interim = fc.record({
  status: fc.constantFrom(100, 102, 103, 150, 199),
  reason,
  fields: fc.array(field, { maxLength: 2 }),
  eols: fc.array(EOL, { minLength: 1, maxLength: 3 }),
});

/** A chunked encoding of `body`: random chunk sizes, hex case, zeros, extensions, trailers. */
const chunking = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 8 }),
  upper: fc.boolean(),
  zeros: fc.nat(3),
  ext: fc.constantFrom("", ";a", ";a=b", ' ; name="v"', ";x;y=1"),
  trailers: fc.array(field, { maxLength: 2 }),
  eol: EOL,
});

type Chunking = typeof chunking extends fc.Arbitrary<infer T> ? T : never;

function chunked(
  body: Uint8Array,
  how: Chunking,
): string {
  let text = "";
  let at = 0;
  let index = 0;
  while (at < body.length) {
    const size = Math.min(
      how.sizes[index++ % Math.max(how.sizes.length, 1)] ?? body.length,
      body.length - at,
    );
    const hex = size.toString(16);
    text += "0".repeat(how.zeros) + (how.upper ? hex.toUpperCase() : hex) + how.ext + how.eol;
    text += String.fromCharCode(...body.subarray(at, at + size)) + how.eol;
    at += size;
  }
  text += "0" + how.ext + how.eol;
  for (const trailer of how.trailers) text += trailer.line + how.eol;
  return text + how.eol;
}

const FINAL_STATUSES = [200, 201, 204, 205, 206, 301, 302, 304, 404, 500, 599];
const NO_BODY = new Set([204, 205, 304]);

/** A random valid response and what it decodes to. */
const response: fc.Arbitrary<Case> = fc.record({
  interims: fc.array(interim, { maxLength: 2 }),
  status: fc.constantFrom(...FINAL_STATUSES),
  reason,
  fields: fc.array(field, { maxLength: 4 }),
  eols: fc.array(EOL, { minLength: 1, maxLength: 3 }),
  method: fc.constantFrom("GET", "GET", "POST", "HEAD"),
  framing: fc.constantFrom("length", "chunked", "close"),
  chunking,
  body: fc.uint8Array({ maxLength: 60 }),
}).map(({ interims, status, reason, fields, eols, method, framing, chunking, body }) => {
  let text = interims.map((i) => head(i.status, i.reason, i.fields, i.eols)).join("");
  const framingField = framing === "length"
    ? {
      pair: ["Content-Length", `${body.length}`] as [string, string],
      line: `Content-Length: ${body.length}`,
    }
    : framing === "chunked"
    ? {
      pair: ["Transfer-Encoding", "chunked"] as [string, string],
      line: "Transfer-Encoding: chunked",
    }
    : undefined;
  const all = framingField === undefined ? fields : [...fields, framingField];
  text += head(status, reason, all, eols);
  const bodyless = method === "HEAD" || NO_BODY.has(status);
  if (!bodyless) {
    text += framing === "chunked" ? chunked(body, chunking) : String.fromCharCode(...body);
  }
  return {
    bytes: Uint8Array.from(text, (char) => char.charCodeAt(0)),
    method,
    expected: {
      informational: interims.map((i) => i.status),
      status,
      statusText: reason ?? "",
      headers: all.map((f) => f.pair),
      body: bodyless ? [] : [...body],
    },
  };
});

/** What the push parser makes of `chunks`, or the error it threw. */
function parse(
  chunks: Uint8Array[],
  method: string,
): { decoded?: Decoded; error?: unknown; fed: number; ends: number; bodyBytes: number } {
  const informational: number[] = [];
  let final: Http1ResponseHead | undefined;
  const body: number[] = [];
  let ends = 0;
  const parser = new Http1ResponseParser({
    onInformational: (h) => informational.push(h.status),
    onHead: (h) => final = h,
    onBody: (bytes) => body.push(...bytes),
    onEnd: () => ends++,
  }, { method });
  const fed = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  try {
    for (const chunk of chunks) parser.feed(chunk);
    parser.end();
  } catch (error) {
    return { error, fed, ends, bodyBytes: body.length };
  }
  assert.ok(parser.done);
  assert.ok(final !== undefined);
  const decoded = {
    informational,
    status: final.status,
    statusText: final.statusText,
    headers: final.headers,
    body,
  };
  return { decoded, fed, ends, bodyBytes: body.length };
}

/** What fetchHttp1 makes of `chunks` over an in-memory socket, or the error it ended in. */
async function exchange(chunks: Uint8Array[], method: string) {
  const socket = {
    readable: ReadableStream.from(chunks),
    writable: new WritableStream<Uint8Array>(),
    close: () => Promise.resolve(),
  };
  try {
    const response = await fetchHttp1(socket, new Request("http://sandbox/", { method }));
    const body = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers],
      body: [...body],
    };
  } catch (error) {
    return { error };
  }
}

Deno.test("Http1ResponseParser and fetchHttp1 decode random valid responses at any split", async () => {
  await fuzz(
    "HTTP/1.1 response decoder on valid responses",
    fc.asyncProperty(response, cuts(), async ({ bytes, method, expected }, where) => {
      const chunks = applyCuts(bytes, where);
      const parsed = parse(chunks, method);
      assert.equal(parsed.error, undefined);
      assert.deepEqual(parsed.decoded, expected);
      assert.equal(parsed.ends, 1);
      const got = await exchange(chunks, method);
      assert.equal(got.error, undefined);
      assert.deepEqual(got, {
        status: expected.status,
        statusText: expected.statusText,
        headers: [...new Headers(expected.headers)],
        body: expected.body,
      });
    }),
  );
});

Deno.test("Http1ResponseParser and fetchHttp1 end mutated responses in a result or a ProtocolError", async () => {
  await fuzz(
    "HTTP/1.1 response decoder on mutated responses",
    fc.asyncProperty(response, fc.array(mutation, { minLength: 1, maxLength: 3 }), cuts(), async (
      { bytes, method },
      changes,
      where,
    ) => {
      const chunks = applyCuts(mutate(bytes, changes), where);
      const parsed = parse(chunks, method);
      if (parsed.error !== undefined) {
        assert.ok(parsed.error instanceof ProtocolError, `parser threw ${parsed.error}`);
      } else {
        assert.equal(parsed.ends, 1);
      }
      assert.ok(parsed.bodyBytes <= parsed.fed);
      const got = await exchange(chunks, method);
      if ("error" in got) {
        assert.ok(got.error instanceof ProtocolError, `fetchHttp1 ended in ${got.error}`);
        assert.notEqual(parsed.error, undefined, "fetchHttp1 failed where the parser did not");
      } else {
        assert.equal(parsed.error, undefined, "fetchHttp1 succeeded where the parser failed");
        assert.equal(got.status, parsed.decoded!.status);
        assert.deepEqual(got.body, parsed.decoded!.body);
      }
    }),
  );
});
