// A browser that stops reading: opens an exec stream with a large output (or a log stream), reads
// the first event, reads nothing for a few seconds, then reads the rest, which must be whole.

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, pause, type Soak, type Tenant } from "../_soak.ts";
import { plainSeq } from "./_exec_command.ts";
import { readExecStream, STREAM_FORMATS } from "./_exec_events.ts";
import { execJson } from "./json_exec.ts";

/** One slow read of `seq 1 150000` (about 1 MiB) through SSE or NDJSON. */
export async function slowReader(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const format = soak.random.pick(["ndjson", "sse"] as const);
  const command = plainSeq(150_000);
  const what = `slow reader (${tenant.name}, ${format})`;
  progress.step = "POST exec";
  const response = await execJson(
    soak,
    tenant,
    `${tenant.name}-exec`,
    command,
    signal,
    what,
    STREAM_FORMATS[format],
  );
  if (response.status !== 200) {
    const error = await failedAnswer(response, UPSTREAM_FAULT_CODES, what, soak.failures);
    count(soak, `slow.${error?.code ?? "untyped"}`);
    return;
  }
  let paused = false;
  const stall = soak.random.int(1_000, 4_000);
  const end = await readExecStream(soak, response.body!, format, command, what, async (event) => {
    if (event.type === "stdout" && !paused) {
      paused = true;
      progress.step = `not reading for ${stall} ms`;
      await pause(soak, stall);
      progress.step = "reading the rest";
    }
    return true;
  });
  count(soak, `slow.${end}`);
}

/** A log stream that is opened and never read, then dropped after a few seconds. */
export async function stalledLogReader(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const what = `unread log stream (${tenant.name})`;
  progress.step = "GET logs, then not reading";
  const response = await soak.traffic.fetch(`${soak.base}/${tenant.name}-logs/logs`, {
    headers: { ...auth(tenant), accept: "text/event-stream" },
    signal,
  }, what);
  if (response.status !== 200) {
    const error = await failedAnswer(response, UPSTREAM_FAULT_CODES, what, soak.failures);
    count(soak, `unread_logs.${error?.code ?? "untyped"}`);
    return;
  }
  await pause(soak, soak.random.int(1_000, 5_000));
  await response.body?.cancel();
  count(soak, "unread_logs.dropped");
}
