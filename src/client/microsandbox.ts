// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  type MicrosandboxOptions,
  resolveOptions,
  type WireGeneration,
} from "../config/client_options.ts";
import { credentialsFromEnv } from "../config/from_env.ts";
import { credentialsFromProfile } from "../config/from_profile.ts";
import { HttpTransport } from "../transport/http_transport.ts";
import { currentAdapter } from "../wire/current.ts";
import { v05Adapter } from "../wire/v0_5.ts";
import { socketContext } from "../wire/_socket_context.ts";
import { AccountApi } from "./_account_api.ts";
import { type Account, accountOf } from "./account.ts";
import { SandboxApi } from "./_sandbox_api.ts";
import { type Sandboxes, sandboxesOf } from "./sandboxes.ts";
import { VolumeApi } from "./_volume_api.ts";
import { type Volumes, volumesOf } from "./volumes.ts";

/**
 * Options of {@linkcode Microsandbox.fromEnv}: everything but the key and the URL.
 *
 * @example Settings the environment does not hold
 * ```ts
 * import { type FromEnvOptions, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // The key and the URL come from the variables; the rest from the options.
 * const options: FromEnvOptions = { wire: "v0.5", timeout: 10_000, retry: false };
 * const env = { MSB_API_KEY: "msb_test_123", MSB_API_URL: "https://msb.internal.test" };
 * const msb = Microsandbox.fromEnv(env, options);
 * assert.equal(msb.url, "https://msb.internal.test");
 * assert.equal(msb.wire, "v0.5");
 * ```
 */
export type FromEnvOptions = Omit<MicrosandboxOptions, "apiKey" | "url">;

/**
 * Options of {@linkcode Microsandbox.fromProfile}.
 *
 * @example A profile whose key is in a variable
 * ```ts
 * import { type FromProfileOptions, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${home}/config.json`,
 *   JSON.stringify({
 *     profiles: {
 *       staging: {
 *         backend: "cloud",
 *         url: "https://staging.msb.test",
 *         api_key_ref: "env:STAGING_KEY",
 *       },
 *     },
 *   }),
 * );
 * // `env` replaces the runtime's environment: where the config is, and what `env:` refs read.
 * const options: FromProfileOptions = {
 *   env: { MSB_HOME: home, STAGING_KEY: "msb_test_123" },
 *   timeout: 10_000,
 * };
 * const msb = Microsandbox.fromProfile("staging", options);
 * assert.equal(msb.url, "https://staging.msb.test");
 * await Deno.remove(home, { recursive: true });
 * ```
 */
export interface FromProfileOptions extends FromEnvOptions {
  /** Variables to read instead of the runtime's environment (`MSB_HOME`, `HOME`, `env:` refs). */
  env?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The msb-cloud client. It holds the API key (in a private field, never printed) and the
 * transport settings, and hands out {@linkcode Sandboxes} as `msb.sandboxes` and the
 * organisation's reads as `msb.account`.
 *
 * @example From a Workers env, Deno, Bun or Node
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * export default {
 *   async fetch(_request: Request, env: Record<string, string>): Promise<Response> {
 *     const msb = Microsandbox.fromEnv(env);
 *     const sandbox = await msb.sandboxes.get("build-42");
 *     return Response.json({ status: sandbox.status });
 *   },
 * };
 * ```
 *
 * @example Explicit options
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const msb = new Microsandbox({ apiKey: " msb_test_123 ", url: "https://example.test/api/// " });
 * assert.equal(msb.url, "https://example.test/api");
 * assert.equal(msb.wire, "current");
 * ```
 */
export class Microsandbox {
  /** The API endpoint, trimmed and without trailing slashes. */
  readonly url: string;
  /** The wire generation spoken. */
  readonly wire: WireGeneration;
  /** The sandboxes of the organisation. */
  readonly sandboxes: Sandboxes;
  /** The organisation and its members (current wire only). */
  readonly account: Account;
  /** The organisation's volumes and their files (current wire only). */
  readonly volumes: Volumes;

  /**
   * Validates the options (the SDK's rules and wording) and builds a client; nothing is sent yet.
   *
   * @param options The API key and, optionally, URL, wire, fetch, timeout, User-Agent and retry.
   */
  constructor(options: MicrosandboxOptions) {
    const resolved = resolveOptions(options);
    this.url = resolved.url;
    this.wire = resolved.wire;
    const adapter = resolved.wire === "v0.5" ? v05Adapter : currentAdapter;
    const exec = adapter.execRoute(socketContext(resolved), resolved.connectTimeout);
    const transport = new HttpTransport(resolved);
    this.sandboxes = sandboxesOf(new SandboxApi(transport, adapter, exec));
    this.account = accountOf(new AccountApi(transport, adapter));
    this.volumes = volumesOf(new VolumeApi(transport, adapter));
  }

  /**
   * Builds a client from `MSB_API_KEY` (required) and `MSB_API_URL` (optional) of `env`, such as a
   * Workers `env`, or of the runtime's environment when `env` is not given or names neither
   * variable (as Deno's `ServeHandlerInfo` and Bun's `Server`, a fetch handler's second argument).
   *
   * @param env The variables to read; the runtime's environment when omitted or naming neither.
   * @param options Further client options.
   * @returns The client.
   *
   * @example From a plain record
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import assert from "node:assert/strict";
   *
   * const msb = Microsandbox.fromEnv({ MSB_API_KEY: "msb_test_123" });
   * assert.equal(msb.url, "https://api.microsandbox.dev");
   * ```
   */
  static fromEnv(env?: Readonly<Record<string, unknown>>, options?: FromEnvOptions): Microsandbox {
    const { url, apiKey } = credentialsFromEnv(env);
    return new Microsandbox({ ...options, apiKey, url });
  }

  /**
   * Builds a client from a cloud profile of `~/.microsandbox/config.json` (`MSB_HOME`,
   * `MSB_CONFIG_PATH`): `name`, else `MSB_PROFILE`, else `active_profile`. Its `api_key_ref` is
   * `env:VAR` or `inline:KEY`. Needs a runtime with a file system (Deno, Bun, Node).
   *
   * @param name The profile; `MSB_PROFILE` or `active_profile` when omitted.
   * @param options Variables to read instead of the environment, and further client options.
   * @returns The client.
   *
   * @example A named profile
   * ```ts ignore
   * import { Microsandbox } from "@microsandbox/edge";
   *
   * const msb = Microsandbox.fromProfile("staging");
   * console.log(msb.url);
   * ```
   */
  static fromProfile(name?: string, options: FromProfileOptions = {}): Microsandbox {
    const { env, ...rest } = options;
    const { url, apiKey } = credentialsFromProfile(name, env);
    return new Microsandbox({ ...rest, apiKey, url });
  }
}
