// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Hono } from "hono";
import { readJsonObject } from "./_body.ts";
import { spawnOptionsOf } from "./_command_request.ts";
import { execEventStream } from "./_exec_events.ts";
import { execCommand, parseExecBody } from "./_exec_body.ts";
import type { Guard } from "./_guard.ts";
import { outputEncoding, toBase64 } from "./_output_encoding.ts";
import { acceptedFormat, streamResponse } from "./_stream_responses.ts";
import type { Principal } from "./options.ts";
import type { ExecResultJson } from "./schema.ts";

/**
 * `POST /:name/exec`: the JSON result, or the live events as NDJSON or SSE; output as UTF-8 text,
 * or base64 with `?encoding=base64`. The process is killed at the time limit, and when the client
 * goes away.
 */
export function execRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  app.post("/:name/exec", async (c) => {
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    const encoding = outputEncoding(c.req.raw);
    const body = parseExecBody(await readJsonObject(c.req.raw, guard.options.maxBodyBytes));
    const command = execCommand(body, guard.options.maxExecMs);
    await guard.command(command, principal, c);
    const signal = c.req.raw.signal;
    const sandbox = await client.sandboxes.get(name, { signal });
    const { cmd, args } = command;
    const options = { ...spawnOptionsOf(command), signal };
    const format = acceptedFormat(c.req.raw, "json");
    if (format === "json") {
      const output = await sandbox.exec(cmd, args, { ...options, stdin: body.stdin });
      const base64 = encoding === "base64";
      const result: ExecResultJson = {
        code: output.code,
        success: output.success,
        stdout: base64 ? toBase64(output.stdout) : output.stdoutText(),
        stderr: base64 ? toBase64(output.stderr) : output.stderrText(),
      };
      return c.json(result);
    }
    const process = await sandbox.spawn(cmd, args, options);
    const events = execEventStream(process, body.stdin, encoding);
    return streamResponse(events, format, (event) => ({ event: event.type, data: event }), signal);
  });
}
