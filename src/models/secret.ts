// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * A host a secret may be sent to: exactly one name, a wildcard such as `*.openai.com`, or any host
 * (which lets the secret leave to anywhere).
 *
 * @example Each form
 * ```ts
 * import type { HostPattern } from "@microsandbox/edge";
 *
 * const hosts: HostPattern[] = [
 *   { type: "exact", value: "api.openai.com" },
 *   { type: "wildcard", value: "*.openai.com" },
 * ];
 * ```
 */
export type HostPattern =
  | { type: "exact"; value: string }
  | { type: "wildcard"; value: string }
  | { type: "any" };

/**
 * What the cloud does when a secret's placeholder is sent to a host it is not allowed to reach:
 * block the request, block and log it (the cloud's default), block it and stop the sandbox, or let
 * the placeholder through unchanged to some hosts.
 *
 * @example Stop a sandbox that leaks
 * ```ts
 * import type { ViolationAction } from "@microsandbox/edge";
 *
 * const strict: ViolationAction = { type: "block_and_terminate" };
 * const lenient: ViolationAction = {
 *   type: "passthrough",
 *   hosts: [{ type: "exact", value: "echo.internal" }],
 * };
 * ```
 */
export type ViolationAction =
  | { type: "block" }
  | { type: "block_and_log" }
  | { type: "block_and_terminate" }
  | { type: "passthrough"; hosts: HostPattern[] };

/**
 * Where in an outgoing HTTP request the cloud may put a secret's value in place of its
 * placeholder (the cloud's defaults: headers and basic auth yes, query and body no).
 *
 * @example Headers only
 * ```ts
 * import type { SecretInjection } from "@microsandbox/edge";
 *
 * const injection: SecretInjection = { headers: true, basicAuth: false };
 * ```
 */
export interface SecretInjection {
  /** In HTTP headers. */
  headers?: boolean;
  /** In HTTP basic auth. */
  basicAuth?: boolean;
  /** In URL query parameters. */
  queryParams?: boolean;
  /** In the request body. */
  body?: boolean;
}

/**
 * A secret (current wire only): the sandbox sees `placeholder` in `envVar`, and the cloud swaps in
 * `value` only in requests to `allowedHosts`, so the secret itself never enters the sandbox.
 *
 * @example An API key that only reaches its API
 * ```ts
 * import type { SandboxSpec, SecretEntry } from "@microsandbox/edge";
 *
 * const openai: SecretEntry = {
 *   envVar: "OPENAI_API_KEY",
 *   value: "sk-live-123",
 *   placeholder: "$MSB_OPENAI_API_KEY",
 *   allowedHosts: [{ type: "exact", value: "api.openai.com" }],
 * };
 * const spec: SandboxSpec = {
 *   name: "agent-1",
 *   image: "python",
 *   network: { secrets: { entries: [openai] } },
 * };
 * ```
 */
export interface SecretEntry {
  /** The environment variable the sandbox reads the placeholder from. */
  envVar: string;
  /**
   * The secret. Required to create; the cloud never echoes it, so a spec read back has none.
   */
  value?: string;
  /** What the sandbox sees instead of the secret. */
  placeholder: string;
  /** The hosts the secret may be sent to. */
  allowedHosts?: HostPattern[];
  /** Where in a request it may be swapped in. */
  injection?: SecretInjection;
  /** What to do when the placeholder goes elsewhere, overriding the default of the secrets. */
  onViolation?: ViolationAction;
  /**
   * Whether the host must prove its TLS identity before the secret is swapped in.
   * @default {true}
   */
  requireTlsIdentity?: boolean;
}

/**
 * The secrets of a sandbox and what happens when one leaks (current wire only).
 *
 * @example Terminate on any leak
 * ```ts
 * import type { SecretsConfig } from "@microsandbox/edge";
 *
 * const secrets: SecretsConfig = {
 *   entries: [{
 *     envVar: "GITHUB_TOKEN",
 *     value: "ghp_123",
 *     placeholder: "$MSB_GITHUB_TOKEN",
 *     allowedHosts: [{ type: "exact", value: "api.github.com" }],
 *   }],
 *   onViolation: { type: "block_and_terminate" },
 * };
 * ```
 */
export interface SecretsConfig {
  /** The secrets. */
  entries: SecretEntry[];
  /** What to do when a placeholder goes to a host its secret does not allow. */
  onViolation?: ViolationAction;
}
