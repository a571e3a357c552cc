/**
 * Aggregation queries: commune values rolled up over a unit's communes (PRODUCT.md §7).
 * Each figure needs one grouped statement for all indicators and both periods, so a summary costs a few round trips
 * whatever the size of the catalog; rows are found through the primary key (unit, indicator, period).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Period } from "../reference/periods";
import { auditStatement } from "./audit";
import type { Db } from "./client";
import { periods } from "./schema";

const COMMUNE_KINDS = sql`('commune', 'ward', 'special_zone')`;
export const NATIONAL = "VN";

/** Which unit list, which unit (`VN` = the whole country) and where the values come from (live or a conference's snapshot). */
export type Scope = { listDate: string; unitCode: string; conferenceId: number | null };

/**
 * `tree(code, kind)`: the unit and everything under it, through districts for pre-2025 lists. The recursive step
 * starts from the tree (CROSS JOIN): otherwise workerd's SQLite walks every unit of the list for each tree row.
 */
function treeCte(s: Scope): SQL {
  const roots =
    s.unitCode === NATIONAL
      ? sql`SELECT code, kind FROM units WHERE valid_from = ${s.listDate} AND parent_code IS NULL`
      : sql`SELECT code, kind FROM units WHERE valid_from = ${s.listDate} AND code = ${s.unitCode}`;
  return sql`tree(code, kind) AS (
      ${roots}
      UNION ALL
      SELECT u.code, u.kind FROM tree t CROSS JOIN units u ON u.valid_from = ${s.listDate} AND u.parent_code = t.code
    )`;
}

/**
 * The values table (live or frozen) joined as `alias`, with the snapshot filter when frozen. CROSS JOIN keeps SQLite's
 * join order: start from the unit's communes and read each one's values through the covering roll-up index, instead of
 * walking every value of the period.
 */
function valuesJoin(s: Scope, alias: string, on: SQL): SQL {
  const a = sql.raw(alias);
  return s.conferenceId === null
    ? sql`CROSS JOIN indicator_values ${a} INDEXED BY values_rollup_idx ON ${on}`
    : sql`CROSS JOIN snapshot_values ${a} ON ${a}.conference_id = ${s.conferenceId} AND ${on}`;
}

const list = (items: string[]) => sql.join(items.map((i) => sql`${i}`), sql`, `);

export type FigureRow = {
  period: string;
  indicatorCode: string;
  total: number | null;
  numerator: number | null;
  denominator: number | null;
  reporting: number;
  approximate: number;
  /** Any part read from a sheet whose locale is not Vietnamese. */
  doubtful: number;
};

/**
 * Every indicator's figure for the given periods in one statement: sums (with the number of communes and whether any
 * value is approximate) and, for ratio indicators, Σ numerator and Σ denominator over the communes reporting both.
 */
export async function figureRows(db: Db, s: Scope, periods: string[]): Promise<FigureRow[]> {
  const ps = list(periods);
  return db.all<FigureRow>(sql`
    WITH RECURSIVE ${treeCte(s)},
    communes(code) AS (SELECT code FROM tree WHERE kind IN ${COMMUNE_KINDS})
    SELECT v.period AS period, v.indicator_code AS indicatorCode, SUM(v.value) AS total, NULL AS numerator,
           NULL AS denominator, COUNT(*) AS reporting, MAX(v.approximate) AS approximate,
           MAX(v.doubtful) AS doubtful
    FROM communes c ${valuesJoin(s, "v", sql`v.unit_code = c.code`)}
    WHERE v.period IN (${ps})
    GROUP BY v.period, v.indicator_code
    UNION ALL
    SELECT n.period, r.code, NULL, SUM(n.value), SUM(d.value), COUNT(*), MAX(MAX(n.approximate, d.approximate)),
           MAX(MAX(n.doubtful, d.doubtful))
    FROM communes c
    CROSS JOIN indicators r
    ${valuesJoin(s, "n", sql`n.unit_code = c.code AND n.indicator_code = r.numerator AND n.period IN (${ps})`)}
    ${valuesJoin(s, "d", sql`d.unit_code = c.code AND d.indicator_code = r.denominator AND d.period = n.period`)}
    WHERE r.kind = 'ratio' AND r.active = 1
    GROUP BY n.period, r.code`);
}

export type ChildUnit = { code: string; name: string; kind: string };

/** Which units are "one level down": provinces for the country; a commune is its own only child. */
function childRoots(s: Scope, unitKind: string): SQL {
  if (s.unitCode === NATIONAL) return sql`parent_code IS NULL`;
  if (["commune", "ward", "special_zone"].includes(unitKind)) return sql`code = ${s.unitCode}`;
  return sql`parent_code = ${s.unitCode}`;
}

export async function childUnits(db: Db, s: Scope, unitKind: string): Promise<ChildUnit[]> {
  return db.all<ChildUnit>(sql`
    SELECT code, full_name AS name, kind FROM units WHERE valid_from = ${s.listDate} AND ${childRoots(s, unitKind)} ORDER BY code`);
}

