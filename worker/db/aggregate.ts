/** Aggregation queries: commune values rolled up over a unit's communes (PRODUCT.md §7). */
import { sql } from "drizzle-orm";
import type { Db } from "./client";

const COMMUNE_KINDS = sql`('commune', 'ward', 'special_zone')`;

/** The communes under a unit (through districts for pre-2025 lists), or the unit itself when it is a commune. */
function communesOf(listDate: string, unitCode: string) {
  return sql`
    WITH RECURSIVE tree(code, kind) AS (
      SELECT code, kind FROM units WHERE valid_from = ${listDate} AND code = ${unitCode}
      UNION ALL
      SELECT u.code, u.kind FROM units u JOIN tree t ON u.parent_code = t.code WHERE u.valid_from = ${listDate}
    )
    SELECT code FROM tree WHERE kind IN ${COMMUNE_KINDS}`;
}

export type IndicatorTotal = { indicatorCode: string; total: number; reporting: number; approximate: number };

export async function indicatorTotals(db: Db, listDate: string, unitCode: string, period: string): Promise<IndicatorTotal[]> {
  return db.all<IndicatorTotal>(sql`
    SELECT v.indicator_code AS indicatorCode, SUM(v.value) AS total, COUNT(*) AS reporting, MAX(v.approximate) AS approximate
    FROM indicator_values v
    WHERE v.period = ${period} AND v.unit_code IN (${communesOf(listDate, unitCode)})
    GROUP BY v.indicator_code`);
}

export type RatioTotal = { numerator: number | null; denominator: number | null; reporting: number; approximate: number | null };

/** Σ numerator / Σ denominator over the communes that reported both. */
export async function ratioTotal(
  db: Db,
  listDate: string,
  unitCode: string,
  period: string,
  numerator: string,
  denominator: string,
): Promise<RatioTotal> {
  const [row] = await db.all<RatioTotal>(sql`
    SELECT SUM(n.value) AS numerator, SUM(d.value) AS denominator, COUNT(*) AS reporting,
           MAX(MAX(n.approximate, d.approximate)) AS approximate
    FROM indicator_values n
    JOIN indicator_values d ON d.unit_code = n.unit_code AND d.period = n.period AND d.indicator_code = ${denominator}
    WHERE n.indicator_code = ${numerator} AND n.period = ${period}
      AND n.unit_code IN (${communesOf(listDate, unitCode)})`);
  return row ?? { numerator: null, denominator: null, reporting: 0, approximate: null };
}

export type Coverage = { expected: number; reported: number; complete: number; late: number };

export async function coverage(
  db: Db,
  listDate: string,
  unitCode: string,
  period: string,
  requiredCodes: string[],
  deadline: number | null,
): Promise<Coverage> {
  const required = requiredCodes.length ? sql.join(requiredCodes.map((c) => sql`${c}`), sql`, `) : sql`NULL`;
  const [row] = await db.all<Coverage>(sql`
    WITH communes AS (${communesOf(listDate, unitCode)}),
    per_unit AS (
      SELECT v.unit_code,
             COUNT(DISTINCT CASE WHEN v.indicator_code IN (${required}) THEN v.indicator_code END) AS required_count,
             MIN(v.first_written_at) AS first_at
      FROM indicator_values v
      WHERE v.period = ${period} AND v.unit_code IN (SELECT code FROM communes)
      GROUP BY v.unit_code
    )
    SELECT (SELECT COUNT(*) FROM communes) AS expected,
           COUNT(per_unit.unit_code) AS reported,
           COALESCE(SUM(per_unit.required_count >= ${requiredCodes.length}), 0) AS complete,
           COALESCE(SUM(${deadline ?? null} IS NOT NULL AND per_unit.first_at > ${deadline ?? null}), 0) AS late
    FROM per_unit`);
  return row ?? { expected: 0, reported: 0, complete: 0, late: 0 };
}

/** When the figures were last brought up to date: the end of the newest run that read or checked sources. */
export async function lastSyncAt(db: Db): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`
    SELECT MAX(finished_at) AS at FROM sync_runs WHERE status IN ('ok', 'partial')`);
  return row?.at ?? null;
}
