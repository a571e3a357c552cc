/** Sync runs (PRODUCT.md §6 “every run is recorded”): started, counted, finished, listed. */
import { and, desc, eq, sql } from "drizzle-orm";
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
    .values({ trigger, actor, status: "running", startedAt: now })
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

/**
 * Adds one Queue job's counts (and the run's configuration error, the first one found) to its run, then finishes
 * the run once every source is accounted for; the `status = 'running'` guard lets only one job finish it.
 */
export async function addRunCounts(
  db: Db,
  runId: number,
  c: RunCounts,
  now: number,
  error: string | null = null,
): Promise<void> {
  await runBatch(db, [
    db
      .update(syncRuns)
      .set({
        error: sql`COALESCE(${syncRuns.error}, ${error})`,
        sourcesRead: sql`${syncRuns.sourcesRead} + ${c.sourcesRead}`,
        sourcesSkipped: sql`${syncRuns.sourcesSkipped} + ${c.sourcesSkipped}`,
        sourcesFailed: sql`${syncRuns.sourcesFailed} + ${c.sourcesFailed}`,
        valuesWritten: sql`${syncRuns.valuesWritten} + ${c.valuesWritten}`,
        valuesRemoved: sql`${syncRuns.valuesRemoved} + ${c.valuesRemoved}`,
        issuesFound: sql`${syncRuns.issuesFound} + ${c.issuesFound}`,
        googleRequests: sql`${syncRuns.googleRequests} + ${c.googleRequests}`,
      })
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
