// The WebSocket server the tests start in a sandbox: a Deno server (the test process's own deno
// binary, copied in) that echoes messages, picks the subprotocol `chat` when offered, and answers
// a few text commands:
// - `bye` closes with 4002 and the request's path as the reason;
// - `request` answers the request's path, query and headers as JSON;
// - `big N` sends one binary message of N bytes;
// - `flood N` sends N MiB as 64 KiB binary messages;
// and each close it sees is appended to `closes.log` as `code reason`.
import type { ExecProcess, Sandbox } from "../../mod.ts";
import { copyDeno } from "./_http_servers.ts";
import { untilUp } from "./_servers.ts";

/** Where the server and its log live in the sandbox. */
export const WS_SERVER_DIR = "/opt/ws";

const DENO_WS_SERVER = `
const commands = {
  bye: (socket, seen) => socket.close(4002, seen.pathname),
  request: (socket, seen) => socket.send(JSON.stringify(seen)),
  big: (socket, _seen, n) => socket.send(new Uint8Array(n)),
  flood: (socket, _seen, n) => {
    for (let i = 0; i < n * 16; i++) socket.send(new Uint8Array(64 * 1024).fill(i & 0xff));
  },
};
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.args[0]), onListen: () => console.log("up") }, (request) => {
  // The request is closed once upgraded: keep what the commands tell.
  const { pathname, search } = new URL(request.url);
  const seen = { pathname, search, headers: Object.fromEntries(request.headers) };
  const offered = request.headers.get("sec-websocket-protocol")?.split(/, */) ?? [];
  const { socket, response } = Deno.upgradeWebSocket(request, offered.includes("chat") ? { protocol: "chat" } : {});
  socket.binaryType = "arraybuffer";
  socket.onmessage = ({ data }) => {
    const [name, n] = typeof data === "string" ? data.split(" ") : [];
    if (Object.hasOwn(commands, name)) commands[name](socket, seen, Number(n));
    else socket.send(data);
  };
  socket.onclose = ({ code, reason }) => Deno.writeTextFileSync("closes.log", code + " " + reason + "\\n", { append: true });
  return response;
});
`;

/** Starts the server on `port` in the sandbox and waits until it listens. */
export async function startWsServer(sandbox: Sandbox, port: number): Promise<ExecProcess> {
  await sandbox.fs.mkdir(WS_SERVER_DIR, { recursive: true });
  await copyDeno(sandbox, WS_SERVER_DIR);
  await sandbox.fs.writeFile(`${WS_SERVER_DIR}/server.ts`, DENO_WS_SERVER);
  const args = ["run", "--allow-net", "--allow-write=closes.log", "server.ts", String(port)];
  return await untilUp(await sandbox.spawn("./deno", args, { cwd: WS_SERVER_DIR }));
}

/** The closes the server has seen, as `code reason` lines. */
export async function serverCloses(sandbox: Sandbox): Promise<string[]> {
  if (!(await sandbox.fs.exists(`${WS_SERVER_DIR}/closes.log`))) return [];
  const text = await sandbox.fs.text(`${WS_SERVER_DIR}/closes.log`);
  return text.split("\n").filter((line) => line !== "");
}
