// Lifecycle within the tenant's scope: create, list (paged; every name must be the tenant's),
// read, stop and remove a sandbox of its own. Faults may cut an answer after the cloud acted, so
// a retry can meet `conflict` or `not_found`: typed answers, counted.

import type { RouteErrorCode } from "../../src/hono/mod.ts";
import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, type Soak, type Tenant } from "../_soak.ts";

const AFTER_A_CUT: readonly RouteErrorCode[] = [...UPSTREAM_FAULT_CODES, "conflict", "not_found"];

/** One round: create, list, get, stop, remove `<tenant>-life-<round>`. */
export async function lifecycleRound(
  soak: Soak,
  tenant: Tenant,
  round: number,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const name = `${tenant.name}-life-${round}`;
  const what = `lifecycle (${name})`;
  const call = async (method: string, path: string, ok: number, body?: unknown) => {
    progress.step = `${method} ${path}`;
    const response = await soak.traffic.fetch(`${soak.base}${path}`, {
      method,
      headers: { ...auth(tenant), "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
    }, `${what} ${method} ${path}`);
    if (response.status === ok) return response;
    const error = await failedAnswer(
      response,
      AFTER_A_CUT,
      `${what} ${method} ${path}`,
      soak.failures,
    );
    count(soak, `lifecycle.${error?.code ?? "untyped"}`);
    return undefined;
  };
  const created = await call("POST", "/", 201, { name, image: "alpine" });
  await created?.body?.cancel();
  await list(soak, tenant, call);
  await (await call("GET", `/${name}`, 200))?.body?.cancel();
  await (await call("POST", `/${name}/stop`, 200))?.body?.cancel();
  await call("DELETE", `/${name}`, 204);
  count(soak, "lifecycle.rounds");
}

/** Lists a page or two (small pages, so the sealed cursor is used); every name must be in scope. */
async function list(
  soak: Soak,
  tenant: Tenant,
  call: (method: string, path: string, ok: number) => Promise<Response | undefined>,
): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < 3; page++) {
    const query = new URLSearchParams({ limit: "2" });
    if (cursor) query.set("cursor", cursor);
    const response = await call("GET", `/?${query}`, 200);
    if (!response) return;
    const body = await response.json() as { sandboxes: { name: string }[]; nextCursor?: string };
    for (const { name } of body.sandboxes) {
      if (!name.startsWith(`${tenant.name}-`)) {
        soak.failures.add("scope_leak", `list of ${tenant.name} shows ${name}`);
      }
    }
    cursor = body.nextCursor;
    if (!cursor) return;
  }
}
