// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { concatBytes } from "../_concat.ts";
import { OutputLimitError } from "../errors.ts";
import type { ExecOptions } from "./exec_options.ts";
import { ExecOutput } from "./exec_output.ts";
import type { ExecProcess } from "./exec_process.ts";

/** The default bound on the output `exec` keeps. */
export const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** Feeds `stdin` to the process (end-of-file right away when there is none) and keeps its output. */
export async function collect(process: ExecProcess, options: ExecOptions): Promise<ExecOutput> {
  const feeding = feed(process, options.stdin);
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const out = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[], size: 0 };
  for await (const event of process.events) {
    if (event.type !== "stdout" && event.type !== "stderr") continue;
    out.size += event.data.byteLength;
    if (out.size > limit) {
      await process.kill().catch(() => {});
      await process.events.cancel().catch(() => {});
      throw new OutputLimitError(limit);
    }
    out[event.type].push(event.data);
  }
  const status = await process.exited;
  await feeding;
  return new ExecOutput(status, concatBytes(out.stdout), concatBytes(out.stderr));
}

async function feed(process: ExecProcess, stdin: ExecOptions["stdin"]): Promise<void> {
  try {
    if (stdin instanceof ReadableStream) return await stdin.pipeTo(process.stdin);
    const writer = process.stdin.getWriter();
    if (stdin !== undefined) {
      await writer.write(typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin);
    }
    await writer.close();
  } catch {
    // The process ended before reading all of its stdin; its exit tells the rest.
  }
}
