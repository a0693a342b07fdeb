// A browser that vanishes mid-stream: a long command's exec stream or bridge session, gone after
// its first event. The adapter must end the command: within VANISH_MS the cloud must run no
// `sleep` in the sandbox (only these clients run `sleep`, one at a time per tenant). The command
// prints nothing: an endless printer (`yes`) fills the cloud's 64 MiB log history in seconds,
// which then evicts the entries the log tails have not read yet.

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, type Soak, type Tenant } from "../_soak.ts";
import { STREAM_FORMATS } from "./_exec_events.ts";
import { execJson } from "./json_exec.ts";

const ENDLESS = { cmd: "sleep", args: ["600"], stdout: "", stderr: "", code: 0 };

/** How long the command of a vanished client may outlive it. */
const VANISH_MS = 10_000;

/** Waits until the command is gone; a command still running after VANISH_MS is a hang. */
async function commandEnds(
  soak: Soak,
  tenant: Tenant,
  what: string,
  progress: Progress,
): Promise<void> {
  progress.step = "waiting for the cloud to end the command";
  const deadline = performance.now() + VANISH_MS;
  while (soak.running(`${tenant.name}-exec`, "sleep") > 0) {
    if (performance.now() > deadline) {
      soak.failures.add(
        "hang",
        `${what}: the command still runs ${VANISH_MS} ms after its client left`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a long exec stream and aborts it after the first event. */
export async function vanishingStream(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const format = soak.random.pick(["ndjson", "sse"] as const);
  const what = `vanishing stream (${tenant.name}, ${format})`;
  const gone = new AbortController();
  progress.step = "POST exec sleep 600";
  const response = await execJson(
    soak,
    tenant,
    `${tenant.name}-exec`,
    ENDLESS,
    AbortSignal.any([signal, gone.signal]),
    what,
    STREAM_FORMATS[format],
    undefined,
  );
  if (response.status !== 200) {
    const error = await failedAnswer(response, UPSTREAM_FAULT_CODES, what, soak.failures);
    count(soak, `vanish.${error?.code ?? "untyped"}`);
    return;
  }
  progress.step = "reading the first event";
  const reader = response.body!.getReader();
  await reader.read();
  gone.abort();
  await reader.read().catch(() => {});
  await commandEnds(soak, tenant, what, progress);
  count(soak, "vanish.stream");
}

/** Opens a long bridge session and drops the socket after the first message. */
export async function vanishingSocket(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const url = `${soak.base.replace("http", "ws")}/${tenant.name}-exec/ws?cmd=sleep&arg=600`;
  const what = `vanishing socket (${tenant.name})`;
  const socket = soak.traffic.webSocket(url, auth(tenant), what);
  progress.step = "waiting for the first message";
  await new Promise<void>((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
    socket.onmessage = () => resolve();
    socket.onclose = () => resolve();
  });
  socket.close();
  await commandEnds(soak, tenant, what, progress);
  count(soak, "vanish.socket");
}
