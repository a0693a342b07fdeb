// The response helpers' heartbeat: sent after 5 s of silence unless told otherwise, so that Bun
// (which closes a request idle for 10 s) and idle proxies keep a quiet stream open.
import assert from "node:assert/strict";
import { type StreamResponseOptions, toNdjsonResponse, toSseResponse } from "../../mod.ts";

/** A log that never has an entry. */
const silent = () => new ReadableStream<never>({ pull: () => new Promise(() => {}) });

/**
 * The first chunk of `response`, and the delays of the timers set while waiting for it: every
 * timer fires at once, so the heartbeat comes without the wait.
 */
async function firstChunk(respond: () => Response): Promise<{ text: string; delays: number[] }> {
  const delays: number[] = [];
  const original = globalThis.setTimeout;
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return original(handler, 0);
  }) as typeof setTimeout;
  try {
    const reader = respond().body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    return { text: new TextDecoder().decode(value), delays };
  } finally {
    globalThis.setTimeout = original;
  }
}

const HELPERS = [
  { name: "toSseResponse", respond: toSseResponse, heartbeat: ": heartbeat\n\n" },
  { name: "toNdjsonResponse", respond: toNdjsonResponse, heartbeat: "\n" },
];

for (const { name, respond, heartbeat } of HELPERS) {
  Deno.test(`${name} sends a heartbeat after 5 s of silence by default`, async () => {
    const { text, delays } = await firstChunk(() => respond(silent()));
    assert.equal(text, heartbeat);
    assert.deepEqual(delays, [5_000]);
  });

  Deno.test(`${name} sends its heartbeat after the silence the heartbeat option gives`, async () => {
    const options: StreamResponseOptions = { heartbeat: 20_000 };
    const { text, delays } = await firstChunk(() => respond(silent(), options));
    assert.equal(text, heartbeat);
    assert.deepEqual(delays, [20_000]);
  });
}
