/**
 * What the host lets the local cloud use to run commands: the helper tools it finds on `PATH`
 * (`bwrap`, `unshare`, `perl`, `script`, `prlimit`, `stty`, `nsenter`), the best isolation that works
 * here, and why nothing better does. Probed once per process and cached.
 *
 * @module
 */

import { hostSystemEntries, layOutRoot, type SystemEntry } from "../sandbox_dir/_root_layout.ts";
import type { IsolationMode } from "../isolation_mode.ts";
import type { GuestMount } from "../sandbox_dir/_sandbox_dirs.ts";

export type { IsolationMode };

/** Absolute paths of the helper tools, `null` for those the host lacks. */
export interface HostTools {
  /** bubblewrap's `bwrap`, for a root view per sandbox. */
  readonly bwrap: string | null;
  /** util-linux `unshare`, for namespaces. */
  readonly unshare: string | null;
  /** `perl`, which runs the reaper that records how a command ended. */
  readonly perl: string | null;
  /** util-linux `script`, which gives a command a terminal. */
  readonly script: string | null;
  /** util-linux `prlimit`, which applies resource limits. */
  readonly prlimit: string | null;
  /** coreutils `stty`, which resizes a terminal. */
  readonly stty: string | null;
  /** util-linux `nsenter`, which joins a sandbox's network namespace. */
  readonly nsenter: string | null;
}

/** What the host offers. */
export interface HostInfo {
  /** The isolation commands run under. */
  readonly isolation: IsolationMode;
  /** The helper tools found. */
  readonly tools: HostTools;
  /** The host's system entries a root view shares (what `bubblewrap` binds read-only). */
  readonly systemEntries: readonly SystemEntry[];
  /** Why commands do not get a root view of their own here; `null` under `bubblewrap`. */
  readonly shortfall: string | null;
}

/** The namespace flags of every command under `namespaces`. */
export const UNSHARE_FLAGS: readonly string[] = [
  "--user",
  "--map-root-user",
  "--pid",
  "--fork",
  "--net",
  "--mount-proc",
  "--kill-child",
];

/**
 * The namespace flags of a command under `namespaces` that joined its sandbox's user and network
 * namespaces (`_sandbox_nets.ts`): a pid and a mount namespace of its own.
 */
export const UNSHARE_JOINED_FLAGS: readonly string[] = [
  "--pid",
  "--fork",
  "--mount-proc",
  "--kill-child",
];

/** The namespace flags of every command under `bubblewrap`; the first process inside is pid 1. */
export const BWRAP_FLAGS: readonly string[] = [
  "--unshare-user",
  "--uid",
  "0",
  "--gid",
  "0",
  "--unshare-pid",
  "--unshare-net",
  "--die-with-parent",
  "--as-pid-1",
];

/**
 * The `bwrap` arguments that give a command its sandbox's root view: the sandbox folder as `/`,
 * the host's system directories bound read-only over it (its symlinks, such as `bin -> usr/bin`,
 * are in the folder already), a fresh `/proc` and a minimal `/dev`.
 *
 * @param sandboxDir The sandbox folder, laid out with `layOutRoot`.
 * @param entries The host's system entries.
 * @param cwd The working directory, as a guest path.
 * @param mounts Host directories to bind at guest paths (named volumes).
 * @param joinedNet Whether the command joined its sandbox's network namespace already (no
 * network namespace of its own then).
 * @returns The arguments, to be followed by `--` and the command.
 */
