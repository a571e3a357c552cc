/** Registered sources (PRODUCT.md §8 `sources.csv`): registration, the lists a run reads, and each one's state. */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { isCommuneKind, NATIONAL } from "../../domain/units";
import type { SourceRow } from "../reference/sources";
import type { SourceError } from "../sheets/types";
import { type AuditEntry, auditStatement } from "./audit";
import { chunk } from "./batch";
import type { Db } from "./client";
import { sources } from "./schema";
import { COMMUNE_KINDS, type Scope, unitTree } from "./units";

export type SourceRecord = typeof sources.$inferSelect;

/** An active source of a spreadsheet, with the name of the unit it belongs to. */
export type SheetOwner = {
  spreadsheetId: string;
  unitCode: string;
  unitName: string | null;
  layout: "form" | "table";
  tab: string | null;
  gid: number | null;
};

/** The active sources that read these spreadsheets, with the name of the unit each belongs to in the list. */
export async function activeSourcesOf(
  db: Db,
  spreadsheetIds: string[],
  listDate: string | null,
): Promise<SheetOwner[]> {
  return db.all<SheetOwner>(sql`
    SELECT s.spreadsheet_id AS spreadsheetId, s.unit_code AS unitCode, u.full_name AS unitName, s.layout AS layout,
           s.tab AS tab, s.gid AS gid
    FROM json_each(${JSON.stringify([...new Set(spreadsheetIds)])}) w
    CROSS JOIN sources s ON s.spreadsheet_id = w.value AND s.active = 1
    LEFT JOIN units u ON u.valid_from = ${listDate} AND u.code = s.unit_code`);
}

export async function activeSources(db: Db): Promise<SourceRecord[]> {
  return db.select().from(sources).where(eq(sources.active, true)).orderBy(sources.id);
}

/** Every active source's id and spreadsheet, in id order: what a run fans out. */
export function activeSourceSheets(db: Db): Promise<{ id: number; spreadsheetId: string }[]> {
  return db
    .select({ id: sources.id, spreadsheetId: sources.spreadsheetId })
    .from(sources)
    .where(eq(sources.active, true))
    .orderBy(sources.id);
}

export async function sourcesByIds(db: Db, ids: number[]): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (const part of chunk(ids, 1)) {
    out.push(
      ...(await db
        .select()
        .from(sources)
        .where(and(inArray(sources.id, part), eq(sources.active, true)))),
    );
  }
  return out;
}

function sourceKey(r: SourceRow): string {
  return [r.unitCode, r.spreadsheetId, r.gid ?? "", r.tab ?? "", r.layout].join("|");
}

/** Registers sources; an existing registration of the same sheet for the same unit is kept (and re-activated). */
export async function importSources(db: Db, rows: SourceRow[], now: number, audit?: AuditEntry): Promise<number[]> {
  const inserts = chunk(rows, 9).map((part) =>
    db
      .insert(sources)
      .values(part.map((r) => ({ ...r, key: sourceKey(r), createdAt: now, active: true })))
      .onConflictDoUpdate({ target: sources.key, set: { active: true } })
      .returning({ id: sources.id }),
  );
  const statements: BatchItem<"sqlite">[] = [...inserts, ...(audit ? [auditStatement(db, audit, now)] : [])];
  if (!statements.length) return [];
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[];
  return results.slice(0, inserts.length).flatMap((inserted) => (inserted as { id: number }[]).map((r) => r.id));
}

export type SourceListRow = {
  id: number;
  unitCode: string;
  unitName: string | null;
  spreadsheetId: string;
  tab: string | null;
  gid: number | null;
  layout: "form" | "table";
  active: number;
  title: string | null;
  locale: string | null;
  lastStatus: "ok" | "unchanged" | "error" | null;
  /** The run that last read (or failed to read) it; an unchanged sheet keeps the run that last read it. */
  lastRunId: number | null;
  lastCheckedAt: number | null;
  lastSuccessAt: number | null;
  lastErrorCode: string | null;
  lastError: string | null;
  feedbackStatus: FeedbackStatus | null;
  feedbackAt: number | null;
  feedbackError: string | null;
};

/**
 * Sources of a unit: its own, those of its communes (and of its districts' communes), and for a commune the table
 * of its province that lists it; every source when null.
 */
