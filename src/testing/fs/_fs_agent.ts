/**
 * The guest filesystem on one `agent` socket, as agentd serves it: one-shot operations answered
 * at once, file handles that belong to the socket that opened them (closed when it closes, as
 * agentd closes a departed relay client's handles), streamed reads (`core.fs.data` chunks of at
 * most 3 MiB, sent only as fast as the socket drains, then a terminal `FsResponse`) and streamed
 * writes (`core.fs.data` chunks until an empty one, then the terminal `FsResponse`).
 *
 * @module
 */

import {
  encodeFrame,
  encodeMessage,
  type FsOp,
  type FsOpenOptions,
  type FsResponse,
} from "../../protocol/mod.ts";
import type { FrameSocket } from "../exec/_exec_socket.ts";
import { GuestOsError, isADirectory } from "./_fs_errors.ts";
import type { FsHost } from "./_fs_host.ts";
import { failed, type FsTree, ok, place, runSimpleOp, simpleOpName } from "./_fs_ops.ts";

/** The most bytes one `core.fs.data` message carries (`FS_CHUNK_SIZE`). */
export const FS_CHUNK_SIZE = 3 * 1024 * 1024;

/** Handles one socket may hold, as agentd's limit per relay client. */
const MAX_HANDLES = 1024;

interface OpenFile {
  file: Deno.FsFile;
  read: boolean;
  write: boolean;
}

interface WriteStream {
  file: Deno.FsFile;
  expected: number | null;
  written: number;
}

/** Where the agent's filesystem answers. */
export interface FsPlace {
  readonly fs: FsHost;
  readonly sandboxId: string;
  readonly socket: FrameSocket;
  readonly version: number;
}

/** The filesystem sessions and handles of one agent socket. */
export class FsAgent {
  readonly #place: FsPlace;
  readonly #tree: FsTree;
  readonly #handles = new Map<number, OpenFile>();
  readonly #writes = new Map<number, WriteStream>();
  #nextHandle = 0;
  #closed = false;

  /** @param place The cloud's filesystem, the sandbox and the socket to answer on. */
  constructor(place: FsPlace) {
    this.#place = place;
    this.#tree = { dirs: place.fs.dirs, sandboxId: place.sandboxId };
  }

