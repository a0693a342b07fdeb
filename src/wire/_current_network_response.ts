// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The `network` of a `SandboxSpecResponse` (openapi `SandboxNetworkResponse`), read back into a
// `NetworkSpec`: `enabled`, `max_connections`, the policy as sent, and the secrets without their
// values (the cloud never echoes them, nor the secrets' default `on_violation`).

import { compact } from "../_compact.ts";
import type { Destination, NetworkPolicy } from "../models/network_policy.ts";
import type { NetworkSpec } from "../models/sandbox_spec.ts";
import type { HostPattern, SecretEntry, ViolationAction } from "../models/secret.ts";
import {
  arrayOf,
  boolean,
  type DecodedBy,
  firstOf,
  integer,
  type JsonCodec,
  mapped,
  object,
  oneOf,
  optional,
  required,
  string,
} from "./_json_codec.ts";

const ACTION = oneOf(["allow", "deny"]);

const DESTINATION: JsonCodec<Destination> = firstOf<Destination>(
  "is not a destination",
  oneOf(["any"]),
  object({ cidr: required(string) }),
  object({ domain: required(string) }),
  object({ domainSuffix: required(string) }),
  object({
    group: required(
      oneOf(["public", "loopback", "private", "link_local", "metadata", "multicast", "host"]),
    ),
  }),
);

const RULE = mapped(
  object({
    direction: required(oneOf(["egress", "ingress", "any"])),
    destination: required(DESTINATION),
    action: required(ACTION),
    ports: optional(arrayOf(object({ start: required(integer), end: required(integer) }))),
    protocols: optional(arrayOf(oneOf(["tcp", "udp", "icmpv4", "icmpv6"]))),
  }),
  compact,
);

const POLICY: JsonCodec<NetworkPolicy> = mapped(
  object({
    defaultEgress: optional(ACTION),
    defaultIngress: optional(ACTION),
    rules: optional(arrayOf(RULE)),
  }),
  compact,
);

const HOST: JsonCodec<HostPattern> = firstOf<HostPattern>(
  "is not a host pattern",
  object({ type: required(oneOf(["exact", "wildcard"])), value: required(string) }),
  object({ type: required(oneOf(["any"])) }),
);

const VIOLATION: JsonCodec<ViolationAction> = firstOf<ViolationAction>(
  "is not a violation action",
  object({ type: required(oneOf(["block", "block_and_log", "block_and_terminate"])) }),
  object({ type: required(oneOf(["passthrough"])), hosts: required(arrayOf(HOST)) }),
);

const SECRET: JsonCodec<SecretEntry> = mapped(
  object({
    envVar: required(string),
    placeholder: required(string),
    allowedHosts: optional(arrayOf(HOST)),
    injection: optional(mapped(
      object({
        headers: optional(boolean),
        basicAuth: optional(boolean),
        queryParams: optional(boolean),
        body: optional(boolean),
      }),
      compact,
    )),
    onViolation: optional(VIOLATION),
  }),
  compact,
);

/** The fields of `SandboxNetworkResponse` a spec reads back. */
export const NETWORK_RESPONSE = object({
  enabled: optional(boolean),
  maxConnections: optional(integer),
  policy: optional(POLICY),
  secrets: optional(arrayOf(SECRET)),
});

/** A network read back; `undefined` when the response says nothing of it. */
export function networkFromResponse(
  network: DecodedBy<typeof NETWORK_RESPONSE>,
): NetworkSpec | undefined {
  if (network.enabled === undefined) return undefined;
  return compact({
    enabled: network.enabled,
    maxConnections: network.maxConnections,
    policy: network.policy,
    secrets: network.secrets?.length ? { entries: network.secrets } : undefined,
  });
}
