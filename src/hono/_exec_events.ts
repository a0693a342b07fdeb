// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExecEvent } from "../exec/exec_options.ts";
import type { ExecProcess } from "../exec/exec_process.ts";
import { toRouteError } from "./errors.ts";
import { type OutputText, outputText } from "./_output_encoding.ts";
import type { ExecEventJson, OutputEncoding } from "./schema.ts";

type Decoders = Record<"stdout" | "stderr", OutputText>;

/**
 * The events of a running process as JSON: `started`, output as text in `encoding`, then
 * `exited`, or `error` (with the code a JSON answer would have) when the process fails or runs
 * past its limit. Cancelling the stream kills the process. `stdin` is written and closed alongside.
 */
export function execEventStream(
  process: ExecProcess,
  stdin: string | undefined,
  encoding: OutputEncoding,
): ReadableStream<ExecEventJson> {
  feed(process, stdin);
  const reader = process.events.getReader();
  const decoders: Decoders = { stdout: outputText(encoding), stderr: outputText(encoding) };
  return new ReadableStream<ExecEventJson>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          if (value.type === "exited") flush(decoders, controller);
          const json = eventJson(value, decoders);
          if (!json) continue;
          controller.enqueue(json);
          if (json.type === "exited" || json.type === "error") return controller.close();
          return;
        }
      } catch (error) {
        controller.enqueue({ type: "error", ...toRouteError(error).toJSON() });
        controller.close();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function eventJson(event: ExecEvent, decoders: Decoders): ExecEventJson | undefined {
  switch (event.type) {
    case "started":
      return { type: "started", pid: event.pid };
    case "stdout":
    case "stderr":
      return { type: event.type, data: decoders[event.type].chunk(event.data) };
    case "exited":
      return { type: "exited", code: event.code };
    case "failed":
      return { type: "error", ...toRouteError(event.error).toJSON() };
    case "stdinError":
      return undefined;
  }
}

/** Sends what the decoders hold back (a character cut at the end of the output). */
function flush(
  decoders: Decoders,
  controller: ReadableStreamDefaultController<ExecEventJson>,
): void {
  for (const type of ["stdout", "stderr"] as const) {
    const rest = decoders[type].flush();
    if (rest) controller.enqueue({ type, data: rest });
  }
}

/** Writes `stdin` then end-of-file; a process that ends first tells the rest by its exit. */
function feed(process: ExecProcess, stdin: string | undefined): void {
  const writer = process.stdin.getWriter();
  (async () => {
    if (stdin) await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  })().catch(() => {});
}
