/**
 * The volume file routes (protocol.md §2.3; openapi does not describe them):
 * `{GET,PUT} /volumes/{id}/files/content` (raw bytes, streamed both ways), `GET
 * /volumes/{id}/files` (`{entries}`), `/stat` (`{metadata}`), `/exists` (`{exists}`), `DELETE
 * /volumes/{id}/files` (with `x-msb-file-recursive`), and `POST /mkdir`, `/copy`, `/rename` with
 * JSON bodies. A path travels in `x-msb-file-path` (base64url) or the JSON body; a write past the
 * volume's cap is refused with 507 `quota_exceeded` and leaves the old file as it was.
 *
 * @module
 */

import { type Context, Hono, type MiddlewareHandler } from "hono";
import { ApiError, invalidRequest } from "../app/_error_body.ts";
import { JsonFields } from "../rest/_json_fields.ts";
import { readJson } from "../rest/_sandbox_routes.ts";
import { copyTree } from "./_copy_tree.ts";
import { childPath, fileInfo } from "./_file_info.ts";
import { quotaExceeded, quotaStream, roomLeft } from "./_quota.ts";
import {
  decodePathHeader,
  fileNotFound,
  invalidVolumePath,
  resolveVolumePath,
  type VolumePath,
} from "./_volume_paths.ts";
import { treeSize, type VolumeRecord, type VolumeStore } from "./_volume_store.ts";

const FILES = "/volumes/:id/files";

/**
 * Builds the volume file routes, relative to `/v1`.
 *
 * @param volumes The cloud's volumes.
 * @returns The routes.
 */
export function volumeFileRoutes(volumes: VolumeStore): Hono {
  const app = new Hono();
  app.use(`${FILES}/*`, hostFailures);
  app.use(FILES, hostFailures);
  const target = new Targets(volumes);
  app.get(`${FILES}/content`, async (c) => {
    const { path } = await target.header(c);
    const info = await existing(path);
    if (!info.isFile) throw invalidRequest(`Cannot read ${path.display}: it is not a file`);
    const file = await Deno.open(path.host);
    return new Response(file.readable, {
      headers: { "content-type": "application/octet-stream", "content-length": `${info.size}` },
    });
  });
  app.put(`${FILES}/content`, async (c) => {
    const { record, path } = await target.header(c);
    await write(volumes, record, path, c.req.raw.body);
    return c.json({ message: `Wrote ${path.display}` });
  });
  app.get(FILES, async (c) => {
    const { path } = await target.header(c);
    if (!(await existing(path)).isDirectory) {
      throw invalidRequest(`Cannot list ${path.display}: it is not a directory`);
    }
    const names: string[] = [];
    for await (const entry of Deno.readDir(path.host)) names.push(entry.name);
    names.sort();
    const entries = await Promise.all(
      names.map((name) => fileInfo(childPath(path.display, name), `${path.host}/${name}`)),
    );
    return c.json({ entries });
  });
  app.get(`${FILES}/stat`, async (c) => {
    const { path } = await target.header(c, false);
    await existing(path);
    return c.json({ metadata: await fileInfo(path.display, path.host) });
  });
  app.get(`${FILES}/exists`, async (c) => {
    const { path } = await target.header(c, false);
    return c.json({ exists: (await lstat(path)) !== undefined });
  });
  app.delete(FILES, async (c) => {
    const { path } = await target.header(c, false);
    if (path.isRoot) throw invalidVolumePath("the volume's root cannot be removed");
    const info = await existing(path);
    const recursive = c.req.header("x-msb-file-recursive") === "true";
    await Deno.remove(path.host, { recursive }).catch((error) => {
      if (!info.isDirectory || recursive) throw error;
      throw invalidRequest(`Cannot remove ${path.display}: it is not empty; remove it recursively`);
    });
    return c.json({ message: `Removed ${path.display}` });
  });
  app.post(`${FILES}/mkdir`, async (c) => {
    const { body, record } = await target.json(c);
    const path = await target.field(record, body, "path");
    const info = await lstat(path);
    if (info && !info.isDirectory) {
      throw invalidRequest(`Cannot make directory ${path.display}: a file is in the way`);
    }
    await Deno.mkdir(path.host, { recursive: true });
    return c.json({ message: `Made ${path.display}` });
  });
  app.post(`${FILES}/copy`, async (c) => {
    const { body, record } = await target.json(c);
    const [from, to] = await target.pair(record, body);
    const size = treeSize(from.host);
    if (await size > await roomLeft(volumes, record, await sizeOf(to))) {
      throw quotaExceeded(record);
    }
    if (to.host.startsWith(`${from.host}/`)) {
      throw invalidRequest(`Cannot copy ${from.display} into itself`);
    }
    await copyTree(from.host, to.host);
    return c.json({ message: `Copied ${from.display} to ${to.display}` });
  });
  app.post(`${FILES}/rename`, async (c) => {
    const { body, record } = await target.json(c);
    const [from, to] = await target.pair(record, body);
    if (to.host.startsWith(`${from.host}/`)) {
      throw invalidRequest(`Cannot move ${from.display} into itself`);
    }
    await Deno.rename(from.host, to.host);
    return c.json({ message: `Moved ${from.display} to ${to.display}` });
  });
  return app;
}