export type ChildFigureRow = FigureRow & { child: string };

/** One indicator's figure per child unit (each child summed over its own communes), for the given periods. */
export async function childFigureRows(
  db: Db,
  s: Scope,
  unitKind: string,
  indicator: { code: string; numerator: string | null; denominator: string | null; kind: string },
  periods: string[],
): Promise<ChildFigureRow[]> {
  const ps = list(periods);
  const roots = childRoots(s, unitKind);
  const tree = sql`tree(child, code, kind) AS (
      SELECT code, code, kind FROM units WHERE valid_from = ${s.listDate} AND ${roots}
      UNION ALL
      SELECT t.child, u.code, u.kind FROM tree t CROSS JOIN units u ON u.valid_from = ${s.listDate} AND u.parent_code = t.code
    )`;
  if (indicator.kind === "ratio" && indicator.numerator && indicator.denominator) {
    return db.all<ChildFigureRow>(sql`
      WITH RECURSIVE ${tree}
      SELECT t.child AS child, n.period AS period, ${indicator.code} AS indicatorCode, NULL AS total,
             SUM(n.value) AS numerator, SUM(d.value) AS denominator, COUNT(*) AS reporting,
             MAX(MAX(n.approximate, d.approximate)) AS approximate, MAX(MAX(n.doubtful, d.doubtful)) AS doubtful
      FROM tree t
      ${valuesJoin(s, "n", sql`n.unit_code = t.code AND n.indicator_code = ${indicator.numerator} AND n.period IN (${ps})`)}
      ${valuesJoin(s, "d", sql`d.unit_code = t.code AND d.indicator_code = ${indicator.denominator} AND d.period = n.period`)}
      WHERE t.kind IN ${COMMUNE_KINDS}
      GROUP BY t.child, n.period`);
  }
  return db.all<ChildFigureRow>(sql`
    WITH RECURSIVE ${tree}
    SELECT t.child AS child, v.period AS period, v.indicator_code AS indicatorCode, SUM(v.value) AS total,
           NULL AS numerator, NULL AS denominator, COUNT(*) AS reporting, MAX(v.approximate) AS approximate,
           MAX(v.doubtful) AS doubtful
    FROM tree t
    ${valuesJoin(s, "v", sql`v.unit_code = t.code AND v.indicator_code = ${indicator.code} AND v.period IN (${ps})`)}
    WHERE t.kind IN ${COMMUNE_KINDS}
    GROUP BY t.child, v.period`);
}

export type Coverage = { expected: number; reported: number; complete: number; late: number };

/**
 * expected = communes under the unit; reported = communes with at least one value; complete = communes with every
 * required indicator; late = communes whose first value for the period arrived after `deadline`.
 */
export async function coverage(db: Db, s: Scope, period: string, requiredCodes: string[], deadline: number | null): Promise<Coverage> {
  const required = requiredCodes.length ? list(requiredCodes) : sql`NULL`;
  // A frozen snapshot keeps when each value was written, which stands in for when it first arrived.
  const firstAt = s.conferenceId === null ? sql`v.first_written_at` : sql`v.written_at`;
  const [row] = await db.all<Coverage>(sql`
    WITH RECURSIVE ${treeCte(s)},
    communes(code) AS (SELECT code FROM tree WHERE kind IN ${COMMUNE_KINDS}),
    per_unit AS (
      SELECT v.unit_code,
             SUM(v.indicator_code IN (${required})) AS required_count,
             MIN(${firstAt}) AS first_at
      FROM communes c ${valuesJoin(s, "v", sql`v.unit_code = c.code AND v.period = ${period}`)}
      GROUP BY v.unit_code
    )
    SELECT (SELECT COUNT(*) FROM communes) AS expected,
           COUNT(per_unit.unit_code) AS reported,
           COALESCE(SUM(per_unit.required_count >= ${requiredCodes.length}), 0) AS complete,
           COALESCE(SUM(${deadline} IS NOT NULL AND per_unit.first_at > ${deadline}), 0) AS late
    FROM per_unit`);
  return row ?? { expected: 0, reported: 0, complete: 0, late: 0 };
}

export type CommuneRow = { code: string; name: string; kind: string; parentName: string | null };
export type CommuneValue = { unitCode: string; indicatorCode: string; value: number; approximate: number; doubtful: number };

/**
 * Every commune under the unit with the name of its parent (district or province), for exports; with
 * `silentIn`, only those without any value for that period.
 */
