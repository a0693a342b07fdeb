// The consumer's program, the same on every runtime: the README's Quickstart with one command.
// MSB_API_URL and MSB_API_KEY point at the test's local cloud.
import { Microsandbox } from "@microsandbox/edge";

const msb = Microsandbox.fromEnv();
const name = `consumer-${crypto.randomUUID().slice(0, 8)}`;
await using sandbox = await msb.sandboxes.create({ name, image: "python" });
const output = await sandbox.exec("echo", ["installed"]);
console.log(
  JSON.stringify({ status: sandbox.status, code: output.code, stdout: output.stdoutText() }),
);
