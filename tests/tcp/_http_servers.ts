// HTTP servers that the sandbox.fetch tests start in a sandbox: `python3 -m http.server` over a
// folder, a Python server that hashes what is posted to it, and a Deno server (the test process's
// own binary, copied into the sandbox) that streams a chunked body.
import { ConnectionRefusedError, type ExecProcess, type Sandbox } from "../../mod.ts";
import { drain, untilUp } from "./_servers.ts";

/**
 * A server on `port` (HTTP/1.1, a thread per connection): a GET answers `GET <target> <Host>`; a
 * POST reads the body, chunked or by `Content-Length`, and answers
 * `<chunked|sized> <bytes> <sha256 hex>`.
 */
export function hashServer(port: number): string {
  return `
import hashlib, http.server
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def answer(self, text):
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.answer(f"GET {self.path} {self.headers.get('Host')}")
    def do_POST(self):
        digest = hashlib.sha256()
        total = 0
        def take(left):
            nonlocal total
            while left > 0:
                block = self.rfile.read(min(left, 1 << 20))
                if not block: raise EOFError("the body ended early")
                digest.update(block)
                total += len(block)
                left -= len(block)
        chunked = self.headers.get("Transfer-Encoding") == "chunked"
        if chunked:
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0: break
                take(size)
                self.rfile.readline()
            while self.rfile.readline() not in (b"\\r\\n", b""): pass
        else:
            take(int(self.headers.get("Content-Length", "0")))
        self.answer(f"{'chunked' if chunked else 'sized'} {total} {digest.hexdigest()}")
server = http.server.ThreadingHTTPServer(("127.0.0.1", ${port}), Handler)
print("up", flush=True)
server.serve_forever()
`;
}

/**
 * A Deno server on the port of its second argument that answers each request with a chunked
 * body of as many bytes as its first argument says: the byte at offset `i` is `i % 256`, in
 * chunks of uneven sizes (1 byte to about 100 KB).
 */
export const DENO_CHUNKED_SERVER = `
const size = Number(Deno.args[0]);
Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[1]),
  onListen: () => console.log("up"),
}, () => {
  let sent = 0;
  let count = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const length = Math.min(1 + (count++ * 7919) % 100_000, size - sent);
      controller.enqueue(Uint8Array.from({ length }, (_, i) => (sent + i) % 256));
      sent += length;
    },
  });
  return new Response(body);
});
`;

/**
 * Starts `python3 -m http.server <port>` over the guest folder `dir` and waits until a GET of `/`
 * through `sandbox.fetch` answers (refusals meanwhile are retried).
 */
export async function startHttpServer(
  sandbox: Sandbox,
  dir: string,
  port: number,
): Promise<ExecProcess> {
  const args = ["-m", "http.server", String(port), "-b", "127.0.0.1"];
  const process = await sandbox.spawn("python3", args, { cwd: dir });
  drain(process);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await sandbox.fetch(port, "/")).body?.cancel();
      return process;
    } catch (error) {
      if (!(error instanceof ConnectionRefusedError) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Copies this process's own `deno` binary into the guest folder `dir` as `deno`, executable. */
export async function copyDeno(sandbox: Sandbox, dir: string): Promise<void> {
  const file = await Deno.open(Deno.execPath());
  await sandbox.fs.writeFile(`${dir}/deno`, file.readable); // the stream closes the file
  const chmod = await sandbox.exec("chmod", ["+x", "deno"], { cwd: dir });
  if (chmod.code !== 0) throw new Error(`chmod failed: ${chmod.stderrText()}`);
}

/** Writes `bytes` random bytes to `name` in the guest folder `dir`; returns their SHA-256 (hex). */
export async function randomFile(
  sandbox: Sandbox,
  dir: string,
  name: string,
  bytes: number,
): Promise<string> {
  const write = `import os; open(${JSON.stringify(name)}, "wb").write(os.urandom(${bytes}))`;
  const written = await sandbox.exec("python3", ["-c", write], { cwd: dir });
  if (written.code !== 0) throw new Error(`writing ${name} failed: ${written.stderrText()}`);
  const sum = await sandbox.exec("sha256sum", [name], { cwd: dir });
  return sum.stdoutText().slice(0, 64);
}

/**
 * Starts {@linkcode DENO_CHUNKED_SERVER} (a copy of this process's `deno`) on `port`, answering
 * `size` bytes, and waits until it listens.
 */
export async function startChunkedServer(
  sandbox: Sandbox,
  size: number,
  port: number,
): Promise<ExecProcess> {
  await sandbox.fs.mkdir("/opt/app", { recursive: true });
  await copyDeno(sandbox, "/opt/app");
  await sandbox.fs.writeFile("/opt/app/server.ts", DENO_CHUNKED_SERVER);
  const args = ["run", "--allow-net", "server.ts", String(size), String(port)];
  return await untilUp(await sandbox.spawn("./deno", args, { cwd: "/opt/app" }));
}

/** The offset of the first byte of `body` that is not `offset % 256`, or -1; and its length. */
export async function patternCheck(
  body: ReadableStream<Uint8Array>,
): Promise<{ total: number; mismatch: number }> {
  let total = 0;
  let mismatch = -1;
  for await (const chunk of body) {
    for (let i = 0; i < chunk.byteLength && mismatch < 0; i++) {
      if (chunk[i] !== (total + i) % 256) mismatch = total + i;
    }
    total += chunk.byteLength;
  }
  return { total, mismatch };
}
