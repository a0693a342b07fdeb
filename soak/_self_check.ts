// `--self-check`: runs a short soak once per planted defect, each in its own process, and checks
// that each run exits 1 with its own detector named in the summary, so no detector is dead code.

import { type BreakKind, BREAKS } from "./_breaks.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

/** Short runs are enough for every defect but memory, which needs its two windows. */
const FLAGS: Record<BreakKind, string[]> = {
  "dup-log": ["--duration=10"],
  "leak-key": ["--duration=10"],
  hang: ["--duration=10", "--deadline-ms=5000"],
  untyped: ["--duration=10"],
  grow: ["--duration=40", "--memory=on"],
};

/** Runs each defect; true when every one failed the soak through its own detector. */
export async function selfCheck(
  kinds: readonly BreakKind[] = Object.keys(BREAKS) as BreakKind[],
): Promise<boolean> {
  let ok = true;
  for (const kind of kinds) {
    const caught = await breakRun(kind);
    console.log(`self-check ${kind}: ${caught ? "caught" : "NOT CAUGHT"} by ${BREAKS[kind]}`);
    ok &&= caught;
  }
  return ok;
}

/** Runs the soak with one defect; true when it exited 1 naming the defect's detector. */
export async function breakRun(kind: BreakKind): Promise<boolean> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-net",
      "-A",
      MAIN,
      `--break=${kind}`,
      "--max-requests=3000",
      ...FLAGS[kind],
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  const caught = output.code === 1 && text.includes(`FAILURE [${BREAKS[kind]}]`);
  if (!caught) console.log(text);
  return caught;
}
