// Probes that must be refused before the cloud is asked: another tenant's sandboxes (404, as if
// they did not exist, on every route), no token (401), a bad name (400).

import type { RouteErrorCode } from "../../src/hono/mod.ts";
import { failedAnswer } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, type Soak, type Tenant } from "../_soak.ts";

/** One probe of each kind against a random other tenant. */
export async function crossTenantProbes(
  soak: Soak,
  tenant: Tenant,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const others = soak.tenants.filter((other) => other !== tenant);
  const other = soak.random.pick(others);
  const json = { ...auth(tenant), "content-type": "application/json" };
  const exec = JSON.stringify({ cmd: "echo", args: ["hi"] });
  const probes: [string, string, RequestInit, number, RouteErrorCode][] = [
    ["GET", `/${other.name}-exec`, { headers: auth(tenant) }, 404, "not_found"],
    ["POST", `/${other.name}-exec/exec`, { headers: json, body: exec }, 404, "not_found"],
    ["GET", `/${other.name}-logs/logs`, { headers: auth(tenant) }, 404, "not_found"],
    ["POST", `/${other.name}-exec/stop`, { headers: auth(tenant) }, 404, "not_found"],
    ["DELETE", `/${other.name}-logs`, { headers: auth(tenant) }, 404, "not_found"],
    [
      "POST",
      "/",
      { headers: json, body: JSON.stringify({ name: `${other.name}-x`, image: "alpine" }) },
      404,
      "not_found",
    ],
    ["GET", `/${tenant.name}-exec`, {}, 401, "unauthorized"],
    ["GET", `/${tenant.name}-bad%5Cname/logs`, { headers: auth(tenant) }, 400, "invalid_request"],
  ];
  for (const [method, path, init, status, code] of probes) {
    const what = `cross-tenant probe (${tenant.name}) ${method} ${path}`;
    progress.step = `${method} ${path}`;
    const response = await soak.traffic.fetch(
      `${soak.base}${path}`,
      { ...init, method, signal },
      what,
    );
    if (response.status === 200 || response.status === 204 || response.status === 201) {
      soak.failures.add("scope_leak", `${what}: ${response.status}, ${status} expected`);
      await response.body?.cancel();
      continue;
    }
    const error = await failedAnswer(response, [code], what, soak.failures);
    if (error && response.status !== status) {
      soak.failures.add("scope_leak", `${what}: ${response.status}, ${status} expected`);
    }
    count(soak, "probe.refused");
  }
}
