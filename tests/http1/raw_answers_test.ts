// fetchHttp1 against a raw Deno.listen server that writes hand-made answers: chunked bodies with
// extensions and trailers, close-delimited bodies, interim 1xx heads, obs-text, all written at
// several piece sizes down to 1 byte (so every boundary falls between two socket reads).
import assert from "node:assert/strict";
import { fetchHttp1 } from "../../src/http1/mod.ts";
import { connectTo, rawServer, writeText } from "./_servers.ts";

const SIZES = [1, 3, 64, Infinity];

/** The response to a GET to a raw server that writes `answer` in pieces of `size` bytes. */
async function answered(answer: string, size: number, init?: RequestInit): Promise<Response> {
  await using server = rawServer(({ conn }) => writeText(conn, answer, size));
  const socket = await connectTo(server.port);
  return await fetchHttp1(socket, new Request(`http://127.0.0.1:${server.port}/`, init));
}

/** Status, reason, the headers and the body text of `response`. */
async function summary(response: Response): Promise<[number, string, [string, string][], string]> {
  return [response.status, response.statusText, [...response.headers], await response.text()];
}

Deno.test("fetchHttp1 decodes a chunked body with extensions and trailers at every split", async () => {
  const answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n" +
    '5;name=value;x\r\nhello\r\n1 ; ext="q"\r\n \r\n00000005\r\nworld\r\nA\r\n0123456789\r\n' +
    "0\r\nX-Trailer: dropped\r\n\r\n";
  for (const size of SIZES) {
    const [status, , headers, body] = await summary(await answered(answer, size));
    assert.equal(status, 200);
    assert.deepEqual(headers, [["transfer-encoding", "chunked"], ["x-a", "1"]]);
    assert.equal(body, "hello world0123456789", `at piece size ${size}`);
  }
});

Deno.test("fetchHttp1 reads a close-delimited body to the end of the connection", async () => {
  const answer = "HTTP/1.0 200 Fine\r\nContent-Type: text/plain\r\n\r\nall of this\r\nuntil close";
  for (const size of SIZES) {
    const [status, reason, , body] = await summary(await answered(answer, size));
    assert.deepEqual([status, reason, body], [200, "Fine", "all of this\r\nuntil close"]);
  }
});

Deno.test("fetchHttp1 skips interim 100 and 103 heads", async () => {
  const answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" +
    "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  for (const size of SIZES) {
    const [status, reason, headers, body] = await summary(await answered(answer, size));
    assert.deepEqual([status, reason, headers, body], [
      201,
      "Created",
      [["content-length", "2"]],
      "ok",
    ]);
  }
});

Deno.test("fetchHttp1 accepts bare LF line ends, no reason phrase, and trims field values", async () => {
  const answer = "HTTP/1.1 200\nX-Spaced: \t padded \t\nContent-Length: 3\n\nabc";
  for (const size of SIZES) {
    const [status, reason, headers, body] = await summary(await answered(answer, size));
    assert.deepEqual([status, reason, body], [200, "", "abc"]);
    assert.deepEqual(headers, [["content-length", "3"], ["x-spaced", "padded"]]);
  }
});

Deno.test("fetchHttp1 keeps obs-text in values and agreeing repeated Content-Length", async () => {
  const answer = "HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\nContent-Length: 2, 2\r\n" +
    "Content-Length: 2\r\n\r\nhi";
  const response = await answered(answer, Infinity);
  assert.equal(response.headers.get("x-latin"), "caf\u00e9");
  assert.equal(await response.text(), "hi");
});

Deno.test("fetchHttp1 ignores the bytes after a complete response", async () => {
  const answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 500 Extra\r\n\r\n";
  assert.equal(await (await answered(answer, 1)).text(), "hi");
});

Deno.test("fetchHttp1 ignores a body framing on a HEAD answer", async () => {
  const answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const response = await answered(answer, Infinity, { method: "HEAD" });
  assert.deepEqual([response.status, response.body], [200, null]);
});
