// The smoke suite's ports check, through the public API alone: `python3 -m http.server` started in
// the sandbox over a folder with one page, and the page read through `sandbox.fetch` (HTTP/1.1
// over a `core.tcp.*` tunnel), once the server answers.

import { ConnectionRefusedError, type Sandbox } from "../../mod.ts";
import { expectEqual } from "./_checks.ts";

/** The port the server listens on inside the sandbox. */
const PORT = 8000;
/** How long the server may take to listen. */
const UP_WITHIN_MS = 10_000;

/**
 * Serves a page from the sandbox and reads it through `sandbox.fetch`: status, type, body, and
 * a 404 for a missing one; the server is killed on every way out.
 *
 * @param sandbox A running sandbox on the current wire.
 */
export async function fetchPage(sandbox: Sandbox): Promise<void> {
  const dir = `/tmp/site-${crypto.randomUUID().slice(0, 8)}`;
  const page = `<h1>hello from ${dir}</h1>\n`;
  await sandbox.fs.mkdir(dir);
  await sandbox.fs.writeFile(`${dir}/index.html`, page);
  const args = ["-m", "http.server", String(PORT), "-b", "127.0.0.1"];
  const server = await sandbox.spawn("python3", args, { cwd: dir });
  server.stdout.pipeTo(new WritableStream()).catch(() => {});
  server.stderr.pipeTo(new WritableStream()).catch(() => {});
  try {
    const response = await fetchWhenUp(sandbox, "/index.html");
    expectEqual(response.status, 200, "status of the page");
    expectEqual(response.headers.get("content-type"), "text/html", "type of the page");
    expectEqual(await response.text(), page, "the page");
    const missing = await sandbox.fetch(PORT, "http://localhost/missing.html");
    expectEqual(missing.status, 404, "status of a missing page");
    await missing.body?.cancel();
  } finally {
    await server.kill();
  }
}

/** Fetches `path` once the server listens: refusals meanwhile are retried. */
async function fetchWhenUp(sandbox: Sandbox, path: string): Promise<Response> {
  const deadline = Date.now() + UP_WITHIN_MS;
  for (;;) {
    try {
      return await sandbox.fetch(PORT, path);
    } catch (error) {
      if (!(error instanceof ConnectionRefusedError) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
