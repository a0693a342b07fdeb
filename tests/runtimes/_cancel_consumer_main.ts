// A program that only consumes a sandbox's streams and cancels each of them, run as its own
// process (Deno, Bun or Node) by cancel_exit_test.ts: a spawn's stdout and stderr, a spawn's events and
// the sandbox's log, each cancelled while a command prints. It never calls exit: it must end by
// itself, which it cannot while any of them still holds a timer, a request or a socket.
//
// Environment: MSB_API_URL, MSB_API_KEY, MSB_WIRE ("current" or "v0.5"), SANDBOX (a running
// sandbox's name). Prints `cancelled` once every stream is cancelled.
import process from "node:process";
import { Microsandbox, type WireGeneration } from "../../mod.ts";

const { MSB_API_URL: url, MSB_API_KEY: apiKey, MSB_WIRE: wire, SANDBOX: name } = process.env;
if (!url || !apiKey || !wire || !name) {
  throw new Error("MSB_API_URL, MSB_API_KEY, MSB_WIRE and SANDBOX must be set");
}
const sandbox = await new Microsandbox({ apiKey, url, wire: wire as WireGeneration }).sandboxes
  .get(name);
const printing = ["sh", ["-c", "while :; do echo out; echo err >&2; sleep 0.01; done"]] as const;

const output = await sandbox.spawn(...printing);
const stdout = output.stdout.getReader();
await stdout.read();
await stdout.cancel();
await output.stderr.cancel();
await output.exited.catch(() => {});

const events = (await sandbox.spawn(...printing)).events.getReader();
await events.read();
const event = events.read();
await events.cancel();
await event;

// Every entry is before `since`, so the read waits on the server (or on a reconnection) when the
// cancel comes; a macrotask first lets the stream start and its first pull send the request.
const logs = sandbox.logs({ sources: ["stdout"], since: new Date(Date.now() + 3_600_000) })
  .getReader();
const entry = logs.read();
await new Promise((resolve) => setTimeout(resolve, 0));
await logs.cancel();
await entry;
console.log("cancelled");
