// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The environment and the file system exist only on some runtimes (Deno, Bun, Node), and not on
// Workers or in browsers. They are found by feature detection so that this module type-checks
// against the DOM lib alone and loads everywhere.

import { InvalidConfigError } from "../errors.ts";

interface DenoLike {
  env: { get(name: string): string | undefined };
  readTextFileSync(path: string): string;
}

interface NodeFsLike {
  readFileSync(path: string, encoding: "utf8"): string;
}

interface ProcessLike {
  env: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
}

const host = globalThis as { Deno?: DenoLike; process?: ProcessLike };

/** A way to read one environment variable. */
export type EnvReader = (name: string) => string | undefined;

/** Reads variables from a plain record, such as a Workers `env`; non-string values are absent. */
export function recordEnv(record: Readonly<Record<string, unknown>>): EnvReader {
  return (name) => {
    const value = record[name];
    return typeof value === "string" ? value : undefined;
  };
}

/** The runtime's own environment, where it has one. */
export function runtimeEnv(): EnvReader {
  const deno = host.Deno;
  if (deno) return (name) => guarded(`read ${name}`, () => deno.env.get(name));
  const env = host.process?.env;
  if (env) return (name) => env[name];
  return () => undefined;
}

/** Reads a text file, or returns `undefined` when it does not exist. */
export function readTextFile(path: string): string | undefined {
  const read = fileReader();
  try {
    return read(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new InvalidConfigError(`failed to read SDK config at ${path}: ${describe(error)}`, {
      cause: error,
    });
  }
}

function fileReader(): (path: string) => string {
  const deno = host.Deno;
  if (deno) return (path) => deno.readTextFileSync(path);
  const fs = host.process?.getBuiltinModule?.("node:fs") as NodeFsLike | undefined;
  if (fs) return (path) => fs.readFileSync(path, "utf8");
  throw new InvalidConfigError(
    "profiles need a file system: this runtime has none, so use Microsandbox.fromEnv(env) instead",
  );
}

function guarded<T>(action: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new InvalidConfigError(`cannot ${action}: ${describe(error)}`, { cause: error });
  }
}

function isNotFound(error: unknown): boolean {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "NotFound" || code === "ENOENT";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
