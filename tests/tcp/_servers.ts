// Servers that the TCP tests start in a sandbox with `spawn`, and a wait for their `up` line.
import type { ExecProcess, Sandbox } from "../../mod.ts";

/**
 * A Python server on `port` that runs `serve(c)`, defined by `serve`, in a thread per client, and
 * prints `up` once it listens.
 */
function threadedServer(port: number, serve: string, imports = ""): string {
  return `
import socket, threading${imports}
${serve.trim()}
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", ${port}))
s.listen(16)
print("up", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;
}

/**
 * An echo server on `port` (one thread per connection): it echoes what it reads and, at the end
 * of its input, says `bye` and closes its side, so a half-close is visible both ways.
 */
export function echoServer(port: number): string {
  return threadedServer(
    port,
    `
def serve(c):
    while True:
        b = c.recv(65536)
        if not b: break
        c.sendall(b)
    c.sendall(b"bye")
    c.shutdown(socket.SHUT_WR)
    c.close()
`,
  );
}

/** A server on `port` that sends `bytes` bytes of a repeating pattern to each client, then closes. */
export function sourceServer(port: number, bytes: number): string {
  return threadedServer(
    port,
    `
block = bytes(range(256)) * 256
def serve(c):
    left = ${bytes}
    while left > 0:
        n = min(left, len(block))
        c.sendall(block[:n])
        left -= n
    c.shutdown(socket.SHUT_WR)
    c.close()
`,
  );
}

/** A server on `port` that reads each client to its end, then answers `<bytes> <sha256 hex>`. */
export function sinkServer(port: number): string {
  return threadedServer(
    port,
    `
def serve(c):
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(1 << 20)
        if not b: break
        h.update(b)
        n += len(b)
    c.sendall(f"{n} {h.hexdigest()}".encode())
    c.shutdown(socket.SHUT_WR)
    c.close()
`,
    ", hashlib",
  );
}

/**
 * A WebSocket server on `port` that accepts each upgrade with a valid 101, then reads and ignores
 * everything, its close frame too.
 */
export function deafWebSocketServer(port: number): string {
  return threadedServer(
    port,
    `
def serve(c):
    head = b""
    while b"\\r\\n\\r\\n" not in head:
        b = c.recv(65536)
        if not b: return c.close()
        head += b
    key = re.search(rb"(?i)sec-websocket-key: *(\\S+)", head).group(1)
    accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    c.sendall(b"HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\n"
              b"Connection: Upgrade\\r\\nSec-WebSocket-Accept: " + accept + b"\\r\\n\\r\\n")
    while c.recv(65536): pass
    c.close()
`,
    ", base64, hashlib, re",
  );
}

/** A server on `port` that accepts each client and never reads from it. */
export function deafServer(port: number): string {
  return `
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", ${port}))
s.listen(16)
print("up", flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
`;
}

/** Starts a Python server in the sandbox and waits until it listens. */
export async function startServer(sandbox: Sandbox, script: string): Promise<ExecProcess> {
  return await untilUp(await sandbox.spawn("python3", ["-u", "-c", script]));
}

/** Waits for the `up` line of a server a command started, then drains its output. */
export async function untilUp(process: ExecProcess): Promise<ExecProcess> {
  const reader = process.stdout.getReader();
  let said = "";
  const decoder = new TextDecoder();
  while (!said.includes("up\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the server ended before listening: ${said}`);
    said += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  drain(process);
  return process;
}

/** Reads a server's output to its end (cancelling the output would kill the server). */
export function drain(process: ExecProcess): void {
  process.stdout.pipeTo(new WritableStream()).catch(() => {});
  process.stderr.pipeTo(new WritableStream()).catch(() => {});
}

/** A generous bound on a wait that should end at once, so that a regression fails, not hangs. */
const UNTIL_MS = 60_000;

/** Waits until `check` holds, polling; fails after a generous deadline (not a timing check). */
export async function until(check: () => boolean, what = "the condition"): Promise<void> {
  const deadline = Date.now() + UNTIL_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${UNTIL_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