export async function listSources(
  db: Db,
  listDate: string | null,
  unitCode: string | null,
  onlyId: number | null = null,
): Promise<SourceListRow[]> {
  const under =
    onlyId !== null
      ? sql`WHERE s.id = ${onlyId}`
      : unitCode === null || unitCode === NATIONAL
        ? sql``
        : listDate === null
          ? sql`WHERE s.unit_code = ${unitCode}`
          : sql`WHERE s.unit_code IN (WITH RECURSIVE ${unitTree({ listDate, unitCode })} SELECT code FROM tree)
            OR (s.layout = 'table' AND s.unit_code IN (SELECT p.parent_code FROM units p WHERE p.valid_from = ${listDate} AND p.code = ${unitCode}))`;
  return db.all<SourceListRow>(sql`
    SELECT s.id AS id, s.unit_code AS unitCode, u.full_name AS unitName, s.spreadsheet_id AS spreadsheetId, s.tab AS tab,
      s.gid AS gid, s.layout AS layout, s.active AS active, s.title AS title, s.locale AS locale,
      s.last_status AS lastStatus, s.last_run_id AS lastRunId, s.last_checked_at AS lastCheckedAt, s.last_success_at AS lastSuccessAt,
      s.last_error_code AS lastErrorCode, s.last_error AS lastError, s.feedback_status AS feedbackStatus,
      s.feedback_at AS feedbackAt, s.feedback_error AS feedbackError
    FROM sources s LEFT JOIN units u ON u.code = s.unit_code AND u.valid_from = ${listDate}
    ${under}
    ORDER BY s.unit_code, s.id`);
}

/**
 * The communes under a unit (the unit itself when it is one) that no active source reads: no form of their own and
 * no summary table of their district or province.
 */
export async function communesWithoutSource(
  db: Db,
  listDate: string,
  unitCode: string,
): Promise<{ code: string; name: string }[]> {
  return db.all<{ code: string; name: string }>(sql`
    WITH RECURSIVE ${unitTree({ listDate, unitCode })}
    SELECT u.code AS code, u.full_name AS name
    FROM tree t JOIN units u ON u.valid_from = ${listDate} AND u.code = t.code
    WHERE t.kind IN ${COMMUNE_KINDS}
      AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.unit_code = u.code AND s.active = 1)
      AND NOT EXISTS (
        SELECT 1 FROM sources s
        WHERE s.layout = 'table' AND s.active = 1 AND s.unit_code IN (
          u.parent_code,
          (SELECT p.parent_code FROM units p WHERE p.valid_from = ${listDate} AND p.code = u.parent_code)
        )
      )
    ORDER BY u.code`);
}

/** A source read: its sheet's title, locale and version, and its status ok. */
export function markRead(
  db: Db,
  sourceId: number,
  sheet: { title: string; locale: string | null; version: string; modifiedTime: string },
  runId: number,
  now: number,
) {
  return db
    .update(sources)
    .set({
      title: sheet.title,
      locale: sheet.locale,
      lastVersion: sheet.version,
      lastModifiedTime: sheet.modifiedTime,
      lastRunId: runId,
      lastStatus: "ok",
      lastCheckedAt: now,
      lastSuccessAt: now,
      lastErrorCode: null,
      lastError: null,
    })
    .where(eq(sources.id, sourceId));
}

/** The communes the source feeds in each period, counted again from its values (after its write, in its batch). */
export function recountSourcePeriods(sourceId: number): SQL[] {
  return [
    sql`DELETE FROM source_periods WHERE source_id = ${sourceId}`,
    sql`INSERT INTO source_periods (source_id, period, communes)
      SELECT source_id, period, COUNT(DISTINCT unit_code) FROM indicator_values INDEXED BY values_source_idx
      WHERE source_id = ${sourceId} GROUP BY source_id, period`,
  ];
}

/**
 * The communes under the scope's unit whose figures for the period come (in part) from active sheets that could not
 * be read at their last sync, and the oldest of those sheets' last good reads. A commune's own values say it directly;
 * a unit above counts through each failing sheet's communes per period.
 */
