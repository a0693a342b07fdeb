// Golden frames: real bytes the official SDK sent (reference/captured-wire.md) and the worked
// examples of protocol.md §5.8. Shared by the tests and the benches.
import { encodeFrame, encodeMessage } from "../../src/protocol/mod.ts";
import { ascii, concat, hex } from "./_replay.ts";

/** SDK 0.5.10, `exec("echo", ["hi"])` on `exec.cbor`: id 1, v 5 (= §5.8 example A). 101 bytes. */
export const CAPTURED_V05_ECHO_REQUEST: Uint8Array = hex(`
  00 00 00 61 00 00 00 01 02 a3 61 76 05 61 74 71 63 6f 72 65 2e 65 78 65 63 2e 72 65 71 75
  65 73 74 61 70 58 40 a9 63 63 6d 64 64 65 63 68 6f 64 61 72 67 73 81 62 68 69 63 65 6e 76
  80 63 63 77 64 61 2f 64 75 73 65 72 f6 63 74 74 79 f4 64 72 6f 77 73 18 18 64 63 6f 6c 73
  18 50 67 72 6c 69 6d 69 74 73 80`);

/** SDK 0.5.10, `execWith("cat", …)`: the echo request with `cmd: "cat"`, `args: []`. 97 bytes. */
export const CAPTURED_V05_CAT_REQUEST: Uint8Array = hex(`
  00 00 00 5d 00 00 00 01 02 a3 61 76 05 61 74 71 ${ascii("core.exec.request")} 61 70 58 3c
  a9 63 63 6d 64 63 63 61 74 64 61 72 67 73 80 63 65 6e 76 80 63 63 77 64 61 2f 64 75 73 65
  72 f6 63 74 74 79 f4 64 72 6f 77 73 18 18 64 63 6f 6c 73 18 50 67 72 6c 69 6d 69 74 73 80`);

/** SDK 0.5.10, stdin `"hi"` for `cat`. 43 bytes. */
export const CAPTURED_V05_STDIN_HI: Uint8Array = hex(`
  00 00 00 27 00 00 00 01 00 a3 61 76 05 61 74 6f 63 6f 72 65 2e 65 78 65 63 2e 73 74 64 69
  6e 61 70 49 a1 64 64 61 74 61 42 68 69`);

/** SDK 0.5.10, stdin EOF (an empty `data`; = §5.8 example C). 41 bytes. */
export const CAPTURED_V05_STDIN_EOF: Uint8Array = hex(`
  00 00 00 25 00 00 00 01 00 a3 61 76 05 61 74 6f 63 6f 72 65 2e 65 78 65 63 2e 73 74 64 69
  6e 61 70 47 a1 64 64 61 74 61 40`);

/** SDK 0.6.18 on the agent route: `echo hi` with the sandbox env `A=1`, id 1000, v 7. 105 bytes. */
export const CAPTURED_CURRENT_ECHO_REQUEST: Uint8Array = hex(`
  00 00 00 65 00 00 03 e8 02 a3 61 76 07 61 74 71 63 6f 72 65 2e 65 78 65 63 2e 72 65 71 75
  65 73 74 61 70 58 44 a9 63 63 6d 64 64 65 63 68 6f 64 61 72 67 73 81 62 68 69 63 65 6e 76
  81 63 41 3d 31 63 63 77 64 61 2f 64 75 73 65 72 f6 63 74 74 79 f4 64 72 6f 77 73 18 18 64
  63 6f 6c 73 18 50 67 72 6c 69 6d 69 74 73 80`);

/** §5.8 example B: `core.exec.stdout` carrying `"hi\n"`, id 1, v 5. 45 bytes. */
export const EXAMPLE_B_STDOUT: Uint8Array = hex(`
  00 00 00 29 00 00 00 01 00 a3 61 76 05 61 74 70 ${ascii("core.exec.stdout")}
  61 70 4a a1 64 64 61 74 61 43 68 69 0a`);

/** §5.8 example D: `core.exec.exited {code: 0}`, flags terminal; the reply SDK 0.5.10 accepted. */
export const EXAMPLE_D_EXITED: Uint8Array = hex(`
  00 00 00 26 00 00 00 01 01 a3 61 76 05 61 74 70 ${ascii("core.exec.exited")}
  61 70 47 a1 64 63 6f 64 65 00`);

/**
 * `count` `core.exec.stdout` frames on session 1000, each carrying `size` bytes of output, as one
 * buffer: what a busy command's output looks like on the agent socket.
 */
export function stdoutFrames(count: number, size: number): Uint8Array {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(size).fill(0x61 + (i % 26));
    frames.push(encodeFrame(encodeMessage(1000, "core.exec.stdout", { data })));
  }
  return concat(frames);
}
