// A slow reader of a sandbox's log, run by logs_memory_test.ts as its own process under a small V8
// heap: it reads `sandbox.logs()` to the end, pausing after every `every` bytes of text, and checks
// that the text is the producer's line repeated, with nothing lost or repeated.
//
// Arguments: url, API key, sandbox name, the line, bytes between pauses, pause milliseconds.
// Prints `pause <bytes read>` as each pause starts, and `done <bytes> <entries> <peak RSS>` at the end.
import { Microsandbox } from "../../mod.ts";

const [url, apiKey, name, line, every, pauseMs] = Deno.args as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const msb = new Microsandbox({ url, apiKey, wire: "current" });
const sandbox = await msb.sandboxes.get(name);
const period = line.length;
let read = 0;
let entries = 0;
let nextPause = Number(every);
let peakRss = 0;
let nextSample = 0;
for await (const entry of sandbox.logs({ sources: ["stdout"] })) {
  const text = entry.text();
  // The text continues the repeated line where the previous entry stopped.
  const at = read % period;
  const expected = line.slice(at) + line.repeat(Math.ceil(text.length / period));
  if (!expected.startsWith(text)) {
    throw new Error(`entry ${entries} at byte ${read} does not continue the log`);
  }
  read += text.length;
  entries++;
  if (read >= nextSample) {
    peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    nextSample = read + (1 << 20);
  }
  if (read >= nextPause) {
    console.log(`pause ${read}`);
    await new Promise((resolve) => setTimeout(resolve, Number(pauseMs)));
    nextPause += Number(every);
  }
}
console.log(`done ${read} ${entries} ${peakRss}`);
