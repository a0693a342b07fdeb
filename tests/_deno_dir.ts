/** The Deno cache of this test run, so that a child `deno` finds the modules offline. */
export function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}
