// The clients of one tenant, all at once: the log writer and its tail, exec streams, bridge
// sessions, and a loop of lifecycle rounds each followed by one hostile act (a slow reader, an
// unread log stream, a vanishing stream or socket, cross-tenant probes).

import { LogLedger } from "../_log_ledger.ts";
import { loop, type Soak, type Tenant } from "../_soak.ts";
import { crossTenantProbes } from "./cross_tenant.ts";
import { execStreamClient } from "./exec_stream.ts";
import { jsonExecClient } from "./json_exec.ts";
import { lifecycleRound } from "./lifecycle.ts";
import { logTailClient } from "./log_tail.ts";
import { slowReader, stalledLogReader } from "./slow_reader.ts";
import { vanishingSocket, vanishingStream } from "./vanisher.ts";
import { wsBridgeClient } from "./ws_bridge.ts";

/** How many clients each tenant runs at once. */
export const CLIENTS_PER_TENANT = 5;

const HOSTILE = [slowReader, stalledLogReader, vanishingStream, vanishingSocket, crossTenantProbes];

/** Runs the tenant's clients until the run is over; resolves with its log ledger once all end. */
export async function tenantClients(soak: Soak, tenant: Tenant): Promise<LogLedger> {
  const ledger = new LogLedger(`log of ${tenant.name}-logs`, soak.failures);
  const writer = jsonExecClient(soak, tenant, ledger);
  await Promise.all([
    writer,
    logTailClient(soak, tenant, ledger, writer),
    execStreamClient(soak, tenant),
    wsBridgeClient(soak, tenant),
    loop(soak, `lifecycle and hostile (${tenant.name})`, async (signal, progress, round) => {
      await lifecycleRound(soak, tenant, round, signal, progress);
      await soak.random.pick(HOSTILE)(soak, tenant, signal, progress);
    }),
  ]);
  return ledger;
}
