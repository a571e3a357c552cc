/**
 * Figures built from shorter periods (PRODUCT.md §14). A commune that reported a period's parts but not the period
 * itself gets the period's values built from them, by each indicator's `over_time` — `sum` adds the parts, `last`
 * takes the last — from complete sets of parts only. Built values are rows of `indicator_values` marked `built`
 * (source 0, no cell), so the roll-ups, coverage, exports and conferences count them like typed ones; a typed value
 * for the same period always takes their place.
 *
 * They are kept in the batch that changes their parts: the periods a change touches and every longer period made of
 * them are built again for its communes, a level at a time (quarters, halves, nine months, years, phases), so a part
 * is built before what it makes.
 */
import { type SQL, sql } from "drizzle-orm";
import { BUILD_ORDER, partSets, periodKind, periodsMadeFrom } from "../../domain/periods";
import type { Db } from "../db/client";
import { exact } from "../rollups/columns";

/** The phases whose figures are kept (those asked for once, PRODUCT.md §14). */
export async function registeredPhases(db: Db): Promise<string[]> {
  const rows = await db.all<{ code: string }>(sql`SELECT code FROM periods WHERE kind = 'phase'`);
  return rows.map((r) => r.code);
}

/** The periods a change in `periods` builds again: each, every longer period of its year, and the phases holding it. */
export function periodsToBuild(periods: Iterable<string>, phases: string[]): string[] {
  const out = new Set<string>();
  for (const period of periods) {
    for (const p of periodsMadeFrom(period)) out.add(p);
    const year = Number(period.slice(0, 4));
    if (periodKind(period) !== "phase")
      for (const phase of phases)
        if (Number(phase.slice(0, 4)) <= year && year <= Number(phase.slice(5, 9))) out.add(phase);
  }
  return [...out].filter((p) => partSets(p).length > 0).sort();
}

/** `c(code)`: the given communes, or every unit with values when null. */
function communes(codes: string[] | null): SQL {
  return codes === null
    ? sql`c(code) AS (SELECT DISTINCT unit_code FROM indicator_values)`
    : sql`c(code) AS (SELECT value FROM json_each(${JSON.stringify([...new Set(codes)])}))`;
}

/** The statement that builds one level's periods for the communes from their (typed or already built) parts. */
function buildLevel(codes: string[] | null, targets: string[]): SQL {
  // One row per part: the period it builds, its set (in the order a set is preferred), the set's size, its last part.
  const parts = targets.flatMap((target) =>
    partSets(target).flatMap((set, n) => set.map((part) => [target, n, part, set.length, set.at(-1)])),
  );
  return sql`WITH ${communes(codes)},
    sets(target, set_no, part, size, last_part) AS (
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4
      FROM json_each(${JSON.stringify(parts)}) j),
    complete AS (
      SELECT c.code AS code, s.target AS target, v.indicator_code AS indicator_code, s.set_no AS set_no,
             IIF(i.over_time = 'sum', ${sql.raw(exact("TOTAL(v.value)"))},
                 TOTAL(CASE WHEN v.period = s.last_part THEN v.value END)) AS value,
             MAX(v.approximate) AS approximate, MAX(v.doubtful) AS doubtful,
             MAX(v.written_at) AS written_at, MAX(v.first_written_at) AS first_written_at,
             ROW_NUMBER() OVER (PARTITION BY c.code, s.target, v.indicator_code ORDER BY s.set_no) AS preference
      FROM c CROSS JOIN sets s
      CROSS JOIN indicator_values v INDEXED BY values_rollup_idx ON v.unit_code = c.code AND v.period = s.part
      CROSS JOIN indicators i ON i.code = v.indicator_code
      WHERE i.over_time IS NOT NULL
      GROUP BY c.code, s.target, s.set_no, v.indicator_code
      HAVING COUNT(*) = MIN(s.size))
    INSERT OR IGNORE INTO indicator_values (unit_code, indicator_code, period, value, approximate, doubtful, raw, cell,
      source_id, written_at, first_written_at, built)
    SELECT code, indicator_code, target, value, approximate, doubtful, '', '', 0, written_at, first_written_at, 1
    FROM complete WHERE preference = 1`;
}

/**
 * The statements that build these periods again for the communes (every commune with values when null): their built
 * values removed, then each level built from the one below. A typed value stays; its period is not built.
 */
export function builtStatements(codes: string[] | null, targets: string[]): SQL[] {
  if (!targets.length || (codes !== null && !codes.length)) return [];
  const only = codes === null ? sql`` : sql` AND unit_code IN (SELECT value FROM json_each(${JSON.stringify(codes)}))`;
  return [
    sql`DELETE FROM indicator_values WHERE built = 1${only}
      AND period IN (SELECT value FROM json_each(${JSON.stringify(targets)}))`,
    ...BUILD_ORDER.map((kind) => targets.filter((t) => periodKind(t) === kind))
      .filter((level) => level.length > 0)
      .map((level) => buildLevel(codes, level)),
  ];
}
