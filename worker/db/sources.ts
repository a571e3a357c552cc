/** The sources registry as administrators see it: each sheet with its unit and its last run, success and error. */
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { syncRuns } from "./schema";

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
  lastCheckedAt: number | null;
  lastSuccessAt: number | null;
  lastErrorCode: string | null;
  lastError: string | null;
};

/**
 * Sources of a unit: its own, those of its communes (and of its districts' communes), and for a commune the table
 * of its province that lists it; every source when null.
 */
export async function listSources(db: Db, listDate: string | null, unitCode: string | null): Promise<SourceListRow[]> {
  const under = unitCode
    ? sql`WHERE s.unit_code = ${unitCode} OR u.parent_code = ${unitCode}
        OR u.parent_code IN (SELECT d.code FROM units d WHERE d.valid_from = ${listDate} AND d.parent_code = ${unitCode})
        OR (s.layout = 'table' AND s.unit_code IN (SELECT p.parent_code FROM units p WHERE p.valid_from = ${listDate} AND p.code = ${unitCode}))`
    : sql``;
  return db.all<SourceListRow>(sql`
    SELECT s.id AS id, s.unit_code AS unitCode, u.full_name AS unitName, s.spreadsheet_id AS spreadsheetId, s.tab AS tab,
      s.gid AS gid, s.layout AS layout, s.active AS active, s.title AS title, s.locale AS locale,
      s.last_status AS lastStatus, s.last_checked_at AS lastCheckedAt, s.last_success_at AS lastSuccessAt,
      s.last_error_code AS lastErrorCode, s.last_error AS lastError
    FROM sources s LEFT JOIN units u ON u.code = s.unit_code AND u.valid_from = ${listDate}
    ${under}
    ORDER BY s.unit_code, s.id`);
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
