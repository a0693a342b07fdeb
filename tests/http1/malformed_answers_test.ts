// Every malformed answer is a ProtocolError (kind "Protocol"), whether it breaks the head (the
// exchange rejects) or the body (reading it rejects), and the socket is closed after it.
import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import { fetchHttp1 } from "../../src/http1/mod.ts";
import { connectTo, rawServer, writeText } from "./_servers.ts";

/** Where the error shows: the exchange itself, or the body. */
type Stage = "head" | "body";

/** Exchanges with a raw server writing `answer`, and checks the ProtocolError it ends in. */
async function assertMalformed(
  answer: string,
  stage: Stage,
  message: RegExp,
  options: { maxHeadSize?: number } = {},
): Promise<void> {
  await using server = rawServer(({ conn }) => writeText(conn, answer, 7));
  const socket = await connectTo(server.port);
  const request = new Request(`http://127.0.0.1:${server.port}/`);
  let seenAt: Stage = "head";
  const error = await (async () => {
    try {
      const response = await fetchHttp1(socket, request, options);
      seenAt = "body";
      await response.arrayBuffer();
    } catch (error) {
      return error;
    }
    assert.fail(`no error for ${JSON.stringify(answer.slice(0, 60))}`);
  })();
  assert.ok(error instanceof ProtocolError, `${error}`);
  assert.equal(error.kind, "Protocol");
  assert.match(error.message, message);
  assert.equal(seenAt, stage, `the error showed at the ${seenAt}`);
  assert.ok(socket.wasClosed, "the socket was not closed");
}

const OK = "HTTP/1.1 200 OK\r\n";

Deno.test("fetchHttp1 refuses an invalid status line", async () => {
  for (
    const line of [
      "HTTP/2 200 OK",
      "HTTP/1.1 20 OK",
      "HTTP/1.1 2000 OK",
      "http/1.1 200 OK",
      "SSH-2.0",
    ]
  ) {
    await assertMalformed(`${line}\r\n\r\n`, "head", /invalid status line/);
  }
  await assertMalformed("HTTP/1.1 200 O\x01K\r\n\r\n", "head", /invalid status line/);
});

Deno.test("fetchHttp1 refuses a status a Response cannot carry", async () => {
  await assertMalformed("HTTP/1.1 600 Beyond\r\n\r\n", "head", /invalid status code 600/);
  await assertMalformed("HTTP/1.1 099 Low\r\n\r\n", "head", /invalid status code 99/);
});

Deno.test("fetchHttp1 refuses 101 Switching Protocols, as no upgrade was asked", async () => {
  await assertMalformed("HTTP/1.1 101 Switching Protocols\r\n\r\n", "head", /no upgrade was asked/);
});

Deno.test("fetchHttp1 refuses an obs-fold line", async () => {
  await assertMalformed(`${OK}X-A: 1\r\n  continued\r\n\r\n`, "head", /obs-fold/);
});

Deno.test("fetchHttp1 refuses whitespace before a colon, a missing colon and a bad name", async () => {
  await assertMalformed(`${OK}X-A : 1\r\n\r\n`, "head", /invalid field name "X-A "/);
  await assertMalformed(`${OK}X-A\r\n\r\n`, "head", /without a colon/);
  await assertMalformed(`${OK}X(A): 1\r\n\r\n`, "head", /invalid field name/);
  await assertMalformed(`${OK}: 1\r\n\r\n`, "head", /invalid field name ""/);
});

Deno.test("fetchHttp1 refuses control characters in a value and a bare CR", async () => {
  await assertMalformed(
    `${OK}X-A: a\x00b\r\n\r\n`,
    "head",
    /control character in the value of X-A/,
  );
  await assertMalformed(`${OK}X-A: a\x7fb\r\n\r\n`, "head", /control character/);
  await assertMalformed(`${OK}X-A: a\rb\r\n\r\n`, "head", /bare CR/);
});

