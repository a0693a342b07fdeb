// Builds, from what `deno publish` uploaded, the npm package that JSR's npm compatibility layer
// serves to `npx jsr add` / `bunx jsr add` consumers: every module as JavaScript (types stripped
// by Node 24's own `stripTypeScriptTypes`), relative `.ts` specifiers as `.js`, and each unfurled
// `npm:name@range/sub` specifier as `name/sub` with `name: range` among the package.json's
// dependencies. Packed with `npm pack`, so that a consumer's npm or Bun installs it, and resolves
// its dependencies, as it would a registry package. (JSR also ships `.d.ts` files; nothing here
// type-checks, so none are made.)

import type { PublishedPackage } from "./_fake_jsr.ts";
import { runChild } from "../runtimes/_child.ts";

/** Strips the types of the sources read as JSON from stdin; writes them back as JSON. */
const STRIP = `
  import { stripTypeScriptTypes } from "node:module";
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const out = {};
  for (const [path, code] of Object.entries(JSON.parse(input))) {
    out[path] = stripTypeScriptTypes(code, { mode: "strip" });
  }
  process.stdout.write(JSON.stringify(out));`;

const RELATIVE_TS = /(["'])(\.{1,2}\/[^"'\n]*?)\.ts\1/g;
const NPM_SPECIFIER = /(["'])npm:((?:@[^/@"'\n]+\/)?[^/@"'\n]+)@([^/"'\n]+)(\/[^"'\n]*)?\1/g;

/**
 * Writes the npm package of `pkg` and packs it.
 *
 * @param pkg The published package.
 * @param node The Node 24 executable.
 * @param dir An empty folder to work in.
 * @returns The path of the packed `.tgz`.
 */
export async function packNpmPackage(
  pkg: PublishedPackage,
  node: string,
  dir: string,
): Promise<string> {
  const sources: Record<string, string> = {};
  for (const [path, bytes] of pkg.files) {
    if (path.endsWith(".ts")) sources[path] = new TextDecoder().decode(bytes);
  }
  const stripped = await stripTypes(sources, node);
  const dependencies: Record<string, string> = {};
  const root = `${dir}/package`;
  for (const [path, code] of Object.entries(stripped)) {
    const js = code
      .replaceAll(RELATIVE_TS, "$1$2.js$1")
      .replaceAll(NPM_SPECIFIER, (_all, quote, name, range, sub = "") => {
        dependencies[name] = range;
        return `${quote}${name}${sub}${quote}`;
      });
    await writeFile(`${root}${path.replace(/\.ts$/, ".js")}`, js);
  }
  const exports = Object.fromEntries(
    Object.entries(pkg.exports).map(([key, path]) => [key, path.replace(/\.ts$/, ".js")]),
  );
  const manifest = {
    name: `@${pkg.scope}/${pkg.name}`,
    version: pkg.version,
    type: "module",
    exports,
    dependencies,
  };
  await writeFile(`${root}/package.json`, JSON.stringify(manifest, null, 2));
  await runChild({
    label: "npm pack",
    command: "npm",
    args: ["pack", "--pack-destination", dir, "--cache", `${dir}/.npm-cache`, root],
    cwd: dir,
    timeoutMs: 120_000,
  });
  return `${dir}/${pkg.scope}-${pkg.name}-${pkg.version}.tgz`;
}

async function stripTypes(
  sources: Record<string, string>,
  node: string,
): Promise<Record<string, string>> {
  const child = new Deno.Command(node, {
    args: ["--input-type=module", "--eval", STRIP],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(sources)));
  await writer.close();
  const output = await child.output();
  if (!output.success) {
    throw new Error(`stripping types failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

async function writeFile(path: string, text: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}
