// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";
import type { TcpConnect } from "../protocol/mod.ts";

/** The host `connect` reaches when none is named. */
export const DEFAULT_HOST = "127.0.0.1";

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_][A-Za-z0-9_-]{0,62}(?:\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\.?$/;
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}(?:%[A-Za-z0-9_.-]{1,32})?$/;

/**
 * The `core.tcp.connect` payload for `port` and `host`, checked before anything is sent.
 *
 * @param port A port from 1 to 65535.
 * @param host A host name, an IPv4 or an IPv6 address (without brackets).
 * @returns The payload.
 */
export function connectTarget(port: number, host: string = DEFAULT_HOST): TcpConnect {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidConfigError(
      `Cannot connect to port ${String(port)}: use an integer from 1 to 65535`,
    );
  }
  if (typeof host !== "string" || !(HOSTNAME.test(host) || IPV6.test(host))) {
    throw new InvalidConfigError(
      `Cannot connect to host ${JSON.stringify(host)}: use a host name, an IPv4 address or an ` +
        "IPv6 address without brackets",
    );
  }
  return { host, port };
}

/** `host:port`, with an IPv6 host in brackets, for messages. */
export function targetText({ host, port }: TcpConnect): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
