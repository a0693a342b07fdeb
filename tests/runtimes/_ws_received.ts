// What a test's WebSocket receives, in order, whichever runtime made the socket (a Deno
// `WebSocket`, or the client end miniflare hands back): the client of a preview WebSocket, and
// the output of the echo server (_ws_echo_server.ts) as the app's exec WebSocket carries it. It
// imports nothing from src/, so it also runs in the Node process that drives workerd.

/** The events of a WebSocket these helpers read; binary data arrives as an `ArrayBuffer`. */
export interface SocketEvents {
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
}

/** What a socket received, one item at a time: `text: …`, `binary: 1,2,…`, `close N`. */
export interface Received {
  /** Resolves with the oldest item not yet taken, once there is one. */
  next(): Promise<string>;
}

/**
 * Keeps what `socket` receives from now on.
 *
 * @param socket The socket, before it can receive anything.
 * @returns Its messages and its close, in order.
 */
export function received(socket: SocketEvents): Received {
  const seen: string[] = [];
  let arrived = () => {};
  socket.addEventListener("message", ({ data }) => {
    const bytes = typeof data === "string" ? undefined : new Uint8Array(data as ArrayBuffer);
    seen.push(bytes ? `binary: ${[...bytes]}` : `text: ${data}`);
    arrived();
  });
  socket.addEventListener("close", ({ code }) => {
    seen.push(`close ${code}`);
    arrived();
  });
  return {
    async next() {
      while (seen.length === 0) await new Promise<void>((resolve) => arrived = resolve);
      return seen.shift()!;
    },
  };
}

/** The output of a command on the app's exec WebSocket (`GET /:name/ws`). */
export interface CommandOutput {
  /** Resolves once the command has printed `line` on stdout; rejects if it ends first. */
  printed(line: string): Promise<void>;
}

/**
 * Reads a command's output from its exec WebSocket: binary frames are a channel byte (1 is
 * stdout) then the bytes; the text frame `{"type":"exited"}`, or the close, ends it.
 *
 * @param socket The exec WebSocket, before it can receive anything.
 * @returns What the command prints.
 */
export function commandOutput(socket: SocketEvents): CommandOutput {
  const output = { stdout: "", stderr: "", ended: false };
  const watchers = new Set<() => void>();
  const changed = () => watchers.forEach((watch) => watch());
  socket.addEventListener("message", ({ data }) => {
    if (typeof data === "string") {
      output.ended ||= JSON.parse(data).type === "exited";
    } else {
      const bytes = new Uint8Array(data as ArrayBuffer);
      const text = new TextDecoder().decode(bytes.subarray(1));
      if (bytes[0] === 1) output.stdout += text;
      else output.stderr += text;
    }
    changed();
  });
  socket.addEventListener("close", () => {
    output.ended = true;
    changed();
  });
  return {
    printed: (line) =>
      new Promise((resolve, reject) => {
        const watch = () => {
          if (output.stdout.split("\n").includes(line)) resolve();
          else if (output.ended) reject(new Error(`the command ended: ${output.stderr}`));
          else return;
          watchers.delete(watch);
        };
        watchers.add(watch);
        watch();
      }),
  };
}
