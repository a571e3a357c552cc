/**
 * What a sync writes. Everything one source changes goes into one D1 batch, so a run that dies half-way leaves
 * each source either as it was or fully updated (PRODUCT.md §6).
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { KEEPS_LAST_GOOD, slotKey, type CellIssue, type CellValue, type SourceError } from "../sheets/types";
import { chunk, runBatch } from "./batch";
import type { Db } from "./client";
import { auditLog, issues, sources, syncRuns, values } from "./schema";
import { auditStatement } from "./audit";

export type SourceRecord = typeof sources.$inferSelect;
export type RunRecord = typeof syncRuns.$inferSelect;
export type RunTrigger = RunRecord["trigger"];

export async function activeSources(db: Db): Promise<SourceRecord[]> {
  return db.select().from(sources).where(eq(sources.active, true)).orderBy(sources.id);
}

export async function activeSourceIds(db: Db): Promise<number[]> {
  const rows = await db.select({ id: sources.id }).from(sources).where(eq(sources.active, true)).orderBy(sources.id);
  return rows.map((r) => r.id);
}

export async function sourcesByIds(db: Db, ids: number[]): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (const part of chunk(ids, 1)) {
    out.push(...(await db.select().from(sources).where(and(inArray(sources.id, part), eq(sources.active, true)))));
  }
  return out;
}

/** The communes (and, for pre-2025 data, the communes of the districts) under a unit, in the given unit list. */
export async function communesUnder(db: Db, listDate: string, unitCode: string): Promise<{ code: string; name: string; fullName: string }[]> {
  return db.all<{ code: string; name: string; fullName: string }>(sql`
    SELECT u.code AS code, u.name AS name, u.full_name AS fullName FROM units u
    WHERE u.valid_from = ${listDate} AND u.kind IN ('commune', 'ward', 'special_zone') AND (u.parent_code = ${unitCode}
      OR u.parent_code IN (SELECT d.code FROM units d WHERE d.valid_from = ${listDate} AND d.parent_code = ${unitCode}))`);
}

export type StoredValue = typeof values.$inferSelect;

/**
 * In one round trip: the values a source wrote last time, and the stored values of these units in these (previous)
 * periods, keyed `unit|indicator|period`, for the jump check.
 */
export async function storedForSource(
  db: Db,
  sourceId: number,
  unitCodes: string[],
  periods: string[],
): Promise<{ existing: StoredValue[]; previous: Map<string, number> }> {
  const bySource = db.select().from(values).where(eq(values.sourceId, sourceId));
  const parts = periods.length ? chunk(unitCodes, 1 + periods.length) : [];
  const prevQueries = parts.map((part) =>
    db
      .select({ unitCode: values.unitCode, indicatorCode: values.indicatorCode, period: values.period, value: values.value })
      .from(values)
      .where(and(inArray(values.unitCode, part), inArray(values.period, periods))),
  );
  const [existing, ...prev] = await db.batch([bySource, ...prevQueries]);
  const previous = new Map<string, number>();
  for (const rows of prev as { unitCode: string; indicatorCode: string; period: string; value: number }[][]) {
    for (const r of rows) previous.set(`${r.unitCode}|${r.indicatorCode}|${r.period}`, r.value);
  }
  return { existing: existing as StoredValue[], previous };
}

export async function setRunTotal(db: Db, runId: number, total: number): Promise<void> {
  await db.update(syncRuns).set({ sourcesTotal: total }).where(eq(syncRuns.id, runId));
}

/**
 * Adds one Queue job's counts (and the run's configuration error, the first one found) to its run, then finishes
 * the run once every source is accounted for; the `status = 'running'` guard lets only one job finish it.
 */
