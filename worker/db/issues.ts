/** Issues (PRODUCT.md §5): a source's, replaced with each reading, and a unit's, with the sheet each one is in. */
import { and, eq, type SQL, sql } from "drizzle-orm";
import { NATIONAL } from "../../domain/units";
import type { CellIssue, SourceError } from "../sheets/types";
import { chunk, type Statement } from "./batch";
import type { Db } from "./client";
import { issues } from "./schema";
import { childRoots, type Scope, unitTree } from "./units";

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

/**
 * `rejected(commune)` and `up(commune, code)`: the communes whose cells for the period (of these indicators, or any)
 * were all rejected — an error at a cell, and no value stored for it — and every unit above each. They reported; their
 * sheet needs fixing, which is not silence.
 */
function rejectedCtes(listDate: string, period: string, indicatorCodes: string[] | null): SQL {
  const which =
    indicatorCodes === null
      ? sql``
      : sql` AND i.indicator_code IN (SELECT value FROM json_each(${JSON.stringify(indicatorCodes)}))`;
  const stored =
    indicatorCodes === null
      ? sql`v.unit_code = i.unit_code AND v.period = i.period`
      : sql`v.unit_code = i.unit_code AND v.period = i.period AND v.indicator_code = i.indicator_code`;
  return sql`rejected(commune) AS (
      SELECT DISTINCT i.unit_code FROM issues i INDEXED BY issues_period_idx
      WHERE i.period = ${period} AND i.severity = 'error'${which} AND i.unit_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM indicator_values v INDEXED BY values_rollup_idx WHERE ${stored})
    ),
    up(commune, code) AS (
      SELECT r.commune, r.commune FROM rejected r CROSS JOIN units u ON u.valid_from = ${listDate} AND u.code = r.commune
      UNION ALL
      SELECT up.commune, u.parent_code FROM up CROSS JOIN units u ON u.valid_from = ${listDate} AND u.code = up.code
      WHERE u.parent_code IS NOT NULL
    )`;
}

/** For each unit one level down, its communes whose cells of these indicators were all rejected (`key`, `n`). */
export function rejectedByChildQuery(s: Scope, unitKind: string, period: string, indicatorCodes: string[]): SQL {
  return sql`WITH RECURSIVE ${rejectedCtes(s.listDate, period, indicatorCodes)}
    SELECT up.code AS key, COUNT(DISTINCT up.commune) AS n FROM up
    WHERE up.code IN (SELECT code FROM units WHERE valid_from = ${s.listDate} AND ${childRoots(s, unitKind)})
    GROUP BY up.code`;
}

/** The communes under the unit with nothing stored for the period but rejected cells (codes). */
export function rejectedUnderQuery(s: Scope, period: string): SQL {
  const under = s.unitCode === NATIONAL ? sql`` : sql` WHERE up.code = ${s.unitCode}`;
  return sql`WITH RECURSIVE ${rejectedCtes(s.listDate, period, null)}
    SELECT DISTINCT up.commune AS code FROM up${under}`;
}

/** The cells of a commune's period that hold errors (what blocks a submission), in sheet order. */
export async function errorCells(
  db: Db,
  unitCode: string,
  period: string,
): Promise<{ cell: string | null; message: string }[]> {
  return db.all<{ cell: string | null; message: string }>(sql`
    SELECT cell, message FROM issues INDEXED BY issues_unit_idx
    WHERE unit_code = ${unitCode} AND period = ${period} AND severity = 'error' ORDER BY cell, id`);
}