/**
 * Answers what the host's file system refuses in the API's terms, without host paths: a missing
 * entry is `volume_file_not_found`, anything else (a file where a directory should be, say) a
 * 400 `invalid_request`.
 */
const hostFailures: MiddlewareHandler = async (c, next) => {
  await next();
  const error = c.error;
  if (error === undefined || error instanceof ApiError) return;
  if (error instanceof Deno.errors.NotFound) {
    c.res = new ApiError(404, "volume_file_not_found", "No such file or directory").toResponse();
  } else {
    c.res = invalidRequest(`The file operation failed: ${error.name}`).toResponse();
  }
  c.error = undefined;
};

/** Finds the volume and the paths a request names. */
class Targets {
  readonly #volumes: VolumeStore;

  constructor(volumes: VolumeStore) {
    this.#volumes = volumes;
  }

  /** The volume and the path of `x-msb-file-path`. */
  async header(
    c: Context,
    followLeaf = true,
  ): Promise<{ record: VolumeRecord; path: VolumePath }> {
    const record = this.#record(c);
    const path = decodePathHeader(c.req.header("x-msb-file-path"));
    return {
      record,
      path: await resolveVolumePath(await this.#volumes.dir(record), path, followLeaf),
    };
  }

  /** The volume and the JSON body. */
  async json(c: Context): Promise<{ record: VolumeRecord; body: JsonFields }> {
    const record = this.#record(c);
    return { record, body: JsonFields.root(await readJson(c)) };
  }

  /** The path in a body field. */
  async field(
    record: VolumeRecord,
    body: JsonFields,
    key: string,
    followLeaf = true,
  ): Promise<VolumePath> {
    const raw = body.requiredString(key);
    return await resolveVolumePath(await this.#volumes.dir(record), raw, followLeaf);
  }

  /** `from`, which must exist, and `to`, whose directory must exist; neither the root. */
  async pair(record: VolumeRecord, body: JsonFields): Promise<[VolumePath, VolumePath]> {
    const from = await this.field(record, body, "from", false);
    const to = await this.field(record, body, "to");
    if (from.isRoot || to.isRoot) throw invalidVolumePath("the volume's root cannot move");
    await existing(from);
    await requireParent(to);
    return [from, to];
  }

  #record(c: Context): VolumeRecord {
    return this.#volumes.byId(c.req.param("id") ?? "");
  }
}

/** Streams `body` into a file next to `path`, then moves it over `path`. */
async function write(
  volumes: VolumeStore,
  record: VolumeRecord,
  path: VolumePath,
  body: ReadableStream<Uint8Array> | null,
): Promise<void> {
  if (path.isRoot) throw invalidVolumePath("the volume's root is a directory");
  await requireParent(path);
  if ((await lstat(path))?.isDirectory) {
    throw invalidRequest(`Cannot write ${path.display}: it is a directory`);
  }
  const room = await roomLeft(volumes, record, await sizeOf(path));
  const temp = `${
    path.host.slice(0, path.host.lastIndexOf("/"))
  }/.msb-upload-${crypto.randomUUID()}`;
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    const source = body ?? ReadableStream.from<Uint8Array>([]);
    await source.pipeThrough(quotaStream(record, room)).pipeTo(file.writable);
    await Deno.rename(temp, path.host);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error instanceof ApiError ? error : invalidRequest(`Cannot write ${path.display}`);
  }
}

async function lstat(path: VolumePath): Promise<Deno.FileInfo | undefined> {
  return await Deno.lstat(path.host).catch(() => undefined);
}

async function existing(path: VolumePath): Promise<Deno.FileInfo> {
  const info = await lstat(path);
  if (!info) throw fileNotFound(path.display);
  return info;
}

/** The bytes of what is at `path` now (0 when nothing is). */
async function sizeOf(path: VolumePath): Promise<number> {
  return await treeSize(path.host);
}

async function requireParent(path: VolumePath): Promise<void> {
  const parent = path.host.slice(0, path.host.lastIndexOf("/"));
  const info = await Deno.stat(parent).catch(() => undefined);
  const display = path.display.slice(0, path.display.lastIndexOf("/")) || "/";
  if (!info) throw fileNotFound(display);
  if (!info.isDirectory) throw invalidRequest(`Cannot use ${display}: it is not a directory`);
}
