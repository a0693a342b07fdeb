// A Debian package a test needs: installed with apt-get when its program is missing (the test
// fails, never skips, when it cannot be had). Needs root, as the test machines give.

/** How long each apt-get step may take. */
const APT_MS = 300_000;

/** One package, and the program that shows it is there. */
export interface DebianPackage {
  /** The package name, e.g. `bubblewrap`. */
  name: string;
  /** A program the package installs, e.g. `bwrap`. */
  program: string;
  /** Arguments that make the program exit 0 without doing anything, e.g. `["--version"]`. */
  check: string[];
  /** What needs it, for the error message, e.g. `"The root view tests"`. */
  neededBy: string;
}

/**
 * Makes sure the package's program runs, installing the package with apt-get first when it is
 * missing.
 *
 * @throws {Error} Saying what failed and how to install it by hand.
 */
export async function ensureDebianPackage(pkg: DebianPackage): Promise<void> {
  if (await runs(pkg)) return;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", pkg.name]]) {
    const bound = AbortSignal.timeout(APT_MS);
    const { code, stderr } = await new Deno.Command("apt-get", {
      args,
      env,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      signal: bound,
    }).output()
      .catch((error) => ({ code: -1, stderr: new TextEncoder().encode(String(error)) }));
    if (code !== 0) {
      throw new Error(
        `${pkg.neededBy} need \`${pkg.program}\` (Debian package ${pkg.name}), which is not on ` +
          `PATH, and \`apt-get ${args.join(" ")}\` failed (exit ${code}): ${
            tail(new TextDecoder().decode(stderr))
          }. Install it with \`apt-get update && apt-get install -y ${pkg.name}\` (as root), ` +
          "then run the tests again.",
      );
    }
  }
  if (!await runs(pkg)) {
    throw new Error(
      `\`apt-get install -y ${pkg.name}\` succeeded, but \`${pkg.program} ${
        pkg.check.join(" ")
      }\` fails`,
    );
  }
}

/** bubblewrap, for the local cloud's root view per sandbox. */
export function ensureBubblewrap(): Promise<void> {
  return ensureDebianPackage({
    name: "bubblewrap",
    program: "bwrap",
    check: ["--version"],
    neededBy: "The local cloud's root view tests",
  });
}

async function runs(pkg: DebianPackage): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(pkg.program, {
      args: pkg.check,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function tail(text: string): string {
  return text.trim().split("\n").slice(-5).join(" | ") || "(no output)";
}