export async function communeRows(db: Db, s: Scope, silentIn: string | null = null): Promise<CommuneRow[]> {
  const values =
    s.conferenceId === null
      ? sql`SELECT 1 FROM indicator_values v INDEXED BY values_rollup_idx WHERE v.unit_code = t.code AND v.period = ${silentIn}`
      : sql`SELECT 1 FROM snapshot_values v WHERE v.conference_id = ${s.conferenceId} AND v.unit_code = t.code AND v.period = ${silentIn}`;
  return db.all<CommuneRow>(sql`
    WITH RECURSIVE ${treeCte(s)}
    SELECT t.code AS code, u.full_name AS name, t.kind AS kind, p.full_name AS parentName
    FROM tree t
    JOIN units u ON u.valid_from = ${s.listDate} AND u.code = t.code
    LEFT JOIN units p ON p.valid_from = ${s.listDate} AND p.code = u.parent_code
    WHERE t.kind IN ${COMMUNE_KINDS}${silentIn === null ? sql`` : sql` AND NOT EXISTS (${values})`}
    ORDER BY u.parent_code, t.code`);
}

export async function communeValues(db: Db, s: Scope, period: string): Promise<CommuneValue[]> {
  return db.all<CommuneValue>(sql`
    WITH RECURSIVE ${treeCte(s)}
    SELECT v.unit_code AS unitCode, v.indicator_code AS indicatorCode, v.value AS value, v.approximate AS approximate,
           v.doubtful AS doubtful
    FROM tree t ${valuesJoin(s, "v", sql`v.unit_code = t.code AND v.period = ${period}`)}
    WHERE t.kind IN ${COMMUNE_KINDS}`);
}

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
    WITH RECURSIVE ${treeCte(s)}
    SELECT i.unit_code AS unitCode, u.full_name AS unitName, i.source_id AS sourceId, src.spreadsheet_id AS spreadsheetId,
           src.gid AS gid, src.title AS sourceTitle, i.cell AS cell, i.indicator_code AS indicator, i.period AS period,
           i.raw AS raw, i.severity AS severity, i.code AS code, i.message AS message
    FROM tree t
    JOIN issues i ON i.unit_code = t.code AND (i.period = ${period} OR i.period IS NULL)
    LEFT JOIN units u ON u.valid_from = ${s.listDate} AND u.code = i.unit_code
    LEFT JOIN sources src ON src.id = i.source_id
    ORDER BY CASE i.severity WHEN 'source_error' THEN 0 WHEN 'error' THEN 1 ELSE 2 END, i.unit_code, i.cell, i.id`);
}

/** When the figures were last brought up to date: the end of the newest run that read or checked sources. */
export async function lastSyncAt(db: Db): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`
    SELECT MAX(finished_at) AS at FROM sync_runs WHERE status IN ('ok', 'partial')`);
  return row?.at ?? null;
}

export type ConferenceRow = { id: number; unitCode: string; period: string; comparePeriod: string | null; title: string; frozenAt: number | null };

export async function findConference(db: Db, id: number): Promise<ConferenceRow | null> {
  const [row] = await db.all<ConferenceRow>(sql`
    SELECT id, unit_code AS unitCode, period, compare_period AS comparePeriod, title, frozen_at AS frozenAt
    FROM conferences WHERE id = ${id}`);
  return row ?? null;
}

export async function periodDeadline(db: Db, code: string): Promise<number | null> {
  const [row] = await db.all<{ deadline: number | null }>(sql`SELECT deadline FROM periods WHERE code = ${code}`);
  return row?.deadline ?? null;
}

/** Sets (or clears, with null) the deadline after which a commune's first report for the period counts as late. */
export async function setPeriodDeadline(db: Db, period: Period, deadline: number | null, actor: string): Promise<void> {
  await db.batch([
    db
      .insert(periods)
      .values({ ...period, deadline })
      .onConflictDoUpdate({ target: periods.code, set: { deadline } }),
    auditStatement(db, { actor, action: "period.deadline", target: period.code, detail: { deadline: deadline === null ? null : new Date(deadline).toISOString() } }),
  ]);
}

/**
 * A fingerprint of everything a figure depends on, cheap to read (each part is one index lookup or a small table):
 * sync runs, admin actions (audited), the newest value row, the unit lists, the catalog and the deadlines.
 * `settled` is false while a run is still writing.
 */
export async function dataVersion(db: Db): Promise<{ key: string; settled: boolean }> {
  const [row] = await db.all<Record<string, string | number | null>>(sql`
    SELECT (SELECT id || ':' || status || ':' || COALESCE(finished_at, '') FROM sync_runs ORDER BY id DESC LIMIT 1) AS run,
           (SELECT MAX(id) FROM audit_log) AS audit,
           (SELECT MAX(rowid) FROM indicator_values) AS value_row,
           (SELECT COUNT(*) || ':' || MAX(rowid) FROM units) AS units,
           (SELECT COUNT(*) || ':' || SUM(active) || ':' || MAX(rowid) FROM indicators) AS catalog,
           (SELECT COUNT(*) || ':' || COALESCE(SUM(deadline), 0) FROM periods) AS periods,
           (SELECT COUNT(*) || ':' || COALESCE(MAX(frozen_at), 0) FROM conferences) AS conferences`);
  const key = JSON.stringify(row ?? {});
  return { key, settled: !String(row?.run ?? "").includes(":running:") };
}
