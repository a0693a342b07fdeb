// What the code under test prints: every console call, recorded while a body runs.

const METHODS = ["log", "info", "warn", "error", "debug"] as const;

/** Runs `body` while recording every console call. */
export async function capturingConsole(body: () => Promise<void>): Promise<string> {
  const saved = METHODS.map((method) => console[method]);
  let printed = "";
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      printed += args.map((a) => typeof a === "string" ? a : Deno.inspect(a, { depth: 20 }))
        .join(" ") + "\n";
    };
  }
  try {
    await body();
  } finally {
    METHODS.forEach((method, i) => console[method] = saved[i]!);
  }
  return printed;
}
