/**
 * Linux signal numbers, as the protocol's `ExecSignal` carries them, and Deno's names for them.
 *
 * @module
 */

const SIGNALS: Readonly<Record<number, Deno.Signal>> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGUSR1",
  11: "SIGSEGV",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
  16: "SIGSTKFLT",
  17: "SIGCHLD",
  18: "SIGCONT",
  19: "SIGSTOP",
  20: "SIGTSTP",
  21: "SIGTTIN",
  22: "SIGTTOU",
  23: "SIGURG",
  24: "SIGXCPU",
  25: "SIGXFSZ",
  26: "SIGVTALRM",
  27: "SIGPROF",
  28: "SIGWINCH",
  29: "SIGIO",
  30: "SIGPWR",
  31: "SIGSYS",
};

/**
 * Maps a Linux signal number to Deno's name for it.
 *
 * @param signal The number, e.g. 15.
 * @returns The name, e.g. `SIGTERM`, or `undefined` for an unknown number.
 */
export function signalName(signal: number): Deno.Signal | undefined {
  return SIGNALS[signal];
}
