/**
 * The options of {@linkcode startLocalCloud} checked and completed with their defaults.
 *
 * @module
 */

import type { LocalCloudLogOptions, LocalCloudOptions } from "../local_cloud_options.ts";

/** Every option of a local cloud, set. */
export type Settings = Required<LocalCloudOptions & LocalCloudLogOptions>;

/**
 * Checks the options and fills in the defaults.
 *
 * @param options The options as given.
 * @returns The settings.
 * @throws {TypeError} For an unknown generation or isolation, or an API key that cannot be sent
 * in a header.
 * @throws {RangeError} For a port, delay, heartbeat or agent id range out of range.
 */
export function checkOptions(options: LocalCloudOptions & LocalCloudLogOptions): Settings {
  const settings: Settings = {
    generation: options.generation ?? "current",
    apiKey: options.apiKey ?? randomApiKey(),
    port: options.port ?? 0,
    bootDelayMs: options.bootDelayMs ?? 20,
    stopDelayMs: options.stopDelayMs ?? 10,
    agentIdRange: options.agentIdRange ?? [1000, 2000],
    isolation: options.isolation ?? "auto",
    logHeartbeatMs: options.logHeartbeatMs ?? 15_000,
  };
  if (settings.generation !== "current" && settings.generation !== "v0.5") {
    throw new TypeError(
      `Cannot start a local cloud of generation ${
        JSON.stringify(settings.generation)
      }: use "current" or "v0.5"`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(settings.apiKey)) {
    throw new TypeError(
      "Cannot use the API key: use printable ASCII characters without spaces",
    );
  }
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) {
    throw new RangeError(`Cannot listen on port ${settings.port}: use an integer from 0 to 65535`);
  }
  if (!Number.isFinite(settings.logHeartbeatMs) || settings.logHeartbeatMs <= 0) {
    throw new RangeError(
      `Cannot use logHeartbeatMs ${settings.logHeartbeatMs}: use a finite number above 0`,
    );
  }
  for (const key of ["bootDelayMs", "stopDelayMs"] as const) {
    if (!Number.isFinite(settings[key]) || settings[key] < 0) {
      throw new RangeError(`Cannot use ${key} ${settings[key]}: use a finite number of at least 0`);
    }
  }
  const [min, max] = settings.agentIdRange;
  if (
    !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 0xffff_ffff ||
    min >= max || max < 2
  ) {
    throw new RangeError(
      `Cannot grant agent ids [${min}, ${max}): use integers with 0 <= min < max <= 4294967295 ` +
        "and at least one id above 0",
    );
  }
  if (!["auto", "bubblewrap", "namespaces", "none"].includes(settings.isolation)) {
    throw new TypeError(
      `Cannot use isolation ${
        JSON.stringify(settings.isolation)
      }: use "auto", "bubblewrap", "namespaces" or "none"`,
    );
  }
  return settings;
}

function randomApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `msb_test_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
