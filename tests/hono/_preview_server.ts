// The HTTP server the preview route tests start in a sandbox (Python's http.server, one thread
// per request): `/echo…` answers what it received as JSON, `/hang` never answers, `/big?mib=N`
// streams N MiB of bytes 0..255 repeated, and
// every answer tries to set a cookie and clear the site's data.
import { createHash } from "node:crypto";

/** The SHA-256 (hex) of what `/big?mib=N` sends. */
export function bigDigest(mib: number): string {
  const hash = createHash("sha256");
  const block = new Uint8Array(1024 * 1024).map((_, i) => i & 0xff);
  for (let i = 0; i < mib; i++) hash.update(block);
  return hash.digest("hex");
}

/** The server's script, listening on `port`; it prints `up` once it listens. */
export function previewServer(port: number): string {
  return `
import hashlib, http.server, json, socketserver, time, urllib.parse

def read_chunked(rfile, update):
    n = 0
    while True:
        size = int(rfile.readline().split(b";")[0], 16)
        if size == 0:
            while rfile.readline() not in (b"\\r\\n", b""): pass
            return n
        left = size
        while left:
            b = rfile.read(min(left, 1 << 20))
            update(b)
            left -= len(b)
        n += size
        rfile.readline()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/hang":
            time.sleep(3600)
        if url.path == "/big":
            mib = int(urllib.parse.parse_qs(url.query)["mib"][0])
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            self.send_header("content-length", str(mib << 20))
            self.end_headers()
            block = bytes(range(256)) * 4096
            for _ in range(mib):
                self.wfile.write(block)
            return
        h = hashlib.sha256()
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            n = read_chunked(self.rfile, h.update)
        else:
            n = left = int(self.headers.get("content-length") or 0)
            while left:
                b = self.rfile.read(min(left, 1 << 20))
                h.update(b)
                left -= len(b)
        body = json.dumps({
            "method": self.command,
            "target": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "bytes": n,
            "sha256": h.hexdigest(),
        }).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.send_header("set-cookie", "session=sandbox; Path=/")
        self.send_header("clear-site-data", '"cookies"')
        self.send_header("x-served-by", "sandbox")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

server = Server(("127.0.0.1", ${port}), Handler)
print("up", flush=True)
server.serve_forever()
`;
}
