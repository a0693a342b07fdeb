/**
 * The v0.5 wire generation's REST surface (microsandbox 0.5.8, the seed): the flat
 * `CloudCreateSandboxRequest` body, `CloudSandbox` responses with `config` and `last_error`, and
 * `{data, next_cursor}` pages. A create with `?start=true` answers once the sandbox runs, as the seed
 * cloud does; `start` answers at once. No by-id routes; `wait_for` and `labels` are ignored.
 *
 * @module
 */

import type { Hono } from "hono";
import { JsonFields } from "./_json_fields.ts";
import { SandboxRoutes, type WireShape } from "./_sandbox_routes.ts";
import type { JsonObject, NewSandbox, Page, SandboxRecord } from "./_sandbox_record.ts";
import type { SandboxStore } from "./_store.ts";

const U8_MAX = 255;
const U32_MAX = 4_294_967_295;
/**
 * How long `POST /v1/sandboxes?start=true` waits for `running` before answering `starting`: the
 * seed cloud answers once the sandbox runs, and the seed SDK gives every request 30 s.
 */
const STARTED_CREATE_WAIT_MS = 25_000;

/** The v0.5 generation's JSON. */
const V05_SHAPE: WireShape = {
  parseCreate: parseV05Create,
  sandbox: cloudSandbox,
  page: (page: Page) => ({ data: page.items.map(cloudSandbox), next_cursor: page.nextCursor }),
  waits: false,
  startedCreateWaitMs: STARTED_CREATE_WAIT_MS,
  labelFilter: false,
};

/**
 * Builds the v0.5 generation's sandbox routes, relative to `/v1`.
 *
 * @param store The cloud's sandboxes.
 * @returns The routes, to mount under `/v1`.
 */
export function v05RestRoutes(store: SandboxStore): Hono {
  return new SandboxRoutes(store, V05_SHAPE).common();
}

/**
 * Reads a flat `CloudCreateSandboxRequest`, filling serde's decode defaults (`vcpus` 1,
 * `memory_mib` 512, `env` {}, `ephemeral` true) and leaving absent optional fields out.
 *
 * @param body The parsed JSON body.
 * @returns What to create, with the filled request as `spec` (echoed as `config`).
 */
function parseV05Create(body: unknown): NewSandbox {
  const f = JsonFields.root(body);
  const name = f.requiredString("name");
  const ephemeral = f.boolean("ephemeral") ?? true;
  const scripts = f.stringMap("scripts");
  const config = withoutUndefined({
    name,
    image: f.requiredString("image"),
    vcpus: f.integer("vcpus", U8_MAX) ?? 1,
    memory_mib: f.integer("memory_mib", U32_MAX) ?? 512,
    env: f.stringMap("env") ?? {},
    ephemeral,
    workdir: f.string("workdir"),
    shell: f.string("shell"),
    entrypoint: f.strings("entrypoint"),
    hostname: f.string("hostname"),
    user: f.string("user"),
    log_level: f.string("log_level"),
    scripts: scripts && Object.keys(scripts).length > 0 ? scripts : undefined,
    max_duration_secs: f.integer("max_duration_secs"),
    idle_timeout_secs: f.integer("idle_timeout_secs"),
  });
  return { name, labels: {}, ephemeral, spec: config };
}

/**
 * Writes one sandbox as v0.5 `CloudSandbox`.
 *
 * @param record The sandbox.
 * @returns Its JSON.
 */
function cloudSandbox(record: SandboxRecord): Record<string, unknown> {
  return {
    id: record.id,
    org_id: record.orgId,
    name: record.name,
    status: record.status,
    config: record.spec,
    ephemeral: record.ephemeral,
    created_at: record.createdAt,
    started_at: record.startedAt,
    stopped_at: record.stoppedAt,
    last_error: record.failure,
  };
}

function withoutUndefined(fields: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
