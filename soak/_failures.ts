// The soak's verdict: every detector reports here what it caught, and the run fails when any did.

/** The detectors of the soak, one per way the server can fail it. */
export type Detector =
  | "lost_or_repeated_log"
  | "wrong_output"
  | "hang"
  | "untyped_error"
  | "key_leak"
  | "scope_leak"
  | "memory_growth"
  | "server";

/** One thing a detector caught. */
export interface Failure {
  detector: Detector;
  what: string;
}

/** The most failures kept word for word; the rest are only counted. */
const KEPT = 50;

/** What the detectors caught, counted per detector, the first ones kept in full. */
export class Failures {
  readonly kept: Failure[] = [];
  readonly counts = new Map<Detector, number>();

  /** Records that `detector` caught `what` (a sentence saying which client, which operation). */
  add(detector: Detector, what: string): void {
    this.counts.set(detector, (this.counts.get(detector) ?? 0) + 1);
    if (this.kept.length < KEPT) this.kept.push({ detector, what });
  }

  /** How many failures were caught in all. */
  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }
}
