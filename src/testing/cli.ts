/**
 * `deno task cloud`: runs the local cloud as a standalone server on 127.0.0.1 until SIGINT or
 * SIGTERM, and prints the `MSB_API_URL` and `MSB_API_KEY` lines to paste into a shell or a
 * `.env` file, then what isolation its commands get (and, when it is not a root view per
 * sandbox, why). The local cloud is a development tool, not a security boundary.
 *
 * Flags (each also accepted as `--flag=value`):
 * - `--generation v0.5|current` (env `MSB_LOCAL_GENERATION`, default `current`)
 * - `--port N` (env `MSB_LOCAL_PORT`, default a free port)
 * - `--api-key K` (env `MSB_LOCAL_API_KEY`, default a random `msb_test_…` key)
 * - `--isolation auto|bubblewrap|namespaces|none` (env `MSB_LOCAL_ISOLATION`, default `auto`)
 * - `--boot-delay-ms N` (default 20), `--stop-delay-ms N` (default 0, unlike the library's 10,
 *   so that scripted stop-then-start sequences such as the REST contract check never race)
 * - `--help`
 *
 * @module
 */

import {
  type IsolationMode,
  type LocalCloud,
  type LocalCloudOptions,
  startLocalCloud,
  type WireGeneration,
} from "./local_cloud.ts";

const USAGE = `Usage: deno task cloud [options]

Runs a local microsandbox cloud on 127.0.0.1 until Ctrl+C.

Options:
  --generation v0.5|current  wire generation to speak (env MSB_LOCAL_GENERATION; default current)
  --port N                   port to listen on (env MSB_LOCAL_PORT; default: a free port)
  --api-key K                API key to require (env MSB_LOCAL_API_KEY; default: random)
  --isolation MODE           auto|bubblewrap|namespaces|none (env MSB_LOCAL_ISOLATION;
                             default auto: the best the host allows)
                             bubblewrap: each sandbox its own root view (the host's /usr,
                               /etc, /bin, /lib* read-only, its own folder for the rest) and
                               its own user, pid, mount and network namespaces (needs bwrap:
                               apt-get install bubblewrap)
                             namespaces: those namespaces under unshare, on the host's files
                             none: plain host processes on the host's files
                             None is a security boundary: this is a development tool.
  --boot-delay-ms N          milliseconds from starting to running (default 20)
  --stop-delay-ms N          milliseconds from stopping to stopped (default 0: a stop
                             answers "stopped", so scripted stop-then-start never races)
  --help                     print this help`;

/** The CLI's stop delay: instant, so a stop followed at once by a start is never refused. */
const CLI_STOP_DELAY_MS = 0;

const FLAGS = [
  "generation",
  "port",
  "api-key",
  "isolation",
  "boot-delay-ms",
  "stop-delay-ms",
] as const;
type Flag = typeof FLAGS[number];

/**
 * Reads the command line and environment into local-cloud options.
 *
 * @param args The command-line arguments.
 * @param env Reads an environment variable.
 * @returns The options, or `"help"` when `--help` was given.
 * @throws {TypeError} For an unknown flag, a flag without a value, or a value that is not a number
 *   where one is expected.
 *
 * @example Parse flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCliArgs } from "./cli.ts";
 *
 * const options = parseCliArgs(["--generation=v0.5", "--port", "8080"], () => undefined);
 * assert.deepEqual(options, { generation: "v0.5", port: 8080, stopDelayMs: 0 });
 * ```
 */
