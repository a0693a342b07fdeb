/**
 * The `network` of a current-generation create body (openapi `CloudNetworkSpec`, which denies
 * unknown fields), checked and turned into the `SandboxNetworkResponse` the cloud echoes. SDK
 * 0.6.18 also sends `network.strict`, which the contract does not define: it is tolerated (a
 * boolean, ignored) so that the official SDK works here, and any other unknown field is a 400.
 * Secrets' values are checked but never echoed.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";
import type { JsonFields } from "./_json_fields.ts";
import type { JsonObject } from "./_sandbox_record.ts";

const INT32_MAX = 2_147_483_647;
const ACTIONS = ["allow", "deny"] as const;
const GROUPS = [
  "public",
  "loopback",
  "private",
  "link_local",
  "metadata",
  "multicast",
  "host",
] as const;
const DESTINATION_KINDS = ["cidr", "domain", "domain_suffix", "group"];

/**
 * Reads `network`.
 *
 * @param f The `network` object, if sent.
 * @returns The network as the response shows it.
 */
export function readNetwork(f: JsonFields | undefined): JsonObject {
  f?.only(["enabled", "max_connections", "policy", "secrets", "strict"]);
  f?.boolean("strict");
  return {
    enabled: f?.boolean("enabled") ?? true,
    max_connections: f?.integer("max_connections") ?? null,
    policy: readPolicy(f?.object("policy")),
    ports: [],
    secrets: readSecrets(f?.object("secrets")),
    trust_host_cas: false,
  };
}

function readPolicy(f: JsonFields | undefined): JsonObject | null {
  if (!f) return null;
  f.choice("default_egress", ACTIONS);
  f.choice("default_ingress", ACTIONS);
  for (const rule of f.objects("rules")) {
    rule.need("action", rule.choice("action", ACTIONS));
    rule.need("direction", rule.choice("direction", ["egress", "ingress", "any"]));
    readDestination(rule);
    for (const range of rule.objects("ports")) {
      range.need("start", range.integer("start", INT32_MAX));
      range.need("end", range.integer("end", INT32_MAX));
    }
    for (const [i, protocol] of (rule.array("protocols") ?? []).entries()) {
      if (!["tcp", "udp", "icmpv4", "icmpv6"].includes(protocol as string)) {
        throw invalidRequest(`Cannot accept \`${rule.path("protocols")}[${i}]\`: unknown protocol`);
      }
    }
  }
  return f.value;
}

/** `"any"`, or an object with exactly one of the destination kinds. */
function readDestination(rule: JsonFields): void {
  const raw = rule.need("destination", rule.raw("destination"));
  if (raw === "any") return;
  const destination = rule.object("destination");
  const kinds = DESTINATION_KINDS.filter((kind) => destination?.raw(kind) !== undefined);
  if (!destination || kinds.length !== 1) {
    throw invalidRequest(
      `Cannot accept \`${
        rule.path("destination")
      }\`: expected "any" or one of {cidr}, {domain}, {domain_suffix}, {group}`,
    );
  }
  if (kinds[0] === "group") destination.choice("group", GROUPS);
  else destination.string(kinds[0]!);
}

function readSecrets(f: JsonFields | undefined): JsonObject[] {
  if (f) readViolation(f.object("on_violation"));
  return (f?.objects("entries") ?? []).map(readSecret);
}

function readSecret(entry: JsonFields): JsonObject {
  const onViolation = entry.object("on_violation");
  readViolation(onViolation);
  entry.string("value");
  entry.boolean("require_tls_identity");
  readSource(entry.object("source"));
  const injection = entry.object("injection");
  for (const key of ["basic_auth", "body", "headers", "query_params"]) injection?.boolean(key);
  return {
    env_var: entry.requiredString("env_var"),
    placeholder: entry.need("placeholder", entry.string("placeholder")),
    allowed_hosts: entry.objects("allowed_hosts").map(readHost),
    injection: injection?.value ?? {},
    ...(onViolation && { on_violation: onViolation.value }),
  };
}

function readSource(f: JsonFields | undefined): void {
  if (!f) return;
  const type = f.need("type", f.choice("type", ["env", "store"]));
  if (type === "env") f.need("var", f.string("var"));
  else f.need("reference", f.string("reference"));
}

function readHost(f: JsonFields): JsonObject {
  const type = f.need("type", f.choice("type", ["exact", "wildcard", "any"]));
  if (type !== "any") f.need("value", f.string("value"));
  return f.value;
}

function readViolation(f: JsonFields | undefined): void {
  if (!f) return;
  const type = f.need(
    "type",
    f.choice("type", ["block", "block_and_log", "block_and_terminate", "passthrough"]),
  );
  if (type !== "passthrough") return;
  f.need("hosts", f.array("hosts"));
  f.objects("hosts").forEach(readHost);
}
