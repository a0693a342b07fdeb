/**
 * How the local cloud wraps a command (the command itself is always the last process):
 * - `bubblewrap`: `bwrap` → the reaper (pid 1) → the command, or `bwrap` → `script` (pid 1) →
 *   the reaper → the command with a terminal;
 * - `namespaces`: the same with `unshare` in place of `bwrap`;
 * - under both, `nsenter` first joins the sandbox's user and network namespaces (it execs
 *   the wrapper: no process of its own), so that the sandbox's commands share one network;
 * - `none`: the reaper → the command (in its own process group), or `script` → the reaper →
 *   the command with a terminal; the command alone when the host has no `perl`.
 * `prlimit` execs the command (no process of its own). The reaper ({@linkcode WAITER_SCRIPT})
 * records how the command ended and ends what it left running.
 *
 * @module
 */

import { type HostInfo, rootViewArgs, UNSHARE_FLAGS, UNSHARE_JOINED_FLAGS } from "./_isolation.ts";
import type { GuestMount } from "../sandbox_dir/_sandbox_dirs.ts";

/**
 * The reaper between a wrapper and the command, as a Perl one-liner. Arguments: the status file,
 * terminal rows and columns (0 for none), the number of the `prctl` system call (0 when unknown),
 * the program path, then the command's argv (argv[0] first). It sets the terminal size when its stdin is a terminal, becomes the subreaper of what
 * the command starts (unless it is pid 1 of a pid namespace already), forks and execs the
 * command, reaps every child until the command has ended, then kills and reaps whatever is left
 * (so that nothing holds the output pipes open), and writes `exit N` or `signal N` to the status
 * file, or `failed ERRNO` to the status file + `.exec` when exec fails. As pid 1 it cannot
 * re-raise a signal on itself, hence the file.
 */
export const WAITER_SCRIPT: string = [
  "my ($s, $r, $c, $n, $p, @a) = @ARGV;",
  "if ($r > 0 && $c > 0 && -t STDIN) { ioctl(STDIN, 0x5414, pack(q(S4), $r, $c, 0, 0)) }",
  // prctl(PR_SET_CHILD_SUBREAPER, 1): orphans, even those that called setsid, come to us.
  "if ($$ != 1 && $n > 0) { syscall($n, 36, 1, 0, 0, 0) }",
  "my $k = fork();",
  "if (!defined $k) { exit 126 }",
  "if ($k == 0) { exec { $p } @a; my $e = $! + 0;",
  "  if (open(my $f, q(>), qq($s.exec))) { print $f qq(failed $e); close $f } exit 127 }",
  "close STDIN; close STDOUT; close STDERR;",
  "my $t = 255 << 8;",
  "while (1) { my $w = waitpid(-1, 0); if ($w == $k) { $t = $?; last } last if $w < 0 }",
  "sub kids { open(my $f, q(<), qq(/proc/$$/task/$$/children)) or return ();",
  "  my $l = <$f>; return split(q( ), defined $l ? $l : q()) }",
  "while (my @l = kids()) { kill 9, @l; waitpid(-1, 0) }",
  "if (open(my $f, q(>), $s)) { print $f (($t & 127) ? q(signal ) . ($t & 127) : q(exit ) . ($t >> 8)); close $f }",
  "exit(($t & 127) ? 128 + ($t & 127) : $t >> 8);",
].join(" ");

/** The number of the `prctl` system call on each architecture Deno runs on under Linux. */
const PRCTL: Readonly<Record<string, number>> = { x86_64: 157, aarch64: 167 };

/** What one command is, for the chain. */
export interface ChainCommand {
  /** The program, as the command sees it (a guest path under `bubblewrap`). */
  readonly program: string;
  /** Its argv, argv[0] first. */
  readonly argv: readonly string[];
  /** The `prlimit` options, empty for none. */
  readonly limits: readonly string[];
  /** Run under a terminal of this size. */
  readonly tty: { readonly rows: number; readonly cols: number } | null;
  /** The working directory as the command sees it. */
  readonly cwd: string;
}

/** Where the chain runs. */
export interface ChainPlace {
  /** The sandbox folder on the host. */
  readonly sandboxDir: string;
  /** The host directories bound at guest paths (root view only). */
  readonly mounts: readonly GuestMount[];
  /** The reaper's status file as the host sees it. */
  readonly statusFile: string;
  /** The same file as the reaper sees it. */
  readonly statusFileInside: string;
  /** The host's tools and isolation. */
  readonly host: HostInfo;
  /**
   * The `nsenter` prefix that joins the sandbox's user and network namespaces
   * (`_sandbox_nets.ts`), or `null` for a network namespace of the command's own.
   */
  readonly enter: readonly string[] | null;
}

/** How a command is wrapped. */
export interface Chain {
  /** The program Deno spawns. */
  readonly exe: string;
  /** Its arguments. */
  readonly args: string[];
  /** How many forking wrappers sit above the command (0: the spawned process is the command). */
  readonly depth: number;
  /** The reaper's status file (host path), when the reaper is in the chain. */
  readonly statusFile: string | null;
  /**
   * Whether everything the command starts ends with it (a pid namespace or the reaper), so
   * that its output pipes reach EOF once the spawned process has exited.
   */
  readonly endsAll: boolean;
}

/**
 * Plans the chain of one command.
 *
 * @param command The command.
 * @param place Where it runs.
 * @returns The program to spawn, its arguments and what the chain guarantees.
 */
export function planChain(command: ChainCommand, place: ChainPlace): Chain {
  const { tools, isolation } = place.host;
  const reaper = tools.perl !== null;
  let exe = command.program;
  let argv = [...command.argv];
  if (command.limits.length > 0) {
    argv = ["prlimit", ...command.limits, "--", exe, ...command.argv.slice(1)];
    exe = tools.prlimit!;
  }
  let depth = 0;
  const { rows, cols } = command.tty ?? { rows: 0, cols: 0 };
  if (reaper) {
    const status = place.statusFileInside;
    const prctl = `${PRCTL[Deno.build.arch] ?? 0}`;
    argv = ["perl", "-e", WAITER_SCRIPT, "--", status, `${rows}`, `${cols}`, prctl, exe, ...argv];
    exe = tools.perl!;
    depth += 1;
  }
  if (command.tty) {
    const line = `exec ${[exe, ...argv.slice(1)].map(shellQuote).join(" ")}`;
    argv = [
      "script",
      "-qfec",
      reaper ? line : `stty rows ${rows} cols ${cols} 2>/dev/null; ${line}`,
      "/dev/null",
    ];
    exe = tools.script!;
    depth += 1;
  }
  if (isolation === "bubblewrap") {
    const view = rootViewArgs(
      place.sandboxDir,
      place.host.systemEntries,
      command.cwd,
      place.mounts,
      place.enter !== null,
    );
    argv = ["bwrap", ...view, "--", exe, ...argv.slice(1)];
    exe = tools.bwrap!;
    depth += 1;
  } else if (isolation === "namespaces") {
    const flags = place.enter === null ? UNSHARE_FLAGS : UNSHARE_JOINED_FLAGS;
    argv = ["unshare", ...flags, "--", exe, ...argv.slice(1)];
    exe = tools.unshare!;
    depth += 1;
  }
  if (place.enter !== null && isolation !== "none") {
    // nsenter execs what follows: no process of its own.
    argv = ["nsenter", ...place.enter.slice(1), exe, ...argv.slice(1)];
    exe = place.enter[0]!;
  }
  const statusFile = reaper ? place.statusFile : null;
  return { exe, args: argv.slice(1), depth, statusFile, endsAll: reaper || isolation !== "none" };
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
