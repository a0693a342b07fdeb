/**
 * The host's process tree, read from `/proc` (which every Linux host has): the children and
 * the descendants of a process.
 *
 * @module
 */

/**
 * Lists the children of a process (from `/proc`, which every Linux host has).
 *
 * @param pid The parent.
 * @returns The children's pids, lowest first.
 */
export async function childrenOf(pid: number): Promise<number[]> {
  try {
    // Direct and cheap where the kernel offers it; a scan of all of /proc otherwise.
    const text = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`);
    return text.trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
  } catch {
    return (await processTable()).get(pid) ?? [];
  }
}

/**
 * Lists every process below one, at any depth.
 *
 * @param pid The ancestor.
 * @returns The descendants' pids.
 */
export async function descendants(pid: number): Promise<number[]> {
  const table = await processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of table.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * Stops a process and everything below it (SIGSTOP, top down, rescanning until no new process
 * appears), so that the tree cannot grow while it is being killed: a stopped process cannot
 * fork, and what it forked before it stopped (a `clone` under way when the signal came
 * included: each scan waits until the processes have stopped) shows up in the next scan.
 *
 * @param pid The root of the tree.
 * @returns Every process stopped, root first.
 */
export async function freezeTree(pid: number): Promise<number[]> {
  const stopped: number[] = [];
  const seen = new Set<number>();
  let fresh = [pid];
  while (fresh.length > 0) {
    for (const next of fresh) {
      seen.add(next);
      try {
        Deno.kill(next, "SIGSTOP");
        stopped.push(next);
      } catch {
        // Already gone.
      }
    }
    await Promise.all(fresh.map(untilStopped));
    const table = await processTable();
    fresh = [];
    const queue = [...stopped];
    while (queue.length > 0) {
      for (const child of table.get(queue.shift()!) ?? []) {
        if (seen.has(child)) queue.push(child);
        else fresh.push(child);
      }
    }
  }
  return stopped;
}

/** How long {@linkcode untilStopped} waits for a SIGSTOP to take effect, at most. */
const STOP_WAIT_MS = 2000;

/** Waits until a process is stopped or gone (a signal takes effect when it leaves the kernel). */
async function untilStopped(pid: number): Promise<void> {
  const deadline = performance.now() + STOP_WAIT_MS;
  while (performance.now() < deadline) {
    let stat: string;
    try {
      stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    } catch {
      return; // Gone.
    }
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if ("TtZX".includes(state)) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function processTable(): Promise<Map<number, number[]>> {
  const table = new Map<number, number[]>();
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      let stat: string;
      try {
        stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      } catch {
        continue; // Ended meanwhile.
      }
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const parent = Number(fields[1]);
      const list = table.get(parent) ?? [];
      list.push(Number(entry.name));
      table.set(parent, list);
    }
  } catch {
    // No /proc: no children known.
  }
  for (const list of table.values()) list.sort((a, b) => a - b);
  return table;
}
