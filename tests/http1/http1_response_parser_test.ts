// Http1ResponseParser on plain inputs, every fixture replayed at several chunk sizes down to 1
// byte: interim heads reported in order, the body handed out as views of the fed chunks, the
// end reported once, bytes after the end ignored, and every feed refused after an error.
import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import { type Http1ResponseHead, Http1ResponseParser } from "../../src/http1/mod.ts";
import { atEveryChunkSize, rechunk } from "../_chunks.ts";

const encoder = new TextEncoder();

/** The reports of a parser fed `text` in chunks of `size` bytes, then ended. */
function reports(text: string, size: number, method = "GET"): string[] {
  const seen: string[] = [];
  const describe = (h: Http1ResponseHead) => `${h.status} ${JSON.stringify(h.headers)}`;
  const parser = new Http1ResponseParser({
    onInformational: (h) => seen.push(`interim ${describe(h)}`),
    onHead: (h) => seen.push(`head ${describe(h)}`),
    onBody: (bytes) => seen.push(`body ${new TextDecoder().decode(bytes)}`),
    onEnd: () => seen.push("end"),
  }, { method });
  for (const chunk of rechunk(encoder.encode(text), size)) parser.feed(chunk);
  parser.end();
  return seen;
}

/** The reports with consecutive body pieces joined, as they depend on the chunking. */
function joined(seen: string[]): string[] {
  return seen.reduce<string[]>((out, line) => {
    const last = out.at(-1);
    if (line.startsWith("body ") && last?.startsWith("body ")) out[out.length - 1] += line.slice(5);
    else out.push(line);
    return out;
  }, []);
}

Deno.test("Http1ResponseParser reports interim heads, the head, the body and the end in order", async () => {
  const text = "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" +
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  await atEveryChunkSize((size) => {
    assert.deepEqual(joined(reports(text, size)), [
      'interim 103 [["Link","</s.css>"]]',
      'head 200 [["Content-Length","5"]]',
      "body hello",
      "end",
    ]);
    return Promise.resolve();
  });
});

Deno.test("Http1ResponseParser reports the end right after a head without a body", async () => {
  await atEveryChunkSize((size) => {
    assert.deepEqual(reports("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", size), [
      'head 304 [["Content-Length","9"]]',
      "end",
    ]);
    assert.deepEqual(reports("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", size, "head"), [
      'head 200 [["Content-Length","9"]]',
      "end",
    ]);
    return Promise.resolve();
  });
});

Deno.test("Http1ResponseParser ends a close-delimited body at end() and ignores bytes after the end", async () => {
  await atEveryChunkSize((size) => {
    assert.deepEqual(joined(reports("HTTP/1.0 200 OK\r\n\r\nto the end", size)), [
      "head 200 []",
      "body to the end",
      "end",
    ]);
    assert.deepEqual(joined(reports("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", size)), [
      'head 200 [["Content-Length","2"]]',
      "body ok",
      "end",
    ]);
    return Promise.resolve();
  });
});

Deno.test("Http1ResponseParser hands out the body as views of the fed chunk", () => {
  const views: Uint8Array[] = [];
  const parser = new Http1ResponseParser({ onHead() {}, onBody: (b) => views.push(b), onEnd() {} });
  const chunk = encoder.encode(
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  );
  parser.feed(chunk);
  assert.equal(views.length, 1);
  assert.equal(views[0]!.buffer, chunk.buffer);
  assert.ok(parser.done);
});

Deno.test("Http1ResponseParser refuses every feed after an error", () => {
  const parser = new Http1ResponseParser({ onHead() {}, onBody() {}, onEnd() {} });
  assert.throws(() => parser.feed(encoder.encode("HTTP/9 200\r\n")), /invalid status line/);
  assert.throws(
    () => parser.feed(encoder.encode("HTTP/1.1 200 OK\r\n\r\n")),
    (error: ProtocolError) =>
      error instanceof ProtocolError && /already malformed/.test(error.message),
  );
  assert.throws(() => parser.end(), ProtocolError);
});
