// Browsers that leave the adapter's streamed exec (NDJSON and SSE) while the command prints: the
// process is killed and the sandbox's exec socket closed, as the local cloud counts them.
import assert from "node:assert/strict";
import { assertExecReleased, until } from "../http/_released.ts";
import { ACME, appSetup, json, running } from "./_app.ts";

const PRINTING = { cmd: "sh", args: ["-c", "while :; do echo tick; sleep 0.01; done"] };
const ACCEPT = { ndjson: "application/x-ndjson", sse: "text/event-stream" } as const;

/** Starts a streamed exec and reads until its first output event. */
async function firstOutput(url: string, format: keyof typeof ACCEPT) {
  const response = await fetch(url, {
    ...json(ACME, PRINTING),
    headers: { ...ACME, "content-type": "application/json", accept: ACCEPT[format] },
  });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes('"type":"stdout"')) {
    const { done, value } = await reader.read();
    assert.ok(!done, `the stream ended early: ${text}`);
    text += value;
  }
  return reader;
}

for (const format of ["ndjson", "sse"] as const) {
  Deno.test(`exec route (${format}): a client that leaves while the command prints gets its process killed and its socket closed`, async () => {
    await using app = await appSetup();
    await running(app.env, "acme-box");
    const reader = await firstOutput(`${app.base}/acme-box/exec`, format);
    assert.equal(app.env.cloud.processes().length, 1);
    await reader.cancel();
    await assertExecReleased(app.env.cloud, "sh");
  });
}

Deno.test("exec route: 20 streaming clients (NDJSON and SSE) leave together while their commands print, and every process and socket ends", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const formats = Array.from({ length: 20 }, (_, i) => i % 2 ? "sse" as const : "ndjson" as const);
  const readers = await Promise.all(
    formats.map((format) => firstOutput(`${app.base}/acme-box/exec`, format)),
  );
  await until(() => app.env.cloud.processes().length === 20, "20 commands run");
  await Promise.all(readers.map((reader) => reader.cancel()));
  await assertExecReleased(app.env.cloud, "sh");
});