Deno.test("fetchHttp1 refuses conflicting or invalid Content-Length", async () => {
  await assertMalformed(
    `${OK}Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc`,
    "head",
    /conflicting/,
  );
  await assertMalformed(`${OK}Content-Length: 2, 3\r\n\r\nabc`, "head", /conflicting/);
  await assertMalformed(`${OK}Content-Length: -1\r\n\r\n`, "head", /invalid Content-Length/);
  await assertMalformed(`${OK}Content-Length: 0x10\r\n\r\n`, "head", /invalid Content-Length/);
  await assertMalformed(`${OK}Content-Length:\r\n\r\n`, "head", /invalid Content-Length ""/);
  await assertMalformed(`${OK}Content-Length: 9999999999999999\r\n\r\n`, "head", /invalid/);
});

Deno.test("fetchHttp1 refuses Transfer-Encoding with Content-Length", async () => {
  const answer = `${OK}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`;
  await assertMalformed(answer, "head", /both Transfer-Encoding and Content-Length/);
});

Deno.test("fetchHttp1 refuses a transfer-coding other than chunked alone", async () => {
  for (const coding of ["gzip, chunked", "chunked, chunked", "gzip", "identity", ""]) {
    const answer = `${OK}Transfer-Encoding: ${coding}\r\n\r\n`;
    await assertMalformed(answer, "head", /unsupported Transfer-Encoding/);
  }
  const split = `${OK}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n`;
  await assertMalformed(split, "head", /unsupported Transfer-Encoding "gzip, chunked"/);
});

Deno.test("fetchHttp1 refuses a head larger than maxHeadSize, interim heads included", async () => {
  const big = `${OK}X-Big: ${"b".repeat(70_000)}\r\n\r\n`;
  await assertMalformed(big, "head", /response head is longer than 65536 bytes/);
  const small = `${OK}X-Big: ${"b".repeat(200)}\r\n\r\n`;
  await assertMalformed(small, "head", /longer than 128 bytes/, { maxHeadSize: 128 });
  const interim = "HTTP/1.1 100 Continue\r\n\r\n".repeat(20) + `${OK}\r\n`;
  await assertMalformed(interim, "head", /longer than 256 bytes/, { maxHeadSize: 256 });
});

Deno.test("fetchHttp1 refuses a connection closed before or inside the head", async () => {
  await assertMalformed("", "head", /closed before a response head/);
  await assertMalformed(`${OK}X-A: 1\r\n`, "head", /closed inside the response head/);
});

Deno.test("fetchHttp1 refuses a body cut before its Content-Length", async () => {
  await assertMalformed(
    `${OK}Content-Length: 10\r\n\r\nabc`,
    "body",
    /closed 7 bytes before the end/,
  );
});

Deno.test("fetchHttp1 refuses malformed chunked bodies", async () => {
  const chunked = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
  await assertMalformed(`${chunked}zz\r\n`, "body", /invalid chunk-size line "zz"/);
  await assertMalformed(`${chunked}\r\n`, "body", /invalid chunk-size line ""/);
  await assertMalformed(`${chunked}-1\r\n`, "body", /invalid chunk-size line/);
  await assertMalformed(`${chunked}5;a\x01\r\nhello\r\n0\r\n\r\n`, "body", /invalid chunk-size/);
  await assertMalformed(`${chunked}${"f".repeat(14)}\r\n`, "body", /chunk size too large/);
  await assertMalformed(`${chunked}1;${"e".repeat(5000)}\r\n`, "body", /chunk-size line is longer/);
  await assertMalformed(`${chunked}2\r\nabc\r\n0\r\n\r\n`, "body", /CRLF after a chunk's data/);
  await assertMalformed(`${chunked}2\r\nab\r\n0\r\nbad trailer\r\n\r\n`, "body", /trailer/);
  const trailers = `${chunked}0\r\nX-T: ${"t".repeat(300)}\r\n\r\n`;
  await assertMalformed(trailers, "body", /trailer section is longer than 256/, {
    maxHeadSize: 256,
  });
});

Deno.test("fetchHttp1 refuses a chunked body cut short", async () => {
  const chunked = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
  for (const cut of ["5\r\nhel", "5\r\nhello\r\n", "5\r\nhello\r\n0\r\n", "5"]) {
    await assertMalformed(chunked + cut, "body", /closed inside the chunked body/);
  }
});