  /**
   * Starts a `core.fs.request` session.
   *
   * @param id The session id.
   * @param op The operation.
   */
  request(id: number, op: FsOp): void {
    if (simpleOpName(op)) {
      runSimpleOp(this.#tree, op).then((response) => this.#respond(id, response));
    } else if ("OpenFile" in op) {
      this.#open(op.OpenFile.path, op.OpenFile.options).then((response) =>
        this.#respond(id, response)
      );
    } else if ("CloseHandle" in op) {
      this.#respond(id, this.#closeHandle(Number(op.CloseHandle.handle)));
    } else if ("Read" in op) {
      this.#read(id, op.Read);
    } else if ("Write" in op) {
      this.#startWrite(id, op.Write);
    } else {
      const name = Object.keys(op)[0];
      this.#respond(
        id,
        failed(`${name}`.toLowerCase(), new GuestOsError("Operation not supported", 95)),
      );
    }
  }

  /**
   * Takes a `core.fs.data` chunk of a write session; an empty one ends it. Written at once, so
   * a fast writer is held by the socket, not by memory.
   *
   * @param id The session id.
   * @param data The bytes.
   */
  data(id: number, data: Uint8Array): void {
    const stream = this.#writes.get(id);
    if (!stream) return; // unknown ids are ignored, as agentd does
    if (data.byteLength === 0) {
      this.#writes.delete(id);
      const { expected, written } = stream;
      this.#respond(
        id,
        expected !== null && expected !== written
          ? {
            ok: false,
            error: `write length mismatch: expected ${expected}, wrote ${written}`,
            data: null,
          }
          : ok(),
      );
      return;
    }
    try {
      for (let at = 0; at < data.byteLength;) at += stream.file.writeSync(data.subarray(at));
      stream.written += data.byteLength;
    } catch (error) {
      this.#writes.delete(id);
      this.#respond(id, failed("write", error));
    }
  }

  /** The socket closed: its handles close, its streams stop. */
  close(): void {
    this.#closed = true;
    this.#writes.clear();
    for (const handle of [...this.#handles.keys()]) this.#closeHandle(handle);
  }

  async #open(path: string, options: FsOpenOptions): Promise<FsResponse> {
    try {
      const writes = options.write || options.append;
      const found = await place(this.#tree, path, { followLast: true, writable: writes });
      if ((await Deno.stat(found.path).catch(() => null))?.isDirectory && writes) {
        throw isADirectory();
      }
      if (this.#handles.size >= MAX_HANDLES) {
        return {
          ok: false,
          error: `open: too many open filesystem handles for relay client: ${MAX_HANDLES}`,
          data: null,
        };
      }
      const file = await Deno.open(found.path, {
        read: options.read,
        write: options.write,
        append: options.append,
        create: options.create,
        truncate: options.truncate,
        createNew: options.createNew,
        ...(options.mode !== null && { mode: options.mode }),
      });
      if (this.#closed) {
        file.close();
        return ok();
      }
      const handle = ++this.#nextHandle;
      this.#handles.set(handle, { file, read: options.read, write: writes });
      this.#place.fs.opened();
      return ok({ Handle: handle });
    } catch (error) {
      return failed("open", error);
    }
  }

  #closeHandle(handle: number): FsResponse {
    const open = this.#handles.get(handle);
    if (!open) return { ok: false, error: `close: invalid handle: ${handle}`, data: null };
    this.#handles.delete(handle);
    this.#place.fs.closed();
    try {
      open.file.close();
    } catch {
      // Closed by the runtime already.
    }
    return ok();
  }

  #file(handle: number, step: string, need: "read" | "write"): OpenFile | FsResponse {
    const open = this.#handles.get(handle);
    if (!open) return { ok: false, error: `${step}: invalid handle: ${handle}`, data: null };
    if (!open[need]) {
      return {
        ok: false,
        error: `${step}: handle ${handle} is not open for ${need}ing`,
        data: null,
      };
    }
    return open;
  }

  #startWrite(
    id: number,
    args: { handle: number | bigint; offset: number | bigint; len: number | bigint | null },
  ): void {
    const open = this.#file(Number(args.handle), "write", "write");
    if ("ok" in open) return this.#respond(id, open);
    try {
      open.file.seekSync(Number(args.offset), Deno.SeekMode.Start);
    } catch (error) {
      return this.#respond(id, failed("seek", error));
    }
    this.#writes.set(id, {
      file: open.file,
      expected: args.len === null ? null : Number(args.len),
      written: 0,
    });
  }

  async #read(
    id: number,
    args: { handle: number | bigint; offset: number | bigint; len: number | bigint | null },
  ): Promise<void> {
    const handle = Number(args.handle);
    const open = this.#file(handle, "read", "read");
    if ("ok" in open) return this.#respond(id, open);
    let left = args.len === null ? Infinity : Number(args.len);
    try {
      await open.file.seek(Number(args.offset), Deno.SeekMode.Start);
      const buffer = new Uint8Array(FS_CHUNK_SIZE);
      while (left > 0) {
        const n = await open.file.read(buffer.subarray(0, Math.min(buffer.byteLength, left)));
        if (n === null || n === 0) break;
        if (this.#closed || !this.#handles.has(handle)) return;
        left -= n;
        this.#send(id, "core.fs.data", { data: buffer.subarray(0, n) });
        await this.#place.socket.drain();
      }
    } catch (error) {
      if (this.#closed || !this.#handles.has(handle)) return;
      return this.#respond(id, failed("read", error));
    }
    this.#respond(id, ok());
  }

  #respond(id: number, response: FsResponse): void {
    this.#send(id, "core.fs.response", response, true);
  }

  #send<T extends "core.fs.data" | "core.fs.response">(
    id: number,
    type: T,
    payload: T extends "core.fs.data" ? { data: Uint8Array } : FsResponse,
    flush = false,
  ): void {
    if (this.#closed) return;
    const frame = encodeMessage(id, type, payload as never, this.#place.version);
    this.#place.socket.sendBytes(encodeFrame(frame), flush);
  }
}
