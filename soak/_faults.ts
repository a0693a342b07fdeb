// Random faults of the local cloud while the clients run: cut connections (before and after the
// route acted), stalls, 429/503 answers, split and coalesced frames, exec sockets that stall,
// close before the exit or send bad frames, and log streams cut, padded with garbage or ended.
// Each takes whichever request comes next, so no client knows which of its requests it hits.

import type { LocalCloud } from "../src/testing/mod.ts";
import type { Random } from "./_random.ts";

type Inject = (cloud: LocalCloud, random: Random) => void;

/** The faults, by name (the summary counts each). */
export const FAULTS: Readonly<Record<string, Inject>> = {
  "429": (cloud) => cloud.faults.failNext(1, { status: 429, retryAfter: "0" }),
  "503": (cloud) => cloud.faults.failNext(1, { status: 503, retryAfter: "0" }),
  "503 twice": (cloud) => cloud.faults.failNext(2, { status: 503 }),
  cut: (cloud) => cloud.faults.dropNext(1),
  "cut after route": (cloud) => cloud.faults.dropNext(1, { afterRoute: true }),
  delay: (cloud, random) => cloud.faults.delayNext(1, random.int(200, 3_000)),
  "exec split": (cloud) => cloud.faults.execFault("split"),
  "exec coalesce": (cloud) => cloud.faults.execFault("coalesce"),
  "exec legacy handshake": (cloud) => cloud.faults.execFault("legacyHandshake"),
  "exec stall": (cloud) => cloud.faults.execFault("stall"),
  "exec close before exit": (cloud) => cloud.faults.execFault("closeBeforeExit"),
  "exec truncated frame": (cloud) => cloud.faults.execFault("truncatedFrame"),
  "exec oversized frame": (cloud) => cloud.faults.execFault("oversizedLength"),
  "log cut": (cloud, random) => cloud.faults.logFault("cutAfter", { events: random.int(0, 5) }),
  "log garbage": (cloud) => cloud.faults.logFault("garbage"),
  "log unknown event": (cloud) => cloud.faults.logFault("unknownEvent"),
  "log unknown source": (cloud) => cloud.faults.logFault("unknownSource"),
  "log end without event": (cloud) => cloud.faults.logFault("endWithoutEvent"),
};

/** Injects a random fault every `everyMs` (on average) until `stop` aborts, then forgets the rest. */
export async function injectFaults(
  cloud: LocalCloud,
  random: Random,
  everyMs: number,
  stop: AbortSignal,
  counts: Map<string, number>,
): Promise<void> {
  const names = Object.keys(FAULTS);
  while (!stop.aborted) {
    await new Promise((resolve) => setTimeout(resolve, random.int(everyMs / 2, everyMs * 1.5)));
    if (stop.aborted) break;
    const name = random.pick(names);
    FAULTS[name]!(cloud, random);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  cloud.faults.reset();
}
