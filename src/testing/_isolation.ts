/**
 * What the host lets the local cloud use to run commands: the helper tools it finds on `PATH`
 * (`unshare`, `perl`, `script`, `prlimit`, `stty`) and whether commands can run in their own
 * user, pid, mount and network namespaces. Probed once per process and cached.
 *
 * @module
 */

/**
 * How the local cloud separates a sandbox's commands from the host.
 *
 * @example Find out what the host allows, to skip tests that need namespaces
 * ```ts
 * import { type IsolationMode, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * async function hostIsolation(): Promise<IsolationMode> {
 *   await using cloud = await startLocalCloud({ isolation: "auto" });
 *   return cloud.isolation;
 * }
 * // Such as Deno.test({ name: "...", ignore: (await hostIsolation()) !== "namespaces", fn })
 * assert.ok(["namespaces", "none"].includes(await hostIsolation()));
 *
 * await using plain = await startLocalCloud({ isolation: "none" });
 * assert.equal(plain.isolation, "none");
 * ```
 */
export type IsolationMode = "namespaces" | "none";

/** Absolute paths of the helper tools, `null` for those the host lacks. */
export interface HostTools {
  /** util-linux `unshare`, for namespaces. */
  readonly unshare: string | null;
  /** `perl`, which runs {@linkcode WAITER_SCRIPT} (the reaper that records how a command ended). */
  readonly perl: string | null;
  /** util-linux `script`, which gives a command a terminal. */
  readonly script: string | null;
  /** util-linux `prlimit`, which applies resource limits. */
  readonly prlimit: string | null;
  /** coreutils `stty`, which resizes a terminal. */
  readonly stty: string | null;
}

/** What the host offers. */
export interface HostInfo {
  /** `namespaces` when `unshare` with user, pid, mount and network namespaces works here. */
  readonly isolation: IsolationMode;
  /** The helper tools found. */
  readonly tools: HostTools;
}

/** The namespace flags every isolated command runs under. */
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
 * The reaper between a wrapper and the command, as a Perl one-liner. Arguments: the status file,
 * terminal rows and columns (0 for none), the program path, then the command's argv (argv[0]
 * first). It sets the terminal size when its stdin is a terminal, forks and execs the command,
 * reaps every child (it may be pid 1 of a pid namespace), and writes `exit N` or `signal N` to
 * the status file, or `failed ERRNO` to the status file + `.exec` when exec fails. As pid 1 it
 * cannot re-raise a signal on itself, hence the file.
 */
export const WAITER_SCRIPT: string = [
  "my ($s, $r, $c, $p, @a) = @ARGV;",
  "if ($r > 0 && $c > 0 && -t STDIN) { ioctl(STDIN, 0x5414, pack(q(S4), $r, $c, 0, 0)) }",
  "my $k = fork();",
  "if (!defined $k) { exit 126 }",
  "if ($k == 0) { exec { $p } @a; my $e = $! + 0;",
  "  if (open(my $f, q(>), qq($s.exec))) { print $f qq(failed $e); close $f } exit 127 }",
  "close STDIN; close STDOUT; close STDERR;",
  "my $t = 255 << 8;",
  "while (1) { my $w = waitpid(-1, 0); if ($w == $k) { $t = $?; last } last if $w < 0 }",
  "if (open(my $f, q(>), $s)) { print $f (($t & 127) ? q(signal ) . ($t & 127) : q(exit ) . ($t >> 8)); close $f }",
  "exit(($t & 127) ? 128 + ($t & 127) : $t >> 8);",
].join(" ");

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

let probe: Promise<HostInfo> | undefined;

/**
 * Probes the host once per process: finds the helper tools and checks that
 * `unshare --user --map-root-user --pid --fork --net --mount-proc` can run the reaper. Never
 * rejects: without `--allow-run`, `--allow-read` or the tools, the mode is `none`.
 *
 * @returns What the host offers.
 */
export function probeHost(): Promise<HostInfo> {
  probe ??= detect();
  return probe;
}

async function detect(): Promise<HostInfo> {
  if (!granted("run") || !granted("read")) {
    const none = { unshare: null, perl: null, script: null, prlimit: null, stty: null };
    return { isolation: "none", tools: none };
  }
  const [unshare, perl, script, prlimit, stty] = await Promise.all(
    ["unshare", "perl", "script", "prlimit", "stty"].map(findTool),
  );
  const tools: HostTools = {
    unshare: unshare ?? null,
    perl: perl ?? null,
    script: script ?? null,
    prlimit: prlimit ?? null,
    stty: stty ?? null,
  };
  // Signals reach a namespaced command through /proc, which Deno opens only with --allow-all.
  const isolation = tools.unshare && tools.perl && procReadable() &&
      await namespacesWork(tools.unshare, tools.perl)
    ? "namespaces"
    : "none";
  return { isolation, tools };
}

function procReadable(): boolean {
  try {
    Deno.readTextFileSync(`/proc/${Deno.pid}/task/${Deno.pid}/children`);
    return true;
  } catch {
    return false;
  }
}

async function namespacesWork(unshare: string, perl: string): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(unshare, {
      args: [...UNSHARE_FLAGS, "--", perl, "-e", "exit 7"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 7;
  } catch {
    return false;
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
