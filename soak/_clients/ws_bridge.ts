// WebSocket bridge sessions (`GET /:name/ws`): `cat` echoing numbered stdin chunks back, or
// `seq` output, each ending with `exited` (right code, every byte) or a typed `error` message.
// A socket that closes with neither is a failure; an upgrade the adapter refuses is counted
// (a browser's WebSocket cannot read a refusal's body).

import { typedError, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import type { Progress } from "../_deadline.ts";
import { auth, count, loop, type Soak, type Tenant } from "../_soak.ts";
import { firstDifference, plainSeq } from "./_exec_command.ts";

/** How a bridge session went. */
interface Session {
  stdout: string;
  end: "exited" | "error" | "refused" | "closed";
  code?: number;
}

/** Runs bridge sessions until the run is over. */
export function wsBridgeClient(soak: Soak, tenant: Tenant): Promise<void> {
  const what = `ws bridge (${tenant.name})`;
  return loop(soak, what, async (signal, progress) => {
    const echo = soak.random.chance(0.5);
    const lines = soak.random.int(1, 2_000);
    const expected = echo ? chunks(lines) : plainSeq(lines).stdout;
    const query = echo ? "cmd=cat" : `cmd=seq&arg=1&arg=${lines}`;
    const label = `${what} ${query}`;
    const url = `${soak.base.replace("http", "ws")}/${tenant.name}-exec/ws?${query}`;
    const socket = soak.traffic.webSocket(url, auth(tenant), label);
    signal.addEventListener("abort", () => socket.close(), { once: true });
    const session = await run(soak, socket, echo ? expected : undefined, label, progress, signal);
    count(soak, `ws.${session.end}`);
    if (session.end !== "exited") return;
    if (session.code !== 0) {
      soak.failures.add("wrong_output", `${label}: exit code ${session.code}`);
    } else if (session.stdout !== expected) {
      soak.failures.add(
        "wrong_output",
        `${label}: stdout ${firstDifference(session.stdout, expected)}`,
      );
    }
  });
}

/** Numbered stdin lines for `cat`, sent in a few messages. */
function chunks(lines: number): string {
  let text = "";
  for (let n = 1; n <= lines; n++) text += `stdin ${n}\n`;
  return text;
}

/** Drives one session: sends `stdin` (then eof) once open, collects output until it closes. */
function run(
  soak: Soak,
  socket: WebSocket,
  stdin: string | undefined,
  what: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<Session> {
  const session: Session = { stdout: "", end: "closed" };
  const decoder = new TextDecoder();
  let opened = false;
  progress.step = "upgrading";
  return new Promise((resolve) => {
    socket.onopen = () => {
      opened = true;
      progress.step = "open, exchanging messages";
      if (stdin === undefined) return;
      const bytes = new TextEncoder().encode(stdin);
      for (let at = 0; at < bytes.byteLength; at += 4096) {
        socket.send(bytes.subarray(at, at + 4096));
      }
      socket.send(JSON.stringify({ type: "eof" }));
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") {
        const bytes = new Uint8Array(event.data);
        if (bytes[0] === 1) session.stdout += decoder.decode(bytes.subarray(1), { stream: true });
        return;
      }
      const message = JSON.parse(event.data);
      if (message.type === "exited") {
        session.end = "exited";
        session.code = message.code;
      } else if (message.type === "error") {
        session.end = "error";
        typedError(message, undefined, UPSTREAM_FAULT_CODES, what, soak.failures);
      } else if (message.type !== "started") {
        soak.failures.add("untyped_error", `${what}: unknown message ${event.data}`);
      }
    };
    socket.onclose = (event) => {
      if (!opened) session.end = "refused";
      else if (session.end === "closed" && !signal.aborted) {
        soak.failures.add(
          "untyped_error",
          `${what}: the socket closed (${event.code}) without exited or error`,
        );
      }
      resolve(session);
    };
  });
}
