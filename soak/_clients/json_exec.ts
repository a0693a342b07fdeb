// The log writer: JSON execs (`POST /:name/exec`) in the tenant's log sandbox, one at a time,
// each printing numbered lines its log tail must then receive exactly once. Every answer is the
// command's whole output or a typed error.

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { LogLedger } from "../_log_ledger.ts";
import { auth, count, loop, type Soak, type Tenant } from "../_soak.ts";
import {
  type ExpectedCommand,
  firstDifference,
  taggedSeq,
  taggedTrickle,
} from "./_exec_command.ts";

/** How long a command may run before the adapter kills it (a stalled socket ends there). */
export const EXEC_TIMEOUT_MS = 8_000;

/** Runs the writer until the run is over. */
export function jsonExecClient(soak: Soak, tenant: Tenant, ledger: LogLedger): Promise<void> {
  const what = `json exec (${tenant.name})`;
  return loop(soak, what, async (signal, progress, round) => {
    const tag = `${tenant.name}-${round}`;
    const command = soak.random.chance(0.8)
      ? taggedSeq(tag, soak.random.int(1, 300))
      : taggedTrickle(tag, soak.random.int(1, 12));
    ledger.printing(tag, command.stdout.split("\n").length - 1);
    progress.step = `POST exec ${command.cmd} (T${tag})`;
    const response = await execJson(soak, tenant, `${tenant.name}-logs`, command, signal, what);
    progress.step = `reading the answer (status ${response.status})`;
    if (response.status !== 200) {
      const error = await failedAnswer(
        response,
        UPSTREAM_FAULT_CODES,
        `${what} T${tag}`,
        soak.failures,
      );
      count(soak, `exec.json.${error?.code ?? "untyped"}`);
      return;
    }
    const result = await response.json();
    if (result.code !== command.code || result.stdout !== command.stdout) {
      soak.failures.add(
        "wrong_output",
        `${what} T${tag}: code ${result.code}, stdout ${
          firstDifference(result.stdout, command.stdout)
        }`,
      );
      return;
    }
    ledger.completed(tag);
    count(soak, "exec.json.ok");
  });
}

/** `POST /:name/exec` with a JSON body; `accept` picks the answer's format. */
export function execJson(
  soak: Soak,
  tenant: Tenant,
  sandbox: string,
  command: ExpectedCommand,
  signal: AbortSignal,
  what: string,
  accept = "application/json",
  timeoutMs: number | undefined = EXEC_TIMEOUT_MS,
): Promise<Response> {
  const body = { cmd: command.cmd, args: command.args, ...(timeoutMs ? { timeoutMs } : {}) };
  return soak.traffic.fetch(`${soak.base}/${sandbox}/exec`, {
    method: "POST",
    headers: { ...auth(tenant), "content-type": "application/json", accept },
    body: JSON.stringify(body),
    signal,
  }, what);
}