export function rootViewArgs(
  sandboxDir: string,
  entries: readonly SystemEntry[],
  cwd: string,
  mounts: readonly GuestMount[] = [],
  joinedNet = false,
): string[] {
  const flags = joinedNet ? BWRAP_FLAGS.filter((flag) => flag !== "--unshare-net") : BWRAP_FLAGS;
  const args = [...flags, "--bind", sandboxDir, "/"];
  for (const entry of entries) {
    if (entry.kind === "dir") args.push("--ro-bind", `/${entry.name}`, `/${entry.name}`);
  }
  for (const mount of mounts) {
    args.push(mount.readOnly ? "--ro-bind" : "--bind", mount.host, mount.guest);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--chdir", cwd);
  return args;
}

/**
 * The system entries a sandbox's folder is laid out with: the host's, when commands get the
 * sandbox's own root view (`bubblewrap`); none otherwise.
 *
 * @param host The host.
 * @returns The entries to give each sandbox folder mount points and symlinks for.
 */
export function rootEntries(host: HostInfo): readonly SystemEntry[] {
  return host.isolation === "bubblewrap" ? host.systemEntries : [];
}

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The `PATH` of a command under a root view when its request sets none. */
export const GUEST_PATH: string = DEFAULT_PATH;

/** What the host has, and why each namespaced mode cannot be used (`null`: it works). */
interface Probe {
  readonly tools: HostTools;
  readonly systemEntries: readonly SystemEntry[];
  readonly problems: Readonly<Record<"bubblewrap" | "namespaces", string | null>>;
}

/** What each mode gives, as said when a better one is not used. */
const FALLBACK: Readonly<Record<"namespaces" | "none", string>> = {
  namespaces: "commands get their own namespaces but see the host's file system",
  none: "commands are plain host processes on the host's file system",
};

let probe: Promise<Probe> | undefined;

/**
 * Probes the host once per process: finds the helper tools and tries `bwrap` and `unshare` on
 * the reaper. Never rejects: without `--allow-run`, `--allow-read` or the tools, the mode is
 * `none`, with the reason in {@linkcode HostInfo.shortfall}.
 *
 * @returns The best isolation the host offers.
 */
export async function probeHost(): Promise<HostInfo> {
  probe ??= detect();
  const { tools, systemEntries, problems } = await probe;
  const host = { tools, systemEntries };
  if (problems.bubblewrap === null) return { ...host, isolation: "bubblewrap", shortfall: null };
  const isolation = problems.namespaces === null ? "namespaces" : "none";
  const why = problems.namespaces === null
    ? FALLBACK.namespaces
    : `${problems.namespaces}, so ${FALLBACK.none}`;
  return {
    ...host,
    isolation,
    shortfall: `No root view per sandbox: ${problems.bubblewrap}; ${why}`,
  };
}

/**
 * The host for a requested isolation: the best the host offers for `"auto"`, else the mode
 * asked for, or why the host cannot give it.
 *
 * @param requested `"auto"` or a mode.
 * @returns The host, or the reason the mode cannot be had.
 */
export async function chooseIsolation(
  requested: "auto" | IsolationMode,
): Promise<HostInfo | { refused: string }> {
  if (requested === "auto") return await probeHost();
  probe ??= detect();
  const { tools, systemEntries, problems } = await probe;
  if (requested !== "none" && problems[requested] !== null) {
    return { refused: `Cannot isolate commands with ${requested} here: ${problems[requested]}` };
  }
  const host = { tools, systemEntries, isolation: requested };
  if (requested === "bubblewrap") return { ...host, shortfall: null };
  const asked = `isolation ${JSON.stringify(requested)} was asked for`;
  return { ...host, shortfall: `No root view per sandbox: ${asked}; ${FALLBACK[requested]}` };
}

async function detect(): Promise<Probe> {
  const names = ["bwrap", "unshare", "perl", "script", "prlimit", "stty", "nsenter"] as const;
  if (!granted("run") || !granted("read")) {
    const tools = Object.fromEntries(names.map((name) => [name, null])) as unknown as HostTools;
    const problem = "the local cloud lacks --allow-run or --allow-read";
    return { tools, systemEntries: [], problems: { bubblewrap: problem, namespaces: problem } };
  }
  const found = await Promise.all(names.map(findTool));
  const tools = Object.fromEntries(
    names.map((name, i) => [name, found[i] ?? null]),
  ) as unknown as HostTools;
  const systemEntries = await hostSystemEntries();
  const [bubblewrap, namespaces] = await Promise.all([
    bubblewrapProblem(tools, systemEntries),
    namespacesProblem(tools),
  ]);
  return { tools, systemEntries, problems: { bubblewrap, namespaces } };
}

/** Why `bubblewrap` cannot be used, or `null` when it works. */
async function bubblewrapProblem(
  tools: HostTools,
  entries: readonly SystemEntry[],
): Promise<string | null> {
  if (!tools.bwrap) return "bubblewrap is not installed (`apt-get install bubblewrap`)";
  const common = commonProblem(tools);
  if (common) return common;
  let root: string | undefined;
  try {
    root = await Deno.makeTempDir({ prefix: "msb-bwrap-probe-" });
    await layOutRoot(root, entries);
    const args = [...rootViewArgs(root, entries, "/"), "--", tools.perl!, "-e", "exit 7"];
    return await exitsWith7(tools.bwrap, args, "`bwrap`");
  } catch (error) {
    return `cannot try bubblewrap: ${(error as Error)?.message ?? error}`;
  } finally {
    if (root) await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** Why `namespaces` cannot be used, or `null` when it works. */
async function namespacesProblem(tools: HostTools): Promise<string | null> {
  if (!tools.unshare) return "util-linux `unshare` is not installed";
  const common = commonProblem(tools);
  if (common) return common;
  const args = [...UNSHARE_FLAGS, "--", tools.perl!, "-e", "exit 7"];
  return await exitsWith7(tools.unshare, args, "`unshare`");
}

/** What both namespaced modes need besides their wrapper. */
function commonProblem(tools: HostTools): string | null {
  if (!tools.perl) return "`perl` (which runs the reaper) is not installed";
  // Signals reach a namespaced command through /proc, which Deno opens only with --allow-all.
  if (!procReadable()) return "/proc cannot be read (run the local cloud with --allow-all)";
  return null;
}

function procReadable(): boolean {
  try {
    Deno.readTextFileSync(`/proc/${Deno.pid}/task/${Deno.pid}/children`);
    return true;
  } catch {
    return false;
  }
}

async function exitsWith7(exe: string, args: string[], shown: string): Promise<string | null> {
  try {
    const { code, stderr } = await new Deno.Command(exe, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code === 7) return null;
    const said = new TextDecoder().decode(stderr).trim().split("\n").slice(-2).join(" | ");
    return `${shown} fails here (exit ${code}${said ? `: ${said}` : ""})`;
  } catch (error) {
    return `${shown} cannot run: ${(error as Error)?.message ?? error}`;
  }
}

/**
 * The host's `PATH`, or a usual default when it is unset or unreadable.
 *
 * @returns A colon-separated list of directories.
 */
export function hostPath(): string {
  try {
    if (!granted("env")) return DEFAULT_PATH;
    return Deno.env.get("PATH") || DEFAULT_PATH;
  } catch {
    return DEFAULT_PATH;
  }
}

async function findTool(name: string): Promise<string | undefined> {
  for (const dir of hostPath().split(":")) {
    if (!dir.startsWith("/")) continue;
    const path = `${dir}/${name}`;
    try {
      const info = await Deno.stat(path);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return path;
    } catch {
      // Not there, or not readable: try the next directory.
    }
  }
  return undefined;
}

/** Whether a permission is granted, without ever prompting. */
function granted(name: "run" | "read" | "env"): boolean {
  try {
    return Deno.permissions.querySync({ name }).state === "granted";
  } catch {
    return false;
  }
}
