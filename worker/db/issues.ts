/** Issues (PRODUCT.md §5): a source's, replaced with each reading, and a unit's, with the sheet each one is in. */
import { and, eq, sql } from "drizzle-orm";
import type { CellIssue, SourceError } from "../sheets/types";
import { chunk, type Statement } from "./batch";
import type { Db } from "./client";
import { issues } from "./schema";
import { type Scope, unitTree } from "./units";

export type IssueRow = {
  unitCode: string | null;
  unitName: string | null;
  sourceId: number;
  spreadsheetId: string | null;
  gid: number | null;
  sourceTitle: string | null;
  cell: string | null;
  indicator: string | null;
  period: string | null;
  raw: string | null;
  severity: "error" | "warning" | "source_error";
  code: string;
  message: string;
};

/** Issues of the unit and every unit under it: those of the period, and source errors (which have no period). */
export async function issueRows(db: Db, s: Scope, period: string): Promise<IssueRow[]> {
  return db.all<IssueRow>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT i.unit_code AS unitCode, u.full_name AS unitName, i.source_id AS sourceId, src.spreadsheet_id AS spreadsheetId,
           src.gid AS gid, src.title AS sourceTitle, i.cell AS cell, i.indicator_code AS indicator, i.period AS period,
           i.raw AS raw, i.severity AS severity, i.code AS code, i.message AS message
    FROM tree t
    JOIN issues i ON i.unit_code = t.code AND (i.period = ${period} OR i.period IS NULL)
    LEFT JOIN units u ON u.valid_from = ${s.listDate} AND u.code = i.unit_code
    LEFT JOIN sources src ON src.id = i.source_id
    ORDER BY CASE i.severity WHEN 'source_error' THEN 0 WHEN 'error' THEN 1 ELSE 2 END, i.unit_code, i.cell, i.id`);
}

/** A reading's issues replace every issue of its source. */
export function replaceSourceIssues(
  db: Db,
  sourceId: number,
  found: CellIssue[],
  runId: number,
  now: number,
): Statement[] {
  return [
    db.delete(issues).where(eq(issues.sourceId, sourceId)),
    ...chunk(found, 12).map((part) =>
      db.insert(issues).values(part.map((i) => ({ ...i, sourceId, runId, createdAt: now }))),
    ),
  ];
}

/** A source that could not be read says why as one issue, beside its last reading's cell issues. */
export function replaceSourceError(
  db: Db,
  source: { id: number; unitCode: string },
  error: SourceError,
  runId: number,
  now: number,
): Statement[] {
  return [
    db.delete(issues).where(and(eq(issues.sourceId, source.id), eq(issues.severity, "source_error"))),
    db.insert(issues).values({
      sourceId: source.id,
      runId,
      unitCode: source.unitCode,
      severity: "source_error",
      code: error.code,
      message: error.message,
      createdAt: now,
    }),
  ];
}
