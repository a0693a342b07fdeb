// What the local cloud saw of a runtime's volume file uploads: whether each body came streamed
// (`transfer-encoding: chunked`, no length known up front) or with a `content-length`.

import type { LocalCloud } from "../../src/testing/mod.ts";

/** What the cloud saw of a smoke run, besides what the runtime reported. */
export interface CloudView {
  /** The framing of each volume file upload, in order: `chunked`, or `length <n>`. */
  uploads: string[];
}

/**
 * Reads the framing of the volume file uploads (`PUT …/files/content`) the cloud received.
 *
 * @param cloud The cloud the runtime used.
 * @returns What it saw.
 */
export function cloudView(cloud: LocalCloud): CloudView {
  const uploads = cloud.requests
    .filter((request) => request.method === "PUT" && request.url.endsWith("/files/content"))
    .map(({ headers }) => headers["transfer-encoding"] ?? `length ${headers["content-length"]}`);
  return { uploads };
}
