// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The current generation's create body (openapi `CreateSandboxRequest`): the nested
// `CloudSandboxSpec` in snake_case, every default spelled out as SDK 0.6.18 sends it, plus `slug`
// and `registry`. `network.strict`, which the SDK also sends, is not in the contract and not sent.

import { compact } from "../_compact.ts";
import type { Mount, MountOptions } from "../models/mount.ts";
import type { Destination, NetworkPolicy, NetworkRule } from "../models/network_policy.ts";
import type { InitSpec, Patch } from "../models/patch.ts";
import type { NetworkSpec, RegistryAuth, SandboxSpec } from "../models/sandbox_spec.ts";
import type { SecretEntry, SecretsConfig, ViolationAction } from "../models/secret.ts";
import type { Json } from "./_json_codec.ts";

/** The create body of `spec`. */
export function currentCreateBody(spec: SandboxSpec): Json {
  return compact({
    name: spec.name,
    image: { type: "oci", reference: spec.image },
    resources: compact({
      vcpus: spec.vcpus ?? 1,
      memory_mib: spec.memoryMib ?? 512,
      disk_size_mib: spec.diskSizeMib,
    }),
    runtime: {
      workdir: spec.workdir ?? null,
      shell: spec.shell ?? null,
      scripts: spec.scripts ?? {},
      entrypoint: spec.entrypoint ?? null,
      cmd: spec.cmd ?? null,
      user: spec.user ?? null,
      log_level: spec.logLevel ?? null,
    },
    env: Object.entries(spec.env ?? {}).map(([key, value]) => ({ key, value })),
    labels: spec.labels ?? {},
    rlimits: spec.rlimits ?? [],
    mounts: (spec.mounts ?? []).map(mountBody),
    patches: (spec.patches ?? []).map(patchBody),
    network: networkBody(spec.network ?? {}),
    init: spec.init ? initBody(spec.init) : null,
    pull_policy: spec.pullPolicy ?? "if_missing",
    security_profile: spec.securityProfile ?? "default",
    lifecycle: {
      ephemeral: spec.ephemeral ?? false,
      max_duration_secs: spec.maxDurationSecs ?? null,
      idle_timeout_secs: spec.idleTimeoutSecs ?? null,
    },
    slug: spec.slug,
    registry: spec.registry && registryBody(spec.registry),
  });
}

function registryBody(registry: RegistryAuth): Json {
  return registry.mode === "specific"
    ? { mode: "specific", credential_id: registry.credentialId }
    : { ...registry };
}

function networkBody(network: NetworkSpec): Json {
  return compact({
    enabled: network.enabled ?? true,
    max_connections: network.maxConnections,
    policy: network.policy && policyBody(network.policy),
    secrets: network.secrets && secretsBody(network.secrets),
  });
}

function policyBody(policy: NetworkPolicy): Json {
  return compact({
    default_egress: policy.defaultEgress,
    default_ingress: policy.defaultIngress,
    rules: policy.rules?.map(ruleBody),
  });
}

function ruleBody(rule: NetworkRule): Json {
  return compact({
    direction: rule.direction,
    destination: destinationBody(rule.destination),
    action: rule.action,
    ports: rule.ports?.map(({ start, end }) => ({ start, end })),
    protocols: rule.protocols && [...rule.protocols],
  });
}

/** Externally tagged: `"any"`, or one key naming the kind. */
function destinationBody(destination: Destination): Json | "any" {
  if (destination === "any") return "any";
  if ("domainSuffix" in destination) return { domain_suffix: destination.domainSuffix };
  return { ...destination };
}

function secretsBody(secrets: SecretsConfig): Json {
  return compact({
    entries: secrets.entries.map(secretBody),
    on_violation: secrets.onViolation && violationBody(secrets.onViolation),
  });
}

function secretBody(entry: SecretEntry): Json {
  return compact({
    env_var: entry.envVar,
    value: entry.value,
    placeholder: entry.placeholder,
    allowed_hosts: entry.allowedHosts?.map((host) => ({ ...host })),
    injection: entry.injection && compact({
      headers: entry.injection.headers,
      basic_auth: entry.injection.basicAuth,
      query_params: entry.injection.queryParams,
      body: entry.injection.body,
    }),
    on_violation: entry.onViolation && violationBody(entry.onViolation),
    require_tls_identity: entry.requireTlsIdentity,
  });
}

function violationBody(action: ViolationAction): Json {
  return action.type === "passthrough"
    ? { type: "passthrough", hosts: action.hosts.map((host) => ({ ...host })) }
    : { type: action.type };
}

function mountBody(mount: Mount): Json {
  const options = mount.options && optionsBody(mount.options);
  if (mount.type === "tmpfs") {
    return compact({ type: "tmpfs", guest: mount.guest, size_mib: mount.sizeMib, options });
  }
  return compact({
    type: "named",
    name: mount.name,
    guest: mount.guest,
    options,
    host_permissions: mount.hostPermissions,
    stat_virtualization: mount.statVirtualization,
  });
}

function optionsBody(options: MountOptions): Json {
  return compact({
    readonly: options.readonly,
    noexec: options.noexec,
    nosuid: options.nosuid,
    nodev: options.nodev,
  });
}

/** Each variant's own fields only; `replace` is required where the contract has it. */
function patchBody(patch: Patch): Json {
  const { type } = patch;
  switch (type) {
    case "text":
    case "file": {
      const content = type === "file" ? [...patch.content] : patch.content;
      return compact({
        type,
        path: patch.path,
        content,
        mode: patch.mode,
        replace: !!patch.replace,
      });
    }
    case "copy_file":
      return compact({
        type,
        src: patch.src,
        dst: patch.dst,
        mode: patch.mode,
        replace: !!patch.replace,
      });
    case "copy_dir":
      return { type, src: patch.src, dst: patch.dst, replace: !!patch.replace };
    case "symlink":
      return { type, target: patch.target, link: patch.link, replace: !!patch.replace };
    case "mkdir":
      return compact({ type, path: patch.path, mode: patch.mode });
    case "remove":
      return { type, path: patch.path };
    case "append":
      return { type, path: patch.path, content: patch.content };
  }
}

function initBody(init: InitSpec): Json {
  return compact({
    cmd: init.cmd,
    args: init.args,
    env: init.env && Object.entries(init.env),
  });
}
