// A browser that vanishes mid-stream: an endless command's exec stream or bridge session, gone
// after its first output. The adapter must end the command (checked at the end of the run: the
// cloud must be left with no process).

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, type Soak, type Tenant } from "../_soak.ts";
import { STREAM_FORMATS } from "./_exec_events.ts";
import { execJson } from "./json_exec.ts";

const ENDLESS = { cmd: "seq", args: ["1", "1000000000"], stdout: "", stderr: "", code: 0 };

/** Opens an endless exec stream and aborts it after the first bytes. */
export async function vanishingStream(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const format = soak.random.pick(["ndjson", "sse"] as const);
  const what = `vanishing stream (${tenant.name}, ${format})`;
  const gone = new AbortController();
  progress.step = "POST exec seq 1 1000000000";
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
  progress.step = "reading the first bytes";
  const reader = response.body!.getReader();
  await reader.read();
  gone.abort();
  await reader.read().catch(() => {});
  count(soak, "vanish.stream");
}

/** Opens an endless bridge session and drops the socket after the first message. */
export async function vanishingSocket(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const url = `${soak.base.replace("http", "ws")}/${tenant.name}-exec/ws?cmd=seq&arg=1&arg=1000000000`;
  const socket = soak.traffic.webSocket(url, auth(tenant), `vanishing socket (${tenant.name})`);
  progress.step = "waiting for the first message";
  await new Promise<void>((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
    socket.onmessage = () => resolve();
    socket.onclose = () => resolve();
  });
  socket.close();
  count(soak, "vanish.socket");
}
