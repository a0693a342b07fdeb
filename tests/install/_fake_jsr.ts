// A stand-in for JSR on loopback, since the real one is out of reach here: it takes what
// `deno publish` uploads (the package's tarball, its specifiers already unfurled by Deno) and
// serves it back the way the registry does (`meta.json`, `<version>_meta.json` with a manifest
// of checksums, and the files), so that `JSR_URL=<url> deno add jsr:@microsandbox/edge` resolves
// exactly what a consumer's Deno would resolve from the published package.

import { REPO } from "../runtimes/_install.ts";

/** The package as published: its files by path (`/mod.ts`), and its config. */
export interface PublishedPackage {
  scope: string;
  name: string;
  version: string;
  /** The `exports` of the published config. */
  exports: Record<string, string>;
  /** Every file of the tarball, by its path from the package root, starting with `/`. */
  files: Map<string, Uint8Array<ArrayBuffer>>;
}

/** A running stand-in registry. */
export interface FakeJsr extends AsyncDisposable {
  /** The registry's URL, to pass as `JSR_URL` (ends with `/`). */
  url: string;
  /** The package, once published. */
  published(): PublishedPackage;
}

/** Starts the registry on 127.0.0.1, port 0. */
export function startFakeJsr(): FakeJsr {
  let current: PublishedPackage | undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (!path.startsWith("/api/")) return current ? serveRegistry(current, path) : notFound();
    const version = path.match(/^\/api\/scopes\/([^/]+)\/packages\/([^/]+)\/versions\/([^/]+)$/);
    if (version && request.method === "POST") {
      const [, scope = "", name = "", semver = ""] = version;
      current = await upload(scope, name, semver, new Uint8Array(await request.arrayBuffer()));
      return Response.json({ id: "task-1", status: "success", error: null });
    }
    await request.body?.cancel();
    // The package exists; no version of it does until the upload.
    return version ? notFound() : Response.json({});
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    published() {
      if (!current) throw new Error("nothing was published to the stand-in JSR");
      return current;
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/**
 * Publishes the repository's package with `deno publish` to `jsr`: Deno builds the tarball as it
 * would for jsr.io (publish set, unfurled specifiers); type-checking is `deno task check`'s job.
 */
export async function publishRepo(jsr: FakeJsr, denoDir: string): Promise<PublishedPackage> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--token", "test", "--no-provenance", "--allow-dirty", "--no-check"],
    cwd: REPO,
    env: { JSR_URL: jsr.url, DENO_DIR: denoDir, NO_COLOR: "1" },
    stdin: "null",
    signal: AbortSignal.timeout(120_000),
  }).output();
  if (!output.success) {
    throw new Error(`deno publish failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return jsr.published();
}

/** The package that an upload of `tarball` publishes. */
async function upload(
  scope: string,
  name: string,
  version: string,
  tarball: Uint8Array,
): Promise<PublishedPackage> {
  const files = await untar(tarball);
  const config = JSON.parse(new TextDecoder().decode(files.get("/deno.json")));
  return { scope, name, version, exports: config.exports, files };
}

function serveRegistry(pkg: PublishedPackage, path: string): Response | Promise<Response> {
  const base = `/@${pkg.scope}/${pkg.name}/`;
  if (!path.startsWith(base)) return notFound();
  const rest = path.slice(base.length);
  if (rest === "meta.json") {
    return Response.json({
      scope: pkg.scope,
      name: pkg.name,
      latest: pkg.version,
      versions: { [pkg.version]: {} },
    });
  }
  if (rest === `${pkg.version}_meta.json`) return versionMeta(pkg);
  const file = rest.startsWith(`${pkg.version}/`)
    ? pkg.files.get(rest.slice(pkg.version.length))
    : undefined;
  if (!file) return notFound();
  return new Response(file, { headers: { "content-type": contentType(rest) } });
}

async function versionMeta(pkg: PublishedPackage): Promise<Response> {
  const manifest: Record<string, { size: number; checksum: string }> = {};
  for (const [path, bytes] of pkg.files) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
    manifest[path] = { size: bytes.length, checksum: `sha256-${hex}` };
  }
  return Response.json({ exports: pkg.exports, manifest });
}

function contentType(path: string): string {
  if (path.endsWith(".ts")) return "application/typescript";
  if (path.endsWith(".json")) return "application/json";
  return "text/plain";
}

function notFound(): Response {
  return Response.json({ code: "notFound", message: "not found" }, { status: 404 });
}

/** The files of a gzipped tarball, by `/path`, unpacked with the system's `tar`. */
async function untar(tarball: Uint8Array): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const dir = await Deno.makeTempDir({ prefix: "msb-published-" });
  try {
    const child = new Deno.Command("tar", {
      args: ["-xzf", "-", "-C", dir],
      stdin: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(tarball);
    await writer.close();
    const { success, stderr } = await child.output();
    if (!success) throw new Error(`tar failed: ${new TextDecoder().decode(stderr)}`);
    const files = new Map<string, Uint8Array<ArrayBuffer>>();
    for await (const path of walk(dir)) {
      files.set(path.slice(dir.length), await Deno.readFile(path));
    }
    return files;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}
