/**
 * The current generation's create body (openapi `CreateSandboxRequest`: a `CloudSandboxSpec`
 * plus `slug` and `registry`), checked and turned into the `SandboxSpecResponse` the cloud
 * echoes back, with every default filled in. Secrets' values and registry passwords are checked
 * but never echoed.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";
import { readNetwork } from "./_current_network.ts";
import { checkInit, checkPatches, readMounts } from "./_current_storage.ts";
import { JsonFields } from "./_json_fields.ts";
import type { JsonObject, NewSandbox } from "./_sandbox_record.ts";
import { RLIMIT_RESOURCES } from "../../models/sandbox_spec.ts";

const U8_MAX = 255;
const U32_MAX = 4_294_967_295;
const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;
const REGISTRY_MODES = ["auto", "anonymous", "specific", "inline"] as const;

/**
 * Reads a current-generation create body.
 *
 * @param body The parsed JSON body.
 * @returns What to create, with the response spec as `spec`.
 * @throws {ApiError} 400 `invalid_request` naming the first bad field (`ApiError` of `../app/_error_body.ts`).
 */
export function parseCurrentCreate(body: unknown): NewSandbox {
  const f = JsonFields.root(body);
  const name = f.requiredString("name");
  const slug = f.string("slug");
  checkRegistry(f.object("registry"));
  const mounts = readMounts(f);
  checkPatches(f);
  checkInit(f.object("init"));
  f.choice("pull_policy", ["if_missing", "always", "never"]);
  f.choice("security_profile", ["default", "restricted"]);
  const labels = f.stringMap("labels") ?? {};
  const lifecycle = readLifecycle(f.object("lifecycle"));
  const spec: JsonObject = {
    env: readEnv(f),
    image: readImage(f),
    labels,
    lifecycle,
    mounts,
    network: readNetwork(f.object("network")),
    resources: readResources(f.object("resources")),
    rlimits: readRlimits(f),
    runtime: readRuntime(f.object("runtime")),
  };
  return { name, slug, labels, ephemeral: lifecycle.ephemeral, spec };
}

function readImage(f: JsonFields): string {
  const image = f.object("image");
  if (!image) {
    throw invalidRequest(
      'Cannot accept the request: `image` is required, e.g. {"type":"oci","reference":"alpine"}',
    );
  }
  image.need("type", image.choice("type", ["oci"]));
  return image.requiredString("reference");
}

function readLifecycle(f: JsonFields | undefined): {
  ephemeral: boolean;
  max_duration_secs: number | null;
  idle_timeout_secs: number | null;
} {
  return {
    ephemeral: f?.boolean("ephemeral") ?? false,
    max_duration_secs: f?.integer("max_duration_secs") ?? null,
    idle_timeout_secs: f?.integer("idle_timeout_secs") ?? null,
  };
}

function readResources(f: JsonFields | undefined): JsonObject {
  return {
    vcpus: f?.integer("vcpus", U8_MAX) ?? 1,
    memory_mib: f?.integer("memory_mib", U32_MAX) ?? 512,
    disk_size_mib: f?.integer("disk_size_mib", U32_MAX) ?? null,
  };
}

function readRuntime(f: JsonFields | undefined): JsonObject {
  f?.only(["cmd", "entrypoint", "log_level", "scripts", "shell", "user", "workdir"]);
  return {
    cmd: f?.strings("cmd") ?? null,
    disable_metrics_sample: false,
    entrypoint: f?.strings("entrypoint") ?? null,
    hostname: null,
    log_level: f?.choice("log_level", LOG_LEVELS) ?? null,
    metrics_sample_interval_ms: 1000,
    scripts: f?.stringMap("scripts") ?? {},
    shell: f?.string("shell") ?? null,
    user: f?.string("user") ?? null,
    workdir: f?.string("workdir") ?? null,
  };
}

function readEnv(f: JsonFields): JsonObject[] {
  return f.objects("env").map((v) => ({
    key: v.requiredString("key"),
    value: v.need("value", v.string("value")),
  }));
}

function readRlimits(f: JsonFields): JsonObject[] {
  return f.objects("rlimits").map((r) => {
    const resource = r.need("resource", r.choice("resource", RLIMIT_RESOURCES));
    const soft = r.need("soft", r.integer("soft"));
    const hard = r.need("hard", r.integer("hard"));
    if (soft > hard) {
      throw invalidRequest(`Cannot accept \`${r.path("soft")}\`: it exceeds \`hard\``);
    }
    return { resource: resource[0]!.toUpperCase() + resource.slice(1), soft, hard };
  });
}

function checkRegistry(f: JsonFields | undefined): void {
  if (!f) return;
  const mode = f.need("mode", f.choice("mode", REGISTRY_MODES));
  if (mode === "specific") f.requiredString("credential_id");
  if (mode === "inline") {
    f.requiredString("username");
    f.requiredString("password");
  }
}
