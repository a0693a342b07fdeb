// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What a rule or a default does with the traffic it matches.
 *
 * @example Deny by default
 * ```ts
 * import type { NetworkAction } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const fallback: NetworkAction = "deny";
 * assert.equal(fallback, "deny");
 * ```
 */
export type NetworkAction = "allow" | "deny";

/**
 * A predefined set of destinations: the public internet, loopback, private ranges, link-local,
 * the cloud metadata service, multicast, or the sandbox's host.
 *
 * @example Block the metadata service
 * ```ts
 * import type { DestinationGroup, NetworkRule } from "@microsandbox/edge";
 *
 * const group: DestinationGroup = "metadata";
 * const rule: NetworkRule = { direction: "egress", destination: { group }, action: "deny" };
 * ```
 */
export type DestinationGroup =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "metadata"
  | "multicast"
  | "host";

/**
 * Where a rule's traffic goes: anywhere, an IP address or CIDR block, an exact domain, a domain
 * and its subdomains, or a group.
 *
 * @example Each form
 * ```ts
 * import type { Destination } from "@microsandbox/edge";
 *
 * const destinations: Destination[] = [
 *   "any",
 *   { cidr: "10.0.0.0/8" },
 *   { domain: "pypi.org" },
 *   { domainSuffix: "githubusercontent.com" },
 *   { group: "private" },
 * ];
 * ```
 */
export type Destination =
  | "any"
  | { cidr: string }
  | { domain: string }
  | { domainSuffix: string }
  | { group: DestinationGroup };

/**
 * An inclusive range of guest-side ports.
 *
 * @example HTTPS only
 * ```ts
 * import type { PortRange } from "@microsandbox/edge";
 *
 * const https: PortRange = { start: 443, end: 443 };
 * ```
 */
export interface PortRange {
  /** The first port, 0 to 65535. */
  start: number;
  /** The last port, at least `start`. */
  end: number;
}

/**
 * One rule of a {@linkcode NetworkPolicy}; rules are tried in order, the first match wins per
 * direction.
 *
 * @example Let pip reach PyPI over HTTPS
 * ```ts
 * import type { NetworkRule } from "@microsandbox/edge";
 *
 * const rule: NetworkRule = {
 *   direction: "egress",
 *   destination: { domainSuffix: "pypi.org" },
 *   action: "allow",
 *   protocols: ["tcp"],
 *   ports: [{ start: 443, end: 443 }],
 * };
 * ```
 */
export interface NetworkRule {
  /** Which traffic the rule applies to. */
  direction: "egress" | "ingress" | "any";
  /** Where the traffic goes (egress) or comes from (ingress). */
  destination: Destination;
  /** What to do with matching traffic. */
  action: NetworkAction;
  /** Guest-side ports; none matches any port. */
  ports?: PortRange[];
  /** Protocols; none matches any protocol. */
  protocols?: ("tcp" | "udp" | "icmpv4" | "icmpv6")[];
}

/**
 * Which traffic a sandbox may send and receive (current wire only): ordered rules and a default
 * per direction (the cloud's default is `deny`).
 *
 * @example Nothing out but GitHub
 * ```ts
 * import type { NetworkPolicy, SandboxSpec } from "@microsandbox/edge";
 *
 * const policy: NetworkPolicy = {
 *   defaultEgress: "deny",
 *   rules: [{ direction: "egress", destination: { domainSuffix: "github.com" }, action: "allow" }],
 * };
 * const spec: SandboxSpec = { name: "ci-1", image: "node", network: { policy } };
 * ```
 */
export interface NetworkPolicy {
  /** What happens to egress traffic no rule matches. */
  defaultEgress?: NetworkAction;
  /** What happens to ingress traffic no rule matches. */
  defaultIngress?: NetworkAction;
  /** The rules, first match wins. */
  rules?: NetworkRule[];
}
