// Downloads a URL in a reader process of its own (_files_large_reader.ts), so that what the
// reader retains is measured apart from the server's memory.

/** What the reader saw: the bytes, their SHA-256 (hex) and its retained growth in MiB. */
export interface ChildRead {
  total: number;
  digest: string;
  growthMib: number;
}

/** Reads `url` with `authorization` in a child `deno run` and reports what it saw. */
export async function readInChild(url: string, authorization: string): Promise<ChildRead> {
  const reader = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL("./_files_large_reader.ts", import.meta.url).pathname,
      url,
      authorization,
    ],
    stdout: "piped",
  }).output();
  if (reader.code !== 0) throw new Error(`the reader failed with exit code ${reader.code}`);
  const [total, digest, growth] = new TextDecoder().decode(reader.stdout).trim().split(" ");
  return { total: Number(total), digest: digest!, growthMib: Number(growth) };
}
