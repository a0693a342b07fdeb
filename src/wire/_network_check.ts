// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The checks of `network`: its policy's rules (destinations, ports, protocols) and its secrets.

import type { NetworkSpec } from "../models/sandbox_spec.ts";
import type { Destination, NetworkPolicy, NetworkRule } from "../models/network_policy.ts";
import type { HostPattern, SecretEntry, ViolationAction } from "../models/secret.ts";
import { bool, each, integerIn, invalid, oneOf, record, text, U32_MAX } from "./_spec_rule.ts";

const ACTIONS = ["allow", "deny"] as const;
const GROUPS = ["public", "loopback", "private", "link_local", "metadata", "multicast", "host"];
const PROTOCOLS = ["tcp", "udp", "icmpv4", "icmpv6"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Checks `network`, unless absent. */
export function checkNetwork(network: NetworkSpec | undefined): void {
  if (network === undefined) return;
  record("network", network);
  bool("network.enabled", network.enabled);
  integerIn("network.maxConnections", network.maxConnections, 0, U32_MAX);
  if (network.policy !== undefined) checkPolicy(network.policy);
  if (network.secrets === undefined) return;
  if (network.enabled === false) invalid("network.secrets", "absent when the network is disabled");
  record("network.secrets", network.secrets);
  if (!Array.isArray(network.secrets.entries)) {
    invalid("network.secrets.entries", "an array of secrets", network.secrets.entries);
  }
  each("network.secrets.entries", network.secrets.entries, checkSecret);
  checkViolation("network.secrets.onViolation", network.secrets.onViolation);
  const names = network.secrets.entries.map((entry) => entry.envVar);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) invalid("network.secrets.entries", "one entry per envVar", twice);
}

function checkPolicy(policy: NetworkPolicy): void {
  record("network.policy", policy);
  oneOf("network.policy.defaultEgress", policy.defaultEgress, ACTIONS);
  oneOf("network.policy.defaultIngress", policy.defaultIngress, ACTIONS);
  each("network.policy.rules", policy.rules, checkRule);
}

function checkRule(rule: NetworkRule, path: string): void {
  record(path, rule);
  if (rule.direction === undefined) invalid(`${path}.direction`, '"egress", "ingress" or "any"');
  oneOf(`${path}.direction`, rule.direction, ["egress", "ingress", "any"]);
  if (rule.action === undefined) invalid(`${path}.action`, '"allow" or "deny"');
  oneOf(`${path}.action`, rule.action, ACTIONS);
  checkDestination(`${path}.destination`, rule.destination);
  each(`${path}.ports`, rule.ports, (range, at) => {
    record(at, range);
    if (range.start === undefined || range.end === undefined) invalid(at, "{ start, end }", range);
    integerIn(`${at}.start`, range.start, 0, 65535);
    integerIn(`${at}.end`, range.end, range.start, 65535);
  });
  each(`${path}.protocols`, rule.protocols, (protocol, at) => oneOf(at, protocol ?? "", PROTOCOLS));
}

function checkDestination(path: string, destination: Destination): void {
  if (destination === "any") return;
  const keys = typeof destination === "object" && destination !== null
    ? Object.keys(destination)
    : [];
  if (keys.length !== 1) {
    invalid(path, '"any" or one of { cidr }, { domain }, { domainSuffix }, { group }', destination);
  }
  const d = destination as Record<string, unknown>;
  if ("cidr" in d) return checkCidr(`${path}.cidr`, d.cidr);
  if ("domain" in d) return checkHostname(`${path}.domain`, d.domain);
  if ("domainSuffix" in d) return checkHostname(`${path}.domainSuffix`, d.domainSuffix);
  if ("group" in d && d.group !== undefined) return oneOf(`${path}.group`, d.group, GROUPS);
  invalid(path, '"any" or one of { cidr }, { domain }, { domainSuffix }, { group }', destination);
}

/** An IPv4 or IPv6 address, with an optional prefix length in its family's range. */
function checkCidr(path: string, value: unknown): void {
  const [address = "", prefix, ...rest] = typeof value === "string" ? value.split("/") : [];
  const v4 = IPV4.test(address);
  const max = v4 ? 32 : isIpv6(address) ? 128 : -1;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
  if (max < 0 || !prefixOk || rest.length > 0) {
    invalid(path, 'an IP address or CIDR block such as "10.0.0.0/8" or "fd00::/8"', value);
  }
}

function isIpv6(address: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(":")) return false;
  try {
    return new URL(`http://[${address}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function checkHostname(path: string, value: unknown): void {
  if (typeof value !== "string" || !HOSTNAME.test(value)) {
    invalid(path, 'a domain name such as "pypi.org"', value);
  }
}

function checkSecret(entry: SecretEntry, path: string): void {
  record(path, entry);
  if (typeof entry.envVar !== "string" || !ENV_NAME.test(entry.envVar)) {
    invalid(`${path}.envVar`, "an environment variable name such as OPENAI_API_KEY", entry.envVar);
  }
  // The value is a secret: never shown in the message.
  if (typeof entry.value !== "string") invalid(`${path}.value`, "the secret, a string");
  text(`${path}.placeholder`, entry.placeholder);
  each(`${path}.allowedHosts`, entry.allowedHosts, checkHostPattern);
  if (entry.injection !== undefined) {
    record(`${path}.injection`, entry.injection);
    for (const key of ["headers", "basicAuth", "queryParams", "body"] as const) {
      bool(`${path}.injection.${key}`, entry.injection[key]);
    }
  }
  checkViolation(`${path}.onViolation`, entry.onViolation);
  bool(`${path}.requireTlsIdentity`, entry.requireTlsIdentity);
}

function checkHostPattern(pattern: HostPattern, path: string): void {
  record(path, pattern);
  oneOf(`${path}.type`, pattern.type ?? "", ["exact", "wildcard", "any"]);
  if (pattern.type === "exact") checkHostname(`${path}.value`, pattern.value);
  if (pattern.type === "wildcard") {
    const value: unknown = pattern.value;
    const bare = typeof value === "string" && value.startsWith("*.") ? value.slice(2) : "";
    if (!HOSTNAME.test(bare)) invalid(`${path}.value`, 'a wildcard such as "*.openai.com"', value);
  }
}

function checkViolation(path: string, action: ViolationAction | undefined): void {
  if (action === undefined) return;
  record(path, action);
  oneOf(`${path}.type`, action.type ?? "", [
    "block",
    "block_and_log",
    "block_and_terminate",
    "passthrough",
  ]);
  if (action.type !== "passthrough") return;
  if (!Array.isArray(action.hosts)) invalid(`${path}.hosts`, "an array of host patterns");
  each(`${path}.hosts`, action.hosts, checkHostPattern);
}
