// The soak's flags, each also read from the environment (SOAK_<NAME>, e.g. SOAK_DURATION=30).

import { type BreakKind, BREAKS } from "./_breaks.ts";

/** What a run does. */
export interface SoakFlags {
  /** Seconds the clients run. */
  duration: number;
  /** The most requests and sockets the clients open in all. */
  maxRequests: number;
  /** How many tenants (each runs the same clients). */
  tenants: number;
  /** The seed of the random choices (clients, commands, faults). */
  seed: number;
  /** The deadline of one operation, in milliseconds. */
  deadlineMs: number;
  /** The mean time between two faults, in milliseconds. */
  faultEveryMs: number;
  /** Whether to check memory: `auto` does for runs of 60 s or more. */
  memory: "auto" | "on" | "off";
  /** A defect to plant in the server (the run must then fail). */
  break: BreakKind | undefined;
  /** Run every `--break` and check that each fails the soak with its own detector. */
  selfCheck: boolean;
}

export const USAGE =
  `Usage: deno task soak [--duration=S] [--max-requests=N] [--tenants=N] [--seed=N]
  [--deadline-ms=MS] [--fault-every-ms=MS] [--memory=auto|on|off] [--break=KIND] [--self-check]

Many clients of several tenants against the Hono adapter over the local cloud, with random faults,
on 127.0.0.1. Exits 1 on a lost or repeated log entry, wrong output, a hang, an untyped error, the
API key in an answer, a scope leak, or server memory that grows (runs of 60 s or more).
Every flag is also read from SOAK_<NAME> (SOAK_DURATION=15). Defaults: 120 s, 40000 requests,
3 tenants, a random seed, 45000 ms, a fault every 400 ms.
--break plants a defect (${
    Object.keys(BREAKS).join(", ")
  }); --self-check runs each and checks it fails.`;

/** Parses `args` (`--name=value` or `--name value`) over the environment's SOAK_* values. */
export function parseFlags(
  args: readonly string[],
  env: (name: string) => string | undefined,
): SoakFlags {
  const given = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(args[i]!);
    if (!match) throw new Error(`unknown argument ${args[i]}\n${USAGE}`);
    const value = match[2] ?? (args[i + 1]?.startsWith("--") === false ? args[++i]! : "true");
    given.set(match[1]!, value);
  }
  const value = (name: string) =>
    given.get(name) ?? env(`SOAK_${name.replaceAll("-", "_").toUpperCase()}`);
  const number = (name: string, fallback: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new Error(`--${name} must be a positive number`);
    }
    return parsed;
  };
  const broken = value("break");
  if (broken !== undefined && !Object.hasOwn(BREAKS, broken)) {
    throw new Error(`--break must be one of ${Object.keys(BREAKS).join(", ")}`);
  }
  const memory = value("memory") ?? "auto";
  if (!["auto", "on", "off"].includes(memory)) throw new Error("--memory must be auto, on or off");
  if (given.has("help")) throw new Error(USAGE);
  return {
    duration: number("duration", 120),
    maxRequests: number("max-requests", 40_000),
    tenants: Math.min(5, Math.max(2, Math.round(number("tenants", 3)))),
    seed: Math.floor(number("seed", 1 + Math.floor(Math.random() * 2 ** 31))),
    deadlineMs: number("deadline-ms", 45_000),
    faultEveryMs: number("fault-every-ms", 400),
    memory: memory as SoakFlags["memory"],
    break: broken as BreakKind | undefined,
    selfCheck: value("self-check") === "true",
  };
}
