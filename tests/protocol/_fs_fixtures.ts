// Golden frames of the guest filesystem: what the official SDK 0.6.18 sent to the local cloud
// (through a recording proxy) for `fs().write("/tmp/a.txt", "hi")`, `fs().read("/tmp/a.txt")`,
// `stat`, `list`, `mkdir`, `copy`, `rename`, `remove`, `removeDir` and a
// `writeStream`; ids from the bottom of the granted range (1000), `v` 7.
import { hex } from "./_replay.ts";

/** write open (132 bytes). */
export const FS_WRITE_OPEN: Uint8Array = hex(`
  00 00 00 80 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 61 a1 62 6f 70 a1 68 4f 70 65 6e 46 69 6c 65 a2 64 70 61 74 68 6a 2f 74 6d 70
  2f 61 2e 74 78 74 67 6f 70 74 69 6f 6e 73 a7 64 72 65 61 64 f4 65 77 72 69 74 65 f5 66 61
  70 70 65 6e 64 f4 66 63 72 65 61 74 65 f5 68 74 72 75 6e 63 61 74 65 f5 6a 63 72 65 61 74
  65 5f 6e 65 77 f4 64 6d 6f 64 65 f6`);

/** write start (68 bytes). */
export const FS_WRITE_START: Uint8Array = hex(`
  00 00 00 40 00 00 03 e9 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 21 a1 62 6f 70 a1 65 57 72 69 74 65 a3 66 68 61 6e 64 6c 65 01 66 6f 66 66 73
  65 74 00 63 6c 65 6e 02`);

/** write data hi (40 bytes). */
export const FS_WRITE_DATA_HI: Uint8Array = hex(`
  00 00 00 24 00 00 03 e9 00 a3 61 76 07 61 74 6c 63 6f 72 65 2e 66 73 2e 64 61 74 61 61 70
  49 a1 64 64 61 74 61 42 68 69`);

/** write eof (38 bytes). */
export const FS_WRITE_EOF: Uint8Array = hex(`
  00 00 00 22 00 00 03 e9 00 a3 61 76 07 61 74 6c 63 6f 72 65 2e 66 73 2e 64 61 74 61 61 70
  47 a1 64 64 61 74 61 40`);

/** write close (61 bytes). */
export const FS_WRITE_CLOSE: Uint8Array = hex(`
  00 00 00 39 00 00 03 ea 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 1a a1 62 6f 70 a1 6b 43 6c 6f 73 65 48 61 6e 64 6c 65 a1 66 68 61 6e 64 6c 65
  01`);

/** read open (132 bytes). */
export const FS_READ_OPEN: Uint8Array = hex(`
  00 00 00 80 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 61 a1 62 6f 70 a1 68 4f 70 65 6e 46 69 6c 65 a2 64 70 61 74 68 6a 2f 74 6d 70
  2f 61 2e 74 78 74 67 6f 70 74 69 6f 6e 73 a7 64 72 65 61 64 f5 65 77 72 69 74 65 f4 66 61
  70 70 65 6e 64 f4 66 63 72 65 61 74 65 f4 68 74 72 75 6e 63 61 74 65 f4 6a 63 72 65 61 74
  65 5f 6e 65 77 f4 64 6d 6f 64 65 f6`);

/** read start (67 bytes). */
export const FS_READ_START: Uint8Array = hex(`
  00 00 00 3f 00 00 03 e9 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 20 a1 62 6f 70 a1 64 52 65 61 64 a3 66 68 61 6e 64 6c 65 01 66 6f 66 66 73 65
  74 00 63 6c 65 6e f6`);

/** read close (61 bytes). */
export const FS_READ_CLOSE: Uint8Array = hex(`
  00 00 00 39 00 00 03 ea 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 1a a1 62 6f 70 a1 6b 43 6c 6f 73 65 48 61 6e 64 6c 65 a1 66 68 61 6e 64 6c 65
  01`);

/** stat (78 bytes). */
export const FS_STAT: Uint8Array = hex(`
  00 00 00 4a 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 2b a1 62 6f 70 a1 64 53 74 61 74 a2 64 70 61 74 68 6a 2f 74 6d 70 2f 61 2e 74
  78 74 6e 66 6f 6c 6c 6f 77 5f 73 79 6d 6c 69 6e 6b f5`);

/** list (55 bytes). */
export const FS_LIST: Uint8Array = hex(`
  00 00 00 33 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 55 a1 62 6f 70 a1 64 4c 69 73 74 a1 64 70 61 74 68 64 2f 74 6d 70`);

/** mkdir (65 bytes). */
export const FS_MKDIR: Uint8Array = hex(`
  00 00 00 3d 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 1e a1 62 6f 70 a1 65 4d 6b 64 69 72 a2 64 70 61 74 68 66 2f 74 6d 70 2f 64 64
  6d 6f 64 65 f6`);

/** copy (76 bytes). */
export const FS_COPY: Uint8Array = hex(`
  00 00 00 48 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 29 a1 62 6f 70 a1 64 43 6f 70 79 a2 63 73 72 63 6a 2f 74 6d 70 2f 61 2e 74 78
  74 63 64 73 74 6a 2f 74 6d 70 2f 62 2e 74 78 74`);

/** rename (78 bytes). */
export const FS_RENAME: Uint8Array = hex(`
  00 00 00 4a 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 2b a1 62 6f 70 a1 66 52 65 6e 61 6d 65 a2 63 73 72 63 6a 2f 74 6d 70 2f 62 2e
  74 78 74 63 64 73 74 6a 2f 74 6d 70 2f 63 2e 74 78 74`);

/** remove (64 bytes). */
export const FS_REMOVE: Uint8Array = hex(`
  00 00 00 3c 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 1d a1 62 6f 70 a1 66 52 65 6d 6f 76 65 a1 64 70 61 74 68 6a 2f 74 6d 70 2f 63
  2e 74 78 74`);

/** remove dir (74 bytes). */
export const FS_REMOVE_DIR: Uint8Array = hex(`
  00 00 00 46 00 00 03 e8 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 27 a1 62 6f 70 a1 69 52 65 6d 6f 76 65 44 69 72 a2 64 70 61 74 68 66 2f 74 6d
  70 2f 64 69 72 65 63 75 72 73 69 76 65 f5`);

/** stream write start (68 bytes). */
export const FS_STREAM_WRITE_START: Uint8Array = hex(`
  00 00 00 40 00 00 03 e9 02 a3 61 76 07 61 74 6f 63 6f 72 65 2e 66 73 2e 72 65 71 75 65 73
  74 61 70 58 21 a1 62 6f 70 a1 65 57 72 69 74 65 a3 66 68 61 6e 64 6c 65 01 66 6f 66 66 73
  65 74 00 63 6c 65 6e f6`);
