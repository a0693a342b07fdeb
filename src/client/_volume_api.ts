// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { VolumeAlreadyExistsError, VolumeNotFoundError } from "../errors.ts";
import type { VolumeFileInfo, VolumeInfo, VolumeSpec, VolumeUpdate } from "../models/volume.ts";
import { encodePathSegment } from "../transport/_path.ts";
import type { HttpRequest, HttpTransport, RawContent } from "../transport/http_transport.ts";
import { capability } from "../wire/_capability.ts";
import type { VolumesWire, WireAdapter } from "../wire/wire_adapter.ts";
import { decoded } from "./_decoded.ts";
import type { RequestOptions } from "./request_options.ts";

const VOLUMES = "/v1/volumes";
const FILES = "/v1/volumes/:id/files";

/** A unary request to a volume route: a 404 without a code means the volume is missing. */
type VolumeRequest = Omit<HttpRequest, "notFound" | "signal">;

/**
 * The volume operations as plain data in and out: one request each, the shapes from the
 * generation's `volumes` capability (a generation without one refuses before any request). A
 * volume is addressed by its id; a file by its path, sent base64url-encoded in
 * `x-msb-file-path` (protocol.md §2.3).
 */
export class VolumeApi {
  readonly #transport: HttpTransport;
  readonly #wire: WireAdapter;

  constructor(transport: HttpTransport, wire: WireAdapter) {
    this.#transport = transport;
    this.#wire = wire;
  }

