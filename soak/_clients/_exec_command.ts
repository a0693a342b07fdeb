// The commands the exec clients run, each with the output it must give: numbered lines, so that
// a lost, repeated or reordered byte shows.

/** A command and what it must print. */
export interface ExpectedCommand {
  cmd: string;
  args: string[];
  stdout: string;
  stderr: string;
  code: number;
}

/** `seq` printing `T<tag>#1` … `T<tag>#<lines>` at once. */
export function taggedSeq(tag: string, lines: number): ExpectedCommand {
  return {
    cmd: "seq",
    args: ["-f", `T${tag}#%.0f`, "1", String(lines)],
    stdout: numbered(lines, (n) => `T${tag}#${n}`),
    stderr: "",
    code: 0,
  };
}

/** A shell loop printing `T<tag>#1` … `T<tag>#<lines>`, one line every 30 ms. */
export function taggedTrickle(tag: string, lines: number): ExpectedCommand {
  return {
    cmd: "sh",
    args: [
      "-c",
      `i=1; while [ $i -le ${lines} ]; do echo "T${tag}#$i"; i=$((i+1)); sleep 0.03; done`,
    ],
    stdout: numbered(lines, (n) => `T${tag}#${n}`),
    stderr: "",
    code: 0,
  };
}

/** `seq 1 <lines>`. */
export function plainSeq(lines: number): ExpectedCommand {
  return {
    cmd: "seq",
    args: ["1", String(lines)],
    stdout: numbered(lines, String),
    stderr: "",
    code: 0,
  };
}

/** Output on both channels and a non-zero exit code. */
export function bothChannels(code: number): ExpectedCommand {
  return {
    cmd: "sh",
    args: ["-c", `echo out; echo err >&2; exit ${code}`],
    stdout: "out\n",
    stderr: "err\n",
    code,
  };
}

function numbered(lines: number, line: (n: number) => string): string {
  let text = "";
  for (let n = 1; n <= lines; n++) text += `${line(n)}\n`;
  return text;
}

/** Where two outputs first differ, for a failure message. */
export function firstDifference(got: string, want: string): string {
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  return `${got.length} bytes, ${want.length} expected; they differ at byte ${i}: got ` +
    `${JSON.stringify(got.slice(i, i + 30))}, expected ${JSON.stringify(want.slice(i, i + 30))}`;
}
