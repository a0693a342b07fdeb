// The lost-or-repeated-log detector. Writers run commands that print numbered lines
// (`T<tag>#<n>`, n from 1) and note what each printed; a tail reads the log through the adapter,
// cut and resumed many times, and feeds each entry here. An entry whose cursor came before, a
// line seen twice, or a gap in a command's numbers is caught as it arrives; once the writers stop
// and the tail has caught up, every line of every command that succeeded must have come.

import type { Failures } from "./_failures.ts";

const LINE = /^T([\w-]+)#(\d+)$/;

/** One command a writer ran: how many lines it prints, and whether it ran to the end for sure. */
interface Printed {
  lines: number;
  complete: boolean;
}

/** What one sandbox's commands printed and what its log tail received. */
export class LogLedger {
  /** What the ledger is of, for messages. */
  readonly name: string;
  readonly #failures: Failures;
  readonly #printed = new Map<string, Printed>();
  /** Per command tag: the last line number received. */
  readonly #received = new Map<string, number>();
  /** Per exec session: the text after its last newline, until the rest of the line comes. */
  readonly #partial = new Map<string, string>();
  readonly #cursors = new Set<string>();
  /** The tail's last connections (how each began and ended), quoted when lines never came. */
  readonly trail: string[] = [];
  /** Entries and lines received, for the summary. */
  entries = 0;
  lines = 0;

  constructor(what: string, failures: Failures) {
    this.name = what;
    this.#failures = failures;
  }

  /** Notes a command before it runs: it prints lines 1..`lines` tagged `tag`. */
  printing(tag: string, lines: number): void {
    this.#printed.set(tag, { lines, complete: false });
  }

  /** Notes that the command ran to the end and its own answer held every line. */
  completed(tag: string): void {
    const printed = this.#printed.get(tag);
    if (printed) printed.complete = true;
  }

  /** Takes one log entry as a tail received it. */
  entry(cursor: string, session: string, text: string): void {
    this.entries++;
    if (this.#cursors.has(cursor)) {
      this.#failures.add(
        "lost_or_repeated_log",
        `${this.name}: entry ${cursor} came twice (${JSON.stringify(text.slice(0, 40))})`,
      );
      return;
    }
    this.#cursors.add(cursor);
    const lines = ((this.#partial.get(session) ?? "") + text).split("\n");
    this.#partial.set(session, lines.pop()!);
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    this.lines++;
    const match = LINE.exec(line);
    if (!match) {
      this.#failures.add(
        "lost_or_repeated_log",
        `${this.name}: foreign line ${JSON.stringify(line)}`,
      );
      return;
    }
    const tag = match[1]!;
    const n = Number(match[2]);
    const last = this.#received.get(tag) ?? 0;
    if (n <= last) {
      this.#failures.add("lost_or_repeated_log", `${this.name}: line T${tag}#${n} came again`);
    } else if (n !== last + 1) {
      this.#failures.add(
        "lost_or_repeated_log",
        `${this.name}: lines T${tag}#${last + 1}..${n - 1} lost (T${tag}#${n} came next)`,
      );
    }
    this.#received.set(tag, Math.max(n, last));
  }

  /** Lines of completed commands the tail has not received yet. */
  missing(): number {
    let missing = 0;
    for (const [tag, { lines, complete }] of this.#printed) {
      if (complete) missing += Math.max(0, lines - (this.#received.get(tag) ?? 0));
    }
    return missing;
  }

  /** The final check, once the tail has caught up or given up: what never came is lost. */
  settle(): void {
    for (const [tag, { lines, complete }] of this.#printed) {
      const received = this.#received.get(tag) ?? 0;
      if (complete && received < lines) {
        this.#failures.add(
          "lost_or_repeated_log",
          `${this.name}: lines T${tag}#${received + 1}..${lines} never came; the tail's last ` +
            `connections: ${this.trail.slice(-8).join("; ")}`,
        );
      }
    }
  }

  /** Notes how a tail connection went (the last 20 are kept). */
  note(text: string): void {
    this.trail.push(text);
    if (this.trail.length > 20) this.trail.shift();
  }

  /** Commands noted, and how many of them completed. */
  commands(): { run: number; completed: number } {
    let completed = 0;
    for (const printed of this.#printed.values()) if (printed.complete) completed++;
    return { run: this.#printed.size, completed };
  }
}
