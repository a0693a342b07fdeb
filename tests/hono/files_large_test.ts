// A large file through the adapter's file routes, over real HTTP: uploaded by `PUT` from a
// ReadableStream (no Content-Length) and downloaded by `GET` in a reader process of its own,
// compared by SHA-256, with what the reader retains bounded (V8 heap and ArrayBuffers after a
// full GC; _files_large_reader.ts). 256 MiB by default (MSB_HONO_LARGE_MIB sets another size).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ACME, appSetup, eventually } from "./_app.ts";
import { patternSource } from "../_pattern_source.ts";
import { readInChild } from "./_read_in_child.ts";

const MIB = 1024 * 1024;
const SIZE_MIB = Number(Deno.env.get("MSB_HONO_LARGE_MIB") ?? 256);
const MAX_GROWTH_MIB = 64;

Deno.test(`PUT and GET /:name/files/* move ${SIZE_MIB} MiB byte for byte; the reader retains under ${MAX_GROWTH_MIB} MiB more`, async () => {
  await using app = await appSetup();
  await app.env.msb.sandboxes.create({
    name: "acme-large",
    image: "alpine",
    workdir: "/workspace",
  });
  const url = `${app.base}/acme-large/files/workspace/large.bin`;
  const sent = createHash("sha256");
  const put = await fetch(url, {
    method: "PUT",
    headers: ACME,
    body: patternSource(SIZE_MIB, sent),
  });
  assert.equal(put.status, 200);
  assert.equal((await put.json()).size, SIZE_MIB * MIB);

  const { total, digest, growthMib: growth } = await readInChild(
    url,
    ACME.authorization,
  );
  console.log(
    `${SIZE_MIB} MiB up and down through the routes: reader retained growth ${growth} MiB`,
  );
  assert.equal(total, SIZE_MIB * MIB);
  assert.equal(digest, sent.digest("hex"));
  assert.ok(growth < MAX_GROWTH_MIB, `the reader retained ${growth} MiB more`);
  await eventually(() => app.env.cloud.openFileHandles() === 0, "the read's handle closed");
});
