// Headless Chromium for the browser tests: installed with apt when missing (the test fails, never
// skips, when it cannot be had), launched on a throwaway profile with DevTools on a free port,
// and closed (killed if need be) with its profile removed.
import { ensureDebianPackage } from "../_debian_package.ts";
import { Cdp } from "./_cdp.ts";

/** The flags of every launch, besides the profile and the DevTools port. */
const FLAGS = [
  "--headless",
  "--no-sandbox", // we run as root, where Chromium's own sandbox cannot start
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-default-apps",
  "--disable-extensions",
  "--disable-sync",
  "--mute-audio",
  "--disable-breakpad",
  "--disable-crash-reporter",
  "--remote-debugging-address=127.0.0.1",
  "--remote-debugging-port=0",
];

/** How long Chromium may take to open DevTools, and to exit. */
const LAUNCH_MS = 30_000;
const EXIT_MS = 5_000;

/** The Chromium on PATH, installed with apt first when there is none. */
export async function ensureChromium(): Promise<string> {
  await ensureDebianPackage({
    name: "chromium",
    program: "chromium",
    check: ["--version"],
    neededBy: "The browser tests",
  });
  return "chromium";
}

/** Sends a signal unless the process has exited already. */
function signal(child: Deno.ChildProcess, name: Deno.Signal): void {
  try {
    child.kill(name);
  } catch {
    // It exited in the meantime.
  }
}

function tail(text: string): string {
  return text.trim().split("\n").slice(-5).join(" | ") || "(no output)";
}

/** A running headless Chromium, attached to its page through DevTools. */
export interface Browser extends AsyncDisposable {
  /** The DevTools connection. */
  cdp: Cdp;
  /** The session of the page that was opened. */
  page: string;
  /** Evaluates an expression in the page and returns its value. */
  evaluate(expression: string): Promise<unknown>;
  /** Closes the browser (killing it if it does not exit) and removes its profile. */
  close(): Promise<void>;
}

/** Launches headless Chromium on `url`, on a fresh profile. */
export async function launchChromium(executable: string, url: string): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "msb-chromium-" });
  const child = new Deno.Command(executable, {
    args: [...FLAGS, `--user-data-dir=${profile}`, url],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const listening = Promise.withResolvers<string>();
  const drained = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      log.push(chunk);
      const found = log.join("").match(/DevTools listening on (ws:\/\/\S+)/);
      if (found) listening.resolve(found[1]!);
    }
    listening.reject(new Error(`Chromium exited before opening DevTools: ${tail(log.join(""))}`));
  })();
  let cdp: Cdp | undefined;
  const close = async () => {
    if (cdp) await cdp.send("Browser.close").catch(() => signal(child, "SIGTERM"));
    else signal(child, "SIGTERM");
    await cdp?.close();
    const exit = setTimeout(() => signal(child, "SIGKILL"), EXIT_MS);
    await child.status;
    clearTimeout(exit);
    await drained;
    await Deno.remove(profile, { recursive: true });
  };
  try {
    const timer = setTimeout(
      () => listening.reject(new Error(`Chromium did not open DevTools in ${LAUNCH_MS} ms`)),
      LAUNCH_MS,
    );
    const endpoint = await listening.promise.finally(() => clearTimeout(timer));
    cdp = await Cdp.connect(endpoint);
    const page = await cdp.attachToPage();
    const connected = cdp;
    return {
      cdp,
      page,
      evaluate: (expression) => connected.evaluate(page, expression),
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
