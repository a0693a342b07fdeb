import { appSetup, ACME, running } from "../hono/_app.ts";
await using app = await appSetup();
await running(app.env, "acme-exec");
for (const delay of [0, 1, 5, 20, 50, 100]) {
  for (const cmd of ["cmd=seq&arg=1&arg=3", "cmd=yes&arg=x", "cmd=cat"]) {
    const socket = new WebSocket(`${app.base.replace("http", "ws")}/acme-exec/ws?${cmd}`, { headers: ACME });
    await new Promise((r) => setTimeout(r, delay));
    socket.close();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 200));
    while ((app.env.cloud.liveSockets() > 0 || app.env.cloud.processes().length > 0) && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    const left = app.env.cloud.liveSockets() + app.env.cloud.processes().length;
    if (left) console.log("ws", delay, cmd, "left after 5 s:", app.env.cloud.liveSockets(), "sockets", app.env.cloud.processes().length, "processes");
  }
}
console.log("done");
