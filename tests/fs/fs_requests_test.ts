// sandbox.fs sends byte for byte what the official SDK 0.6.18 sends (tests/protocol/_fs_fixtures.ts,
// captured through a recording proxy), replayed over a recording route in place of the socket.
import assert from "node:assert/strict";
import { sandboxFs } from "../../src/fs/sandbox_fs.ts";
import type { FsRoute } from "../../src/fs/_fs_route.ts";
import {
  type DecodedMessage,
  encodeFrame,
  encodeMessage,
  type FsOp,
  type FsResponse,
  type MessageType,
  type PayloadMap,
} from "../../src/protocol/mod.ts";
import type { WireSession } from "../../src/wire/session_port.ts";
import * as golden from "../protocol/_fs_fixtures.ts";
import { concat, toHex as hexOf } from "../protocol/_replay.ts";

/** A route whose sessions record what is sent and answer as the agent would. */
function recordingRoute(): { route: FsRoute; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  let nextId = 1000;
  const session = (): WireSession => {
    const id = nextId++;
    let controller!: ReadableStreamDefaultController<DecodedMessage>;
    const messages = new ReadableStream<DecodedMessage>({ start: (c) => void (controller = c) });
    const reply = <T extends MessageType>(type: T, payload: PayloadMap[T]) =>
      controller.enqueue({ id, type, payload } as unknown as DecodedMessage);
    const answer = (response: Partial<FsResponse> = {}) =>
      reply("core.fs.response", { ok: true, error: null, data: null, ...response });
    return {
      messages,
      send(type, payload) {
        sent.push(encodeFrame(encodeMessage(id, type, payload)));
        if (type === "core.fs.data") {
          if ((payload as { data: Uint8Array }).data.byteLength === 0) answer();
        } else if (type === "core.fs.request") {
          const op = (payload as { op: FsOp }).op;
          if ("OpenFile" in op) answer({ data: { Handle: 1 } });
          else if ("Read" in op) {
            reply("core.fs.data", { data: new TextEncoder().encode("hi") });
            answer();
          } else if ("Stat" in op) answer({ data: { Stat: entry(op.Stat.path) } });
          else if ("List" in op) answer({ data: { List: [] } });
          else if (!("Write" in op)) answer();
        }
        return Promise.resolve();
      },
      close() {},
    };
  };
  const route: FsRoute = {
    require() {},
    session: () => {
      nextId = 1000; // the SDK opens a socket per call: each starts at the bottom of the range
      return Promise.resolve(session());
    },
    link: () => {
      nextId = 1000;
      return Promise.resolve({ open: session, close() {} });
    },
  };
  return { route, sent };
}

function entry(path: string) {
  return {
    path,
    kind: "dir",
    size: 0,
    mode: 0o40755,
    modified: 0,
    uid: 0,
    gid: 0,
    atime: 0,
    mtime: 0,
  };
}

async function sends(
  call: (fs: ReturnType<typeof sandboxFs>) => Promise<unknown>,
): Promise<string> {
  const { route, sent } = recordingRoute();
  await call(sandboxFs(route));
  return hexOf(concat(sent));
}

Deno.test("SandboxFs.writeFile sends what the SDK sends: OpenFile, Write with len, data, EOF, CloseHandle", async () => {
  assert.equal(
    await sends((fs) => fs.writeFile("/tmp/a.txt", "hi")),
    hexOf(
      concat([
        golden.FS_WRITE_OPEN,
        golden.FS_WRITE_START,
        golden.FS_WRITE_DATA_HI,
        golden.FS_WRITE_EOF,
        golden.FS_WRITE_CLOSE,
      ]),
    ),
  );
});

Deno.test("SandboxFs.writeFile of a stream sends Write with a null len, as the SDK's writeStream", async () => {
  const frames = await sends((fs) =>
    fs.writeFile("/tmp/s.txt", ReadableStream.from([new TextEncoder().encode("ab")]))
  );
  assert.ok(frames.includes(hexOf(golden.FS_STREAM_WRITE_START)), frames);
});

Deno.test("SandboxFs.readFile sends what the SDK sends: OpenFile read, Read to the end, CloseHandle", async () => {
  assert.equal(
    await sends(async (fs) => assert.equal(await fs.text("/tmp/a.txt"), "hi")),
    hexOf(concat([golden.FS_READ_OPEN, golden.FS_READ_START, golden.FS_READ_CLOSE])),
  );
});

Deno.test("SandboxFs one-shot operations send what the SDK sends", async () => {
  assert.equal(await sends((fs) => fs.stat("/tmp/a.txt")), hexOf(golden.FS_STAT));
  assert.equal(await sends((fs) => fs.list("/tmp")), hexOf(golden.FS_LIST));
  assert.equal(
    await sends((fs) => fs.mkdir("/tmp/d", { recursive: true })),
    hexOf(golden.FS_MKDIR),
  );
  assert.equal(await sends((fs) => fs.copy("/tmp/a.txt", "/tmp/b.txt")), hexOf(golden.FS_COPY));
  assert.equal(await sends((fs) => fs.rename("/tmp/b.txt", "/tmp/c.txt")), hexOf(golden.FS_RENAME));
  assert.equal(await sends((fs) => fs.remove("/tmp/c.txt")), hexOf(golden.FS_REMOVE));
  assert.equal(
    await sends((fs) => fs.remove("/tmp/d", { recursive: true })),
    hexOf(golden.FS_REMOVE_DIR),
  );
});
