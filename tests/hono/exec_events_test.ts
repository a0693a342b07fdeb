// The final `error` event of a streamed exec carries what a JSON answer would: a unit test of
// that one mapping, over a process double (the HTTP paths are in exec_answers_test.ts).
import assert from "node:assert/strict";
import { type ExecEvent, ExecFailedError, type ExecProcess } from "../../mod.ts";
import { execEventStream } from "../../src/hono/_exec_events.ts";

/** A process that yields `events` and takes any stdin. */
function processOf(events: ExecEvent[]): ExecProcess {
  return { events: ReadableStream.from(events), stdin: new WritableStream() } as ExecProcess;
}

Deno.test("execEventStream ends with an error event holding the code and kind of the failure", async () => {
  const error = new ExecFailedError("exec failed: no such file", { failureKind: "bad_cwd" });
  const events = execEventStream(
    processOf([{ type: "started", pid: 7 }, { type: "failed", error }]),
    undefined,
    "base64",
  );
  assert.deepEqual(await Array.fromAsync(events), [
    { type: "started", pid: 7 },
    {
      type: "error",
      error: {
        code: "exec_failed",
        message:
          "The command could not start: the working directory does not exist or is not a directory.",
        kind: "bad_cwd",
      },
    },
  ]);
});

Deno.test("execEventStream names a failure kind it does not know other, never the agent's text", async () => {
  const error = new ExecFailedError("exec failed", { failureKind: "msb_live_leaked text" });
  const events = await Array.fromAsync(
    execEventStream(processOf([{ type: "failed", error }]), undefined, "utf-8"),
  );
  assert.deepEqual(events, [{
    type: "error",
    error: {
      code: "exec_failed",
      message: "The command could not start: the sandbox refused it.",
      kind: "other",
    },
  }]);
});
