// NDJSON and SSE exec streams in the tenant's exec sandbox: output on both channels, exit codes,
// larger outputs; each stream must end with the right output and code, or a typed error event.

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import { count, loop, type Soak, type Tenant } from "../_soak.ts";
import { bothChannels, plainSeq } from "./_exec_command.ts";
import { readExecStream, STREAM_FORMATS } from "./_exec_events.ts";
import { execJson } from "./json_exec.ts";

/** Runs streams until the run is over. */
export function execStreamClient(soak: Soak, tenant: Tenant): Promise<void> {
  const what = `exec stream (${tenant.name})`;
  return loop(soak, what, async (signal, progress) => {
    const format = soak.random.pick(["ndjson", "sse"] as const);
    const command = soak.random.chance(0.3)
      ? bothChannels(soak.random.int(0, 7))
      : plainSeq(soak.random.int(1, 20_000));
    const label = `${what} ${format} ${command.cmd} ${command.args.join(" ")}`;
    progress.step = `POST exec (${format})`;
    const response = await execJson(
      soak,
      tenant,
      `${tenant.name}-exec`,
      command,
      signal,
      label,
      STREAM_FORMATS[format],
    );
    if (response.status !== 200) {
      const error = await failedAnswer(response, UPSTREAM_FAULT_CODES, label, soak.failures);
      count(soak, `exec.stream.${error?.code ?? "untyped"}`);
      return;
    }
    progress.step = `reading the ${format} events`;
    const end = await readExecStream(soak, response.body!, format, command, label);
    count(soak, `exec.stream.${end}`);
  });
}
