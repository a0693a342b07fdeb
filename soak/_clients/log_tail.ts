// The log tail: follows the tenant's log sandbox through `GET /:name/logs`, as SSE or NDJSON,
// cutting its own connection every few seconds and resuming after the last entry it got (SSE:
// `Last-Event-ID` or `?cursor=`, NDJSON: `?cursor=`). Every entry goes to the ledger, which
// catches a repeat or a gap at once. Once the writer is done, it reads on until every line the
// writer's completed commands printed has come, within the deadline.

import { failedAnswer, UPSTREAM_FAULT_CODES } from "../_answer.ts";
import { type Progress, withDeadline } from "../_deadline.ts";
import type { LogLedger } from "../_log_ledger.ts";
import { auth, count, over, pause, type Soak, type Tenant } from "../_soak.ts";
import { readNdjson, readSse } from "../_streams.ts";

/** A log entry as the adapter sends it (NDJSON adds the cursor). */
interface LogJson {
  source: string;
  text: string;
  session_id?: number;
  cursor?: string;
}

/** Follows the log until the writer is done and the ledger has caught up (or the deadline). */
export async function logTailClient(
  soak: Soak,
  tenant: Tenant,
  ledger: LogLedger,
  writerDone: Promise<void>,
): Promise<void> {
  const resume: Resume = { cursor: undefined };
  let caughtUp: number | undefined;
  writerDone.then(() => caughtUp = performance.now() + soak.deadlineMs);
  const what = `log tail (${tenant.name})`;
  for (let round = 0; caughtUp === undefined || performance.now() < caughtUp; round++) {
    if (caughtUp !== undefined && ledger.missing() === 0) break;
    if (soak.traffic.exhausted && caughtUp === undefined) await writerDone;
    const label = `${what} #${round}`;
    try {
      await withDeadline(
        soak.failures,
        label,
        soak.deadlineMs,
        (signal, progress) =>
          connection(
            soak,
            tenant,
            ledger,
            resume,
            signal,
            progress,
            label,
            () => caughtUp !== undefined && ledger.missing() === 0,
          ),
      );
    } catch (error) {
      if ((error as Error)?.name !== "Hung") {
        soak.failures.add("server", `${label}: ${(error as Error)?.stack ?? error}`);
      }
      await pause(soak, 200);
    }
  }
  ledger.settle();
}

/** Where the next connection resumes: the cursor of the last entry received. */
interface Resume {
  cursor: string | undefined;
}

/** One connection: reads for a few seconds (or until `done`), then cuts it. */
async function connection(
  soak: Soak,
  tenant: Tenant,
  ledger: LogLedger,
  resume: Resume,
  signal: AbortSignal,
  progress: Progress,
  what: string,
  done: () => boolean,
): Promise<void> {
  const { cursor } = resume;
  const format = soak.random.pick(["sse", "ndjson"] as const);
  const byHeader = format === "sse" && soak.random.chance(0.5);
  const query = new URLSearchParams({ sources: "stdout" });
  if (cursor !== undefined && !byHeader) query.set("cursor", cursor);
  const headers: Record<string, string> = {
    ...auth(tenant),
    accept: format === "sse" ? "text/event-stream" : "application/x-ndjson",
  };
  if (cursor !== undefined && byHeader) headers["last-event-id"] = cursor;
  const cut = new AbortController();
  const entries = ledger.entries;
  const began = `${format} from ${cursor ?? "the start"}${byHeader ? " (Last-Event-ID)" : ""}`;
  let ended = "hung";
  const readFor = over(soak) ? soak.deadlineMs / 2 : soak.random.int(300, 5_000);
  const timer = setTimeout(() => cut.abort(), readFor);
  progress.step = `GET logs (${format}, resume ${
    cursor === undefined ? "none" : byHeader ? "Last-Event-ID" : "?cursor="
  })`;
  try {
    const response = await soak.traffic.fetch(
      `${soak.base}/${tenant.name}-logs/logs?${query}`,
      { headers, signal: AbortSignal.any([signal, cut.signal]) },
      what,
    );
    if (response.status !== 200) {
      const error = await failedAnswer(response, UPSTREAM_FAULT_CODES, what, soak.failures);
      count(soak, `logs.${error?.code ?? "untyped"}`);
      ended = `answered ${response.status}`;
      return;
    }
    progress.step = `reading logs (${format}) after ${cursor ?? "the start"}`;
    const take = (json: LogJson, id: string | undefined): boolean => {
      if (id === undefined) {
        soak.failures.add("lost_or_repeated_log", `${what}: an entry without a cursor`);
        return false;
      }
      ledger.entry(id, String(json.session_id), json.text);
      resume.cursor = id;
      return !done();
    };
    const end = format === "sse"
      ? await readSse(response.body!, (event) => {
        if (event.event !== "log") {
          soak.failures.add("untyped_error", `${what}: event ${event.event}: ${event.data}`);
          return false;
        }
        return take(JSON.parse(event.data), event.id);
      })
      : await readNdjson(
        response.body!,
        (value) => take(value as LogJson, (value as LogJson).cursor),
      );
    count(soak, end === "ended" ? "logs.ended_by_server" : "logs.caught_up");
    ended = end;
  } catch (error) {
    ended = `${(error as Error)?.name}`;
    if (!cut.signal.aborted || signal.aborted) throw error;
    count(soak, "logs.cut_and_resumed");
  } finally {
    clearTimeout(timer);
    ledger.note(`${began}: ${ledger.entries - entries} entries, then ${ended} at ${resume.cursor}`);
  }
}
