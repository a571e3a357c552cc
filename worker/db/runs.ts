/** Sync runs (PRODUCT.md §6 “every run is recorded”): started, counted, finished, listed. */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { formatNumber } from "../../domain/numbers";
import { formatDateTime } from "../../domain/time";
import { auditStatement } from "./audit";
import { runBatch } from "./batch";
import type { Db } from "./client";
import { syncRuns } from "./schema";

export type RunRecord = typeof syncRuns.$inferSelect;

export type RunTrigger = RunRecord["trigger"];

export type RunCounts = Pick<
  RunRecord,
  | "sourcesTotal"
  | "sourcesRead"
  | "sourcesSkipped"
  | "sourcesFailed"
  | "valuesWritten"
  | "valuesRemoved"
  | "issuesFound"
  | "googleRequests"
>;

export async function startRun(db: Db, trigger: RunTrigger, actor: string | null, now: number): Promise<number> {
  const insert = db
    .insert(syncRuns)
    .values({ trigger, actor, status: "running", startedAt: now, progressedAt: now })
    .returning({ id: syncRuns.id });
  // A sync by hand is an admin action: it goes into the audit log with the run.
  const [run] =
    trigger !== "manual" || actor === null
      ? await insert
      : (await db.batch([insert, auditStatement(db, { actor, action: "sync.manual" }, now)]))[0];
  if (!run) throw new Error("starting a run returned no row");
  return run.id;
}

export async function setRunTotal(db: Db, runId: number, total: number): Promise<void> {
  await db.update(syncRuns).set({ sourcesTotal: total }).where(eq(syncRuns.id, runId));
}

/** The counters that add up over a run, each raised by `c`'s. */
function raised(c: Partial<RunCounts>) {
  return {
    sourcesRead: sql`${syncRuns.sourcesRead} + ${c.sourcesRead ?? 0}`,
    sourcesSkipped: sql`${syncRuns.sourcesSkipped} + ${c.sourcesSkipped ?? 0}`,
    sourcesFailed: sql`${syncRuns.sourcesFailed} + ${c.sourcesFailed ?? 0}`,
    valuesWritten: sql`${syncRuns.valuesWritten} + ${c.valuesWritten ?? 0}`,
    valuesRemoved: sql`${syncRuns.valuesRemoved} + ${c.valuesRemoved ?? 0}`,
    issuesFound: sql`${syncRuns.issuesFound} + ${c.issuesFound ?? 0}`,
    googleRequests: sql`${syncRuns.googleRequests} + ${c.googleRequests ?? 0}`,
  };
}

/**
 * What one source adds to its run, as a statement of that source's own write batch: the run's counts are true
 * however it ends (an isolate evicted mid-run included), and the run is seen making progress.
 */
export function countSource(db: Db, runId: number, c: Partial<RunCounts>, now: number) {
  return db
    .update(syncRuns)
    .set({ ...raised(c), progressedAt: now })
    .where(eq(syncRuns.id, runId));
}

/**
 * Adds what a Queue job counted beside its sources (its Google requests, the sources deactivated since the run
 * started; and the run's configuration error, the first one found) to its run, then finishes the run once every
 * source is accounted for; the `status = 'running'` guard lets only one job finish it.
 */
export async function addRunCounts(
  db: Db,
  runId: number,
  c: Partial<RunCounts>,
  now: number,
  error: string | null = null,
): Promise<void> {
  await runBatch(db, [
    db
      .update(syncRuns)
      .set({ error: sql`COALESCE(${syncRuns.error}, ${error})`, ...raised(c), progressedAt: now })
      .where(eq(syncRuns.id, runId)),
    db
      .update(syncRuns)
      .set({
        status: sql`CASE WHEN ${syncRuns.error} IS NOT NULL THEN 'failed' WHEN ${syncRuns.sourcesFailed} > 0 THEN 'partial' ELSE 'ok' END`,
        finishedAt: now,
      })
      .where(
        and(
          eq(syncRuns.id, runId),
          eq(syncRuns.status, "running"),
          sql`${syncRuns.sourcesRead} + ${syncRuns.sourcesSkipped} + ${syncRuns.sourcesFailed} >= ${syncRuns.sourcesTotal}`,
        ),
      ),
  ]);
}