  /** Lists every volume; `feature` names the call a refusal reports. */
  async list(options: RequestOptions = {}, feature = "volumes.list"): Promise<VolumeInfo[]> {
    const volumes = this.#volumes(feature);
    const operation = "GET /v1/volumes";
    const body = await this.#json(
      { operation, method: "GET", path: VOLUMES, retry: "idempotent" },
      options,
    );
    return decoded(operation, () => volumes.decodeVolumes(body));
  }

  /** The volume with this name, found in the list as the SDK does (the cloud has no by-name route). */
  async byName(name: string, feature: string, options: RequestOptions = {}): Promise<VolumeInfo> {
    const found = (await this.list(options, feature)).find((volume) => volume.name === name);
    if (found) return found;
    throw missing(`no volume is named ${JSON.stringify(name)}`);
  }

  /** The volume with this id, found in the list. */
  async byId(id: string, options: RequestOptions = {}): Promise<VolumeInfo> {
    const found = (await this.list(options, "volume.refresh")).find((volume) => volume.id === id);
    if (found) return found;
    throw missing(`no volume has id ${JSON.stringify(id)}`);
  }

  async create(spec: VolumeSpec, options: RequestOptions = {}): Promise<VolumeInfo> {
    const volumes = this.#volumes("volumes.create");
    const operation = "POST /v1/volumes";
    const body = await this.#json({
      operation,
      method: "POST",
      path: VOLUMES,
      body: volumes.createBody(spec),
      retry: "create",
      conflict: VolumeAlreadyExistsError,
    }, options);
    return decoded(operation, () => volumes.decodeVolume(body));
  }

  async default(options: RequestOptions = {}): Promise<VolumeInfo> {
    const volumes = this.#volumes("volumes.default");
    const operation = "GET /v1/volumes/default";
    const body = await this.#json(
      { operation, method: "GET", path: `${VOLUMES}/default`, retry: "idempotent" },
      options,
    );
    return decoded(operation, () => volumes.decodeVolume(body));
  }

  async update(
    id: string,
    change: VolumeUpdate,
    options: RequestOptions = {},
  ): Promise<VolumeInfo> {
    const volumes = this.#volumes("volumes.update");
    const operation = "PATCH /v1/volumes/:id";
    const body = await this.#json({
      operation,
      method: "PATCH",
      path: volumePath(id),
      body: volumes.updateBody(change),
      retry: "never",
    }, options);
    return decoded(operation, () => volumes.decodeVolume(body));
  }

  async remove(id: string, options: RequestOptions = {}): Promise<void> {
    this.#volumes("volumes.remove");
    const operation = "DELETE /v1/volumes/:id";
    await this.#json(
      { operation, method: "DELETE", path: volumePath(id), retry: "never" },
      options,
    );
  }

  /** Opens a file's content: the response, whose body streams the bytes. */
  async readFile(id: string, path: string, signal: AbortSignal): Promise<Response> {
    this.#volumes("volumes.fs.readFile");
    return await this.#transport.stream({
      operation: `GET ${FILES}/content`,
      method: "GET",
      path: `${volumePath(id)}/files/content`,
      headers: filePath(path),
      retry: "never",
      notFound: VolumeNotFoundError,
      file: path,
      signal,
    });
  }

  /** Replaces a file's content with `content`, streamed when it is a `ReadableStream`. */
  async writeFile(
    id: string,
    path: string,
    content: RawContent,
    options: RequestOptions = {},
  ): Promise<void> {
    this.#volumes("volumes.fs.writeFile");
    const response = await this.#transport.stream({
      operation: `PUT ${FILES}/content`,
      method: "PUT",
      path: `${volumePath(id)}/files/content`,
      headers: filePath(path),
      content,
      retry: "never",
      file: path,
      notFound: VolumeNotFoundError,
      signal: options.signal,
    });
    await response.body?.cancel();
  }

  async listFiles(
    id: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<VolumeFileInfo[]> {
    const volumes = this.#volumes("volumes.fs.list");
    const body = await this.#fileGet(id, "", path, options);
    return decoded(`GET ${FILES}`, () => volumes.decodeEntries(body));
  }

  async stat(id: string, path: string, options: RequestOptions = {}): Promise<VolumeFileInfo> {
    const volumes = this.#volumes("volumes.fs.stat");
    const body = await this.#fileGet(id, "/stat", path, options);
    return decoded(`GET ${FILES}/stat`, () => volumes.decodeStat(body));
  }

  async exists(id: string, path: string, options: RequestOptions = {}): Promise<boolean> {
    const volumes = this.#volumes("volumes.fs.exists");
    const body = await this.#fileGet(id, "/exists", path, options);
    return decoded(`GET ${FILES}/exists`, () => volumes.decodeExists(body));
  }

  async mkdir(id: string, path: string, options: RequestOptions = {}): Promise<void> {
    this.#volumes("volumes.fs.mkdir");
    await this.#filePost(id, "/mkdir", path, { path }, options);
  }

  async removeFile(
    id: string,
    path: string,
    recursive: boolean,
    options: RequestOptions = {},
  ): Promise<void> {
    this.#volumes("volumes.fs.remove");
    await this.#json({
      operation: `DELETE ${FILES}`,
      method: "DELETE",
      path: `${volumePath(id)}/files`,
      headers: { ...filePath(path), "x-msb-file-recursive": String(recursive) },
      retry: "never",
      file: path,
    }, options);
  }

  async copy(id: string, from: string, to: string, options: RequestOptions = {}): Promise<void> {
    this.#volumes("volumes.fs.copy");
    await this.#filePost(id, "/copy", from, { from, to }, options);
  }

  async rename(id: string, from: string, to: string, options: RequestOptions = {}): Promise<void> {
    this.#volumes("volumes.fs.rename");
    await this.#filePost(id, "/rename", from, { from, to }, options);
  }

  async #fileGet(
    id: string,
    suffix: string,
    path: string,
    options: RequestOptions,
  ): Promise<unknown> {
    return await this.#json({
      operation: `GET ${FILES}${suffix}`,
      method: "GET",
      path: `${volumePath(id)}/files${suffix}`,
      headers: filePath(path),
      retry: "idempotent",
      file: path,
    }, options);
  }

  async #filePost(
    id: string,
    suffix: string,
    file: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<unknown> {
    return await this.#json({
      operation: `POST ${FILES}${suffix}`,
      method: "POST",
      path: `${volumePath(id)}/files${suffix}`,
      body,
      retry: "never",
      file,
    }, options);
  }

  async #json(request: VolumeRequest, options: RequestOptions): Promise<unknown> {
    return await this.#transport.json({
      ...request,
      notFound: VolumeNotFoundError,
      signal: options.signal,
    });
  }

  #volumes(feature: string): VolumesWire {
    return capability(this.#wire, "volumes", feature);
  }
}

function missing(what: string): VolumeNotFoundError {
  const operation = "GET /v1/volumes";
  return new VolumeNotFoundError(`${operation}: ${what}; list them with msb.volumes.list()`, {
    operation,
  });
}

function volumePath(id: string): string {
  return `${VOLUMES}/${encodePathSegment(id, "volume id")}`;
}

/** The `x-msb-file-path` header: the path's UTF-8 bytes as base64url without padding. */
function filePath(path: string): Record<string, string> {
  let binary = "";
  for (const byte of new TextEncoder().encode(path)) binary += String.fromCharCode(byte);
  const base64 = btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return { "x-msb-file-path": base64 };
}