export function staleQuery(s: Scope, unitKind: string, period: string): SQL {
  if (isCommuneKind(unitKind))
    return sql`
      SELECT COUNT(DISTINCT v.unit_code) AS communes, MIN(src.last_success_at) AS since
      FROM indicator_values v INDEXED BY values_rollup_idx
      CROSS JOIN sources src ON src.id = v.source_id AND src.last_status = 'error' AND src.active = 1
      WHERE v.unit_code = ${s.unitCode} AND v.period = ${period}`;
  const under =
    s.unitCode === NATIONAL
      ? sql``
      : sql`WHERE f.id IN (
          WITH RECURSIVE up(id, code) AS (
            SELECT id, unit_code FROM failing
            UNION ALL
            SELECT up.id, u.parent_code FROM up CROSS JOIN units u ON u.valid_from = ${s.listDate} AND u.code = up.code
            WHERE u.parent_code IS NOT NULL
          )
          SELECT id FROM up WHERE code = ${s.unitCode})`;
  return sql`
    WITH failing(id, unit_code, since) AS (
      SELECT id, unit_code, last_success_at FROM sources INDEXED BY sources_status_idx
      WHERE last_status = 'error' AND active = 1
    )
    SELECT COALESCE(SUM(p.communes), 0) AS communes, MIN(f.since) AS since
    FROM failing f CROSS JOIN source_periods p ON p.source_id = f.id AND p.period = ${period}
    ${under}`;
}

/** A source that could not be read keeps its values and its last success; its status says why. */
export function markFailed(db: Db, sourceId: number, error: SourceError, runId: number, now: number) {
  return db
    .update(sources)
    .set({
      lastRunId: runId,
      lastStatus: "error",
      lastCheckedAt: now,
      lastErrorCode: error.code,
      lastError: error.message,
    })
    .where(eq(sources.id, sourceId));
}

export type FeedbackStatus = "written" | "failed" | "read_only" | "skipped";

/** Spreadsheets that more than one active source reads (a tab each, or one sheet for several units). */
export async function spreadsheetsOfSeveralSources(db: Db): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    sql`SELECT spreadsheet_id AS id FROM sources WHERE active = 1 GROUP BY spreadsheet_id HAVING COUNT(*) > 1`,
  );
  return rows.map((r) => r.id);
}

/**
 * What became of writing the check results into the sheet. After a write, `version` is the sheet's version with the
 * write in it: the next sync sees the sheet unchanged (PRODUCT.md §6), as the write was the Worker's own. A failed
 * write forgets the version (null), so the next sync reads the sheet again and writes the results then.
 */
export async function recordFeedback(
  db: Db,
  sourceId: number,
  feedback: { status: FeedbackStatus; error: string | null; version?: string | null },
  now: number,
): Promise<void> {
  await db
    .update(sources)
    .set({
      feedbackStatus: feedback.status,
      feedbackAt: now,
      feedbackError: feedback.error,
      ...(feedback.version !== undefined ? { lastVersion: feedback.version } : {}),
    })
    .where(eq(sources.id, sourceId));
}

/** Stops reading a source; its values stay until a new sheet replaces them. False when there is no such source. */
export async function deactivateSource(db: Db, id: number, audit: AuditEntry, now = Date.now()): Promise<boolean> {
  const [[row]] = await db.batch([
    db.update(sources).set({ active: false }).where(eq(sources.id, id)).returning({ id: sources.id }),
    auditStatement(db, audit, now),
  ]);
  return row !== undefined;
}

/**
 * Makes a stopped source active again, after `check` (which may refuse by throwing); an active one is left as it is;
 * null when there is no such source.
 */
export async function reactivateSource(
  db: Db,
  id: number,
  audit: AuditEntry,
  check: (source: SourceRecord) => Promise<void>,
  now = Date.now(),
): Promise<SourceRecord | null> {
  const [source] = await db.select().from(sources).where(eq(sources.id, id));
  if (!source) return null;
  if (source.active) return source;
  await check(source);
  await db.batch([db.update(sources).set({ active: true }).where(eq(sources.id, id)), auditStatement(db, audit, now)]);
  return { ...source, active: true };
}

/** The active sources that read a commune: its own sheets, and the tables its values came from. */
export async function activeSourceIdsFor(db: Db, unitCode: string): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`
    SELECT id FROM sources WHERE active = 1 AND (unit_code = ${unitCode}
      OR id IN (SELECT source_id FROM indicator_values INDEXED BY values_rollup_idx WHERE unit_code = ${unitCode}))
    ORDER BY id`);
  return rows.map((r) => r.id);
}