/**
 * A run that has accounted for no source for this long is taken as dead: its isolate was evicted, or its Queue
 * consumer ran past its limit. Reading one source takes seconds, and waiting for Google's quota about a minute.
 */
export const STALLED_RUN_MS = 10 * 60_000;

/**
 * Closes every run without progress for `STALLED_RUN_MS` as failed, with its counts as they stand and why, so that it
 * no longer shows as running nor refuses a manual sync. A run that moves meanwhile is left running.
 */
export async function closeStalledRuns(db: Db, now: number): Promise<number[]> {
  const lastMove = sql<number>`COALESCE(${syncRuns.progressedAt}, ${syncRuns.startedAt})`;
  // Unfinished runs through the index on finished_at: the history is not walked.
  const stalled = await db
    .select({
      id: syncRuns.id,
      lastMove,
      sourcesTotal: syncRuns.sourcesTotal,
      sourcesRead: syncRuns.sourcesRead,
      sourcesSkipped: syncRuns.sourcesSkipped,
      sourcesFailed: syncRuns.sourcesFailed,
    })
    .from(syncRuns)
    .where(
      and(isNull(syncRuns.finishedAt), eq(syncRuns.status, "running"), sql`${lastMove} < ${now - STALLED_RUN_MS}`),
    );
  const closed: number[] = [];
  for (const run of stalled) {
    const done = run.sourcesRead + run.sourcesSkipped + run.sourcesFailed;
    const left = Math.max(0, run.sourcesTotal - done);
    const error =
      `Lần đồng bộ dừng giữa chừng: không có tiến triển từ ${formatDateTime(run.lastMove)}; ` +
      `đã đọc ${formatNumber(run.sourcesRead, "count")} bảng tính, ` +
      `${formatNumber(run.sourcesSkipped, "count")} không đổi, ${formatNumber(run.sourcesFailed, "count")} lỗi` +
      (left ? `, ${formatNumber(left, "count")} chưa đến lượt` : "") +
      " — số liệu đã ghi được giữ nguyên, các bảng tính còn lại sẽ được đọc ở lần đồng bộ sau";
    const [hit] = await db
      .update(syncRuns)
      .set({ status: "failed", finishedAt: now, error })
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.status, "running"), sql`${lastMove} = ${run.lastMove}`))
      .returning({ id: syncRuns.id });
    if (hit) closed.push(hit.id);
  }
  return closed;
}

export async function finishRun(db: Db, runId: number, counts: RunCounts, now: number, error: string | null = null) {
  const status = error ? "failed" : counts.sourcesFailed > 0 ? "partial" : "ok";
  await db
    .update(syncRuns)
    .set({ ...counts, status, finishedAt: now, error })
    .where(eq(syncRuns.id, runId));
}

export async function recentRuns(db: Db, limit: number): Promise<RunRecord[]> {
  return db.select().from(syncRuns).orderBy(desc(syncRuns.id)).limit(limit);
}

/** The newest run, to refuse a manual sync while one is running or right after the last one. */
export async function latestRun(db: Db) {
  const [row] = await db
    .select({ id: syncRuns.id, status: syncRuns.status, startedAt: syncRuns.startedAt, trigger: syncRuns.trigger })
    .from(syncRuns)
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return row ?? null;
}

export async function latestManualRunStart(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ startedAt: syncRuns.startedAt })
    .from(syncRuns)
    .where(eq(syncRuns.trigger, "manual"))
    .orderBy(desc(syncRuns.id))
    .limit(1);
  return row?.startedAt ?? null;
}

/**
 * When the figures were last brought up to date: the end of the newest run that read or checked sources (one row,
 * `at`, through its index; none before the first).
 */
export const lastSyncQuery = sql`
  SELECT finished_at AS at FROM sync_runs INDEXED BY runs_finished_idx
  WHERE finished_at IS NOT NULL AND status IN ('ok', 'partial') ORDER BY finished_at DESC LIMIT 1`;
