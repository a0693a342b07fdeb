// Reads an exec stream of the adapter (NDJSON or SSE) into its result: every `started`, output
// and end event checked against the command it ran.

import type { ExecEventJson } from "../../src/hono/mod.ts";
import { typedError, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Soak } from "../_soak.ts";
import { readNdjson, readSse } from "../_streams.ts";
import { type ExpectedCommand, firstDifference } from "./_exec_command.ts";

/** The two streaming formats and the `accept` header that asks for each. */
export const STREAM_FORMATS = {
  ndjson: "application/x-ndjson",
  sse: "text/event-stream",
} as const;

/** How an exec stream ended, as its reader saw it. */
export type StreamEnd = "exited" | "error" | "stopped";

/**
 * Reads events until the stream ends, or `onEvent` returns false; checks the output and the end
 * (an exit code that matches, or a typed `error` event). A stream that ends without either, or
 * an event of a type the schema does not have, is an untyped failure.
 */
export async function readExecStream(
  soak: Soak,
  body: ReadableStream<Uint8Array>,
  format: keyof typeof STREAM_FORMATS,
  command: ExpectedCommand,
  what: string,
  onEvent: (event: ExecEventJson) => boolean | Promise<boolean> = () => true,
): Promise<StreamEnd> {
  let stdout = "";
  let stderr = "";
  let end: StreamEnd | undefined;
  const take = async (event: ExecEventJson): Promise<boolean> => {
    if (event.type === "stdout") stdout += event.data;
    else if (event.type === "stderr") stderr += event.data;
    else if (event.type === "exited") {
      end = "exited";
      check(soak, what, command, event.code, stdout, stderr);
      return false;
    } else if (event.type === "error") {
      end = "error";
      typedError(event, undefined, UPSTREAM_FAULT_CODES, what, soak.failures);
      return false;
    } else if (event.type !== "started") {
      soak.failures.add("untyped_error", `${what}: unknown event ${JSON.stringify(event)}`);
    }
    if (!(await onEvent(event))) {
      end = "stopped";
      return false;
    }
    return true;
  };
  if (format === "sse") {
    await readSse(body, (event) => take({ ...JSON.parse(event.data), type: event.event }));
  } else {
    await readNdjson(body, (value) => take(value as ExecEventJson));
  }
  if (end === undefined) {
    soak.failures.add("untyped_error", `${what}: the stream ended without exited or error`);
    return "error";
  }
  return end;
}

function check(
  soak: Soak,
  what: string,
  command: ExpectedCommand,
  code: number,
  stdout: string,
  stderr: string,
): void {
  if (code !== command.code) {
    soak.failures.add("wrong_output", `${what}: exit code ${code}, ${command.code} expected`);
  } else if (stdout !== command.stdout) {
    soak.failures.add("wrong_output", `${what}: stdout ${firstDifference(stdout, command.stdout)}`);
  } else if (stderr !== command.stderr) {
    soak.failures.add("wrong_output", `${what}: stderr ${firstDifference(stderr, command.stderr)}`);
  }
}
