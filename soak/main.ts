// `deno task soak`: many clients of several tenants against the Hono adapter over the local
// cloud, with random faults, on 127.0.0.1 only, bounded in time and in requests. Prints a summary
// and exits 1 when any detector caught something (see USAGE in _flags.ts); `--self-check` plants
// each defect in turn and exits 1 unless each one fails the soak with its own detector.

import { parseFlags } from "./_flags.ts";
import { runSoak } from "./_run.ts";
import { selfCheck } from "./_self_check.ts";
import { summary } from "./_summary.ts";

let flags;
try {
  flags = parseFlags(Deno.args, (name) => Deno.env.get(name));
} catch (error) {
  console.error((error as Error).message);
  Deno.exit(2);
}
if (flags.selfCheck) {
  Deno.exit(await selfCheck() ? 0 : 1);
}
const report = await runSoak(flags);
console.log(summary(report));
Deno.exit(report.failures.total === 0 ? 0 : 1);