export async function addRunCounts(db: Db, runId: number, c: RunCounts, now: number, error: string | null = null): Promise<void> {
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

export async function startRun(db: Db, trigger: RunTrigger, actor: string | null, now: number): Promise<number> {
  const insert = db.insert(syncRuns).values({ trigger, actor, status: "running", startedAt: now }).returning({ id: syncRuns.id });
  if (trigger !== "manual" || actor === null) return (await insert)[0]!.id;
  // A sync by hand is an admin action: it goes into the audit log with the run.
  const [[run]] = await db.batch([insert, auditStatement(db, { actor, action: "sync.manual" }, now)]);
  return run!.id;
}

export type RunCounts = Pick<
  RunRecord,
  "sourcesTotal" | "sourcesRead" | "sourcesSkipped" | "sourcesFailed" | "valuesWritten" | "valuesRemoved" | "issuesFound" | "googleRequests"
>;

export async function finishRun(db: Db, runId: number, counts: RunCounts, now: number, error: string | null = null) {
  const status = error ? "failed" : counts.sourcesFailed > 0 ? "partial" : "ok";
  await db.update(syncRuns).set({ ...counts, status, finishedAt: now, error }).where(eq(syncRuns.id, runId));
}

export async function recentRuns(db: Db, limit: number): Promise<RunRecord[]> {
  return db.select().from(syncRuns).orderBy(desc(syncRuns.id)).limit(limit);
}

type WriteResult = { written: number; removed: number };

/** Stores a source's new reading: changed values upserted, vanished ones removed (and audited), issues replaced. */
export async function writeSourceReading(
  db: Db,
  source: SourceRecord,
  reading: { values: CellValue[]; issues: CellIssue[]; title: string; locale: string | null },
  version: { version: string; modifiedTime: string },
  runId: number,
  now: number,
  stored?: StoredValue[],
): Promise<WriteResult> {
  const existing = stored ?? (await db.select().from(values).where(eq(values.sourceId, source.id)));
  const key = (v: { unitCode: string; indicatorCode: string; period: string }) => slotKey(v.unitCode, v.indicatorCode, v.period);
  const before = new Map(existing.map((v) => [key(v), v]));
  const fresh = new Set(reading.values.map(key));
  // A cell whose formula failed keeps the value it last gave.
  for (const i of reading.issues) if (i.code === KEEPS_LAST_GOOD && i.unitCode && i.indicatorCode && i.period) fresh.add(slotKey(i.unitCode, i.indicatorCode, i.period));

  const rows = reading.values.map((v) => ({ ...v, doubtful: v.doubtful === true }));
  const changed = rows.filter((v) => {
    const old = before.get(key(v));
    return !old || old.value !== v.value || old.approximate !== v.approximate || old.doubtful !== v.doubtful || old.raw !== v.raw || old.cell !== v.cell;
  });
  const removed = existing.filter((v) => !fresh.has(key(v)));

  const statements: BatchItem<"sqlite">[] = [];
  for (const part of chunk(changed, 12)) {
    statements.push(
      db
        .insert(values)
        .values(part.map((v) => ({ ...v, sourceId: source.id, runId, writtenAt: now, firstWrittenAt: now })))
        .onConflictDoUpdate({
          target: [values.unitCode, values.indicatorCode, values.period],
          set: {
            value: sqlExcluded("value"),
            approximate: sqlExcluded("approximate"),
            doubtful: sqlExcluded("doubtful"),
            raw: sqlExcluded("raw"),
            cell: sqlExcluded("cell"),
            sourceId: sqlExcluded("source_id"),
            runId: sqlExcluded("run_id"),
            writtenAt: sqlExcluded("written_at"),
          },
        }),
    );
  }
  for (const v of removed) {
    statements.push(
      db
        .delete(values)
        .where(and(eq(values.unitCode, v.unitCode), eq(values.indicatorCode, v.indicatorCode), eq(values.period, v.period), eq(values.sourceId, source.id))),
    );
  }
  for (const part of chunk(removed, 6)) {
    statements.push(
      db.insert(auditLog).values(
        part.map((v) => ({
          at: now,
          actor: "sync",
          action: "value.removed",
          target: `${v.unitCode}/${v.indicatorCode}/${v.period}`,
          detail: JSON.stringify({ sourceId: source.id, runId, cell: v.cell, raw: v.raw, value: v.value }),
        })),
      ),
    );
  }
  statements.push(db.delete(issues).where(eq(issues.sourceId, source.id)));
  for (const part of chunk(reading.issues, 12)) {
    statements.push(db.insert(issues).values(part.map((i) => ({ ...i, sourceId: source.id, runId, createdAt: now }))));
  }
  statements.push(
    db
      .update(sources)
      .set({
        title: reading.title,
        locale: reading.locale,
        lastVersion: version.version,
        lastModifiedTime: version.modifiedTime,
        lastRunId: runId,
        lastStatus: "ok",
        lastCheckedAt: now,
        lastSuccessAt: now,
        lastErrorCode: null,
        lastError: null,
      })
      .where(eq(sources.id, source.id)),
  );
  await runBatch(db, statements);
  return { written: changed.length, removed: removed.length };
}

/** A source that could not be read keeps its values; it records why, as its status and as one issue. */
export async function recordSourceError(db: Db, source: SourceRecord, error: SourceError, runId: number, now: number) {
  await runBatch(db, [
    db.delete(issues).where(and(eq(issues.sourceId, source.id), inArray(issues.severity, ["source_error"]))),
    db.insert(issues).values({
      sourceId: source.id,
      runId,
      unitCode: source.unitCode,
      severity: "source_error",
      code: error.code,
      message: error.message,
      createdAt: now,
    }),
    db
      .update(sources)
      .set({ lastRunId: runId, lastStatus: "error", lastCheckedAt: now, lastErrorCode: error.code, lastError: error.message })
      .where(eq(sources.id, source.id)),
  ]);
}

/** The value an upsert proposed, for `ON CONFLICT DO UPDATE SET col = excluded.col`. */
function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}