export function parseCliArgs(
  args: readonly string[],
  env: (name: string) => string | undefined,
): LocalCloudOptions | "help" {
  const values: Partial<Record<Flag, string | undefined>> = {
    generation: env("MSB_LOCAL_GENERATION"),
    port: env("MSB_LOCAL_PORT"),
    "api-key": env("MSB_LOCAL_API_KEY"),
    isolation: env("MSB_LOCAL_ISOLATION"),
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    const [flag, inline] = arg.startsWith("--") ? splitFlag(arg.slice(2)) : [arg, undefined];
    if (!isFlag(flag)) {
      throw new TypeError(`Cannot use argument ${JSON.stringify(arg)}: see --help`);
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new TypeError(`Cannot use --${flag} without a value`);
    values[flag] = value;
  }
  return withoutUndefined({
    generation: values.generation as WireGeneration | undefined,
    apiKey: values["api-key"],
    port: toNumber("port", values.port),
    bootDelayMs: toNumber("boot-delay-ms", values["boot-delay-ms"]),
    stopDelayMs: toNumber("stop-delay-ms", values["stop-delay-ms"]) ?? CLI_STOP_DELAY_MS,
    isolation: values.isolation as LocalCloudOptions["isolation"],
    agentIdRange: undefined,
  });
}

/**
 * Runs the local cloud until SIGINT or SIGTERM.
 *
 * @param args The command-line arguments.
 * @returns The process exit code.
 */
export async function main(args: readonly string[]): Promise<number> {
  let options: LocalCloudOptions | "help";
  try {
    options = parseCliArgs(args, readEnv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud(options);
  } catch (error) {
    console.error(`Cannot start the local cloud: ${(error as Error).message}`);
    return 1;
  }
  console.log(`# microsandbox local cloud (wire "${cloud.generation}"); stop it with Ctrl+C`);
  console.log(`MSB_API_URL=${cloud.url}`);
  console.log(`MSB_API_KEY=${cloud.apiKey}`);
  for (const line of isolationLines(cloud)) console.log(`# ${line}`);
  const signal = await nextSignal();
  await cloud.close();
  console.log(`# stopped on ${signal}`);
  return 0;
}

/** What each mode gives a command. */
const ISOLATION: Readonly<Record<IsolationMode, string>> = {
  bubblewrap: "each sandbox has its own root view (the host's /usr, /etc, /bin and /lib* " +
    "read-only, its own folder for /, /tmp, /root, the workdir and the rest) and its own user, " +
    "pid, mount and network namespaces",
  namespaces: "each command has its own user, pid, mount and network namespaces, but " +
    "works on the host's file system (only its working directory is mapped into its " +
    "sandbox's folder)",
  none: "commands are plain host processes on the host's file system (only the working " +
    "directory is mapped into the sandbox's folder)",
};

/**
 * Says what isolation the cloud's commands get, why nothing better, and what it is not.
 *
 * @param cloud The cloud.
 * @returns The lines, without the leading `# `.
 */
function isolationLines(
  cloud: Pick<LocalCloud, "isolation" | "isolationShortfall">,
): string[] {
  const lines = [`commands run with isolation "${cloud.isolation}": ${ISOLATION[cloud.isolation]}`];
  if (cloud.isolationShortfall) lines.push(cloud.isolationShortfall);
  lines.push(
    "this is a development tool, not a security boundary: commands run with your user's " +
      "rights on the host's kernel",
  );
  return lines;
}

function splitFlag(text: string): [string, string | undefined] {
  const eq = text.indexOf("=");
  return eq === -1 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

function isFlag(name: string): name is Flag {
  return (FLAGS as readonly string[]).includes(name);
}

function toNumber(flag: Flag, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === "" ? NaN : Number(value);
  if (Number.isNaN(number)) throw new TypeError(`Cannot use --${flag} ${value}: give a number`);
  return number;
}

type Loose<T> = { [K in keyof T]: T[K] | undefined };

function withoutUndefined(options: Loose<Required<LocalCloudOptions>>): LocalCloudOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as LocalCloudOptions;
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function nextSignal(): Promise<Deno.Signal> {
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGINT", "SIGTERM"];
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = (): void => {
        signals.forEach((s, i) => Deno.removeSignalListener(s, handlers[i]!));
        resolve(signal);
      };
      Deno.addSignalListener(signal, handler);
      return handler;
    });
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
