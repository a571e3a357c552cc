/**
 * Writing the roll-ups (PRODUCT.md §7). A source's write changes them in the values' own batch: its communes' rows are
 * computed again from the new values, and only their change is added to every unit above. A unit-list or catalog
 * import, a deadline change and a conference's freeze rebuild what they affect, also in their own batch.
 *
 * Live rows exist for every period with values and the year after it (whose comparison is that period); a frozen
 * conference's for its own period against its comparison period. Every statement's text is the same on every call,
 * its data bound (JSON arrays through `json_each`), so the database can keep each compiled.
 */
import { type SQL, sql } from "drizzle-orm";
import { nextYearPeriod, previousYearPeriod } from "../../domain/periods";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { LIVE } from "../db/schema";
import { builtStatements, periodsToBuild, registeredPhases } from "../periods/built";
import {
  ACCEPTED_FIGURES,
  addExcluded,
  COVERED,
  columnsOf,
  exact,
  FIGURES,
  list,
  type Pair,
  snake,
  type Table,
} from "./columns";
import { type Cte, cte, withCtes } from "./cte";
import { aboveCte, communesCte, everyCommuneCte, freshCte, pairsCte } from "./fresh";

const TABLES = [FIGURES, ACCEPTED_FIGURES, COVERED] as const;

/** The communes' own rows for the pairs' periods, computed from their values (after any old ones were deleted). */
function insertCommuneRows(t: Table, conferenceId: number, communes: Cte<"s">, pairs: Pair[]): SQL {
  const names = list(columnsOf(t));
  return withCtes(pairsCte(pairs))
    .and(communes)
    .and(freshCte(t, conferenceId))
    .query(sql`INSERT INTO ${sql.raw(t.name)} (conference_id, unit_code, ${names})
      SELECT ${conferenceId}, code, ${names} FROM fresh WHERE true`);
}

function deleteRows(t: Table, conferenceId: number, pairs: Pair[], codes: string[] | null): SQL {
  const only = codes ? sql` AND unit_code IN (SELECT value FROM json_each(${JSON.stringify(codes)}))` : sql``;
  const periods = JSON.stringify(pairs.map((p) => p.period));
  return sql`DELETE FROM ${sql.raw(t.name)} WHERE conference_id = ${conferenceId}${only}
    AND period IN (SELECT value FROM json_each(${periods}))`;
}

/**
 * `change(code, …key, …counts and sums)`: each commune's fresh row less its stored row, then the stored rows nothing
 * fresh replaces, taken away whole. Each fresh row meets its stored row by a primary-key lookup.
 */
function changeCte(t: Table): Cte<"change", "pairs" | "s" | "fresh"> {
  const table = sql.raw(t.name);
  const cols = [...t.counts, ...t.sums].map(snake);
  const keys = t.key.map(snake);
  const same = sql.raw(keys.map((k) => `o.${k} = f.${k}`).join(" AND "));
  return cte(sql`change AS (
      SELECT f.code AS code, ${list(keys, "f.")}, ${sql.raw(cols.map((c) => `f.${c} - COALESCE(o.${c}, 0) AS ${c}`).join(", "))}
      FROM fresh f LEFT JOIN ${table} o ON o.conference_id = ${LIVE} AND o.unit_code = f.code AND ${same}
      UNION ALL
      SELECT o.unit_code, ${list(keys, "o.")}, ${sql.raw(cols.map((c) => `-o.${c}`).join(", "))}
      FROM s CROSS JOIN ${table} o
        ON o.conference_id = ${LIVE} AND o.unit_code = s.code AND o.period IN (SELECT period FROM pairs)
      LEFT JOIN fresh f ON f.code = o.unit_code AND ${same}
      WHERE f.code IS NULL
    )`);
}

/**
 * The change of the communes' own rows (their values now against their stored rows), added to every unit above
 * them: only rows that differ, so a re-read sheet with one cell changed moves one figure of each unit above it.
 */
function addChange(t: Table, communes: Cte<"s">, pairs: Pair[]): SQL {
  const changed = sql.raw([...t.counts, ...t.sums].map((c) => `d.${snake(c)} != 0`).join(" OR "));
  return withCtes(pairsCte(pairs))
    .and(communes)
    .and(freshCte(t, LIVE))
    .and(aboveCte)
    .and(changeCte(t))
    .query(sql`INSERT INTO ${sql.raw(t.name)} (conference_id, unit_code, ${list(columnsOf(t))})
    SELECT ${LIVE}, a.unit, ${list(columnsOf(t), "d.")}
    FROM change d CROSS JOIN above a ON a.commune = d.code AND a.period = d.period
    WHERE ${changed}
    ON CONFLICT DO UPDATE SET ${addExcluded(t)}`);
}

/** Every unit above the communes, added the sums of the communes' stored rows (a rebuild, a range at a time). */
function sumAbove(t: Table, conferenceId: number, communes: Cte<"s">, pairs: Pair[]): SQL {
  const key = t.key.map((k) => `r.${snake(k)}`).join(", ");
  const sums = [...t.counts.map((c) => `SUM(r.${snake(c)})`), ...t.sums.map((c) => exact(`TOTAL(r.${snake(c)})`))];
  return withCtes(pairsCte(pairs))
    .and(communes)
    .and(aboveCte)
    .query(sql`INSERT INTO ${sql.raw(t.name)} (conference_id, unit_code, ${list(columnsOf(t))})
    SELECT ${conferenceId}, a.unit, ${sql.raw([key, ...sums].join(", "))}
    FROM above a CROSS JOIN ${sql.raw(t.name)} r
      ON r.conference_id = ${conferenceId} AND r.unit_code = a.commune AND r.period = a.period
    WHERE true
    GROUP BY a.unit, ${sql.raw(key)}
    ON CONFLICT DO UPDATE SET ${addExcluded(t)}`);
}

/** Rows of the units above the communes that no commune counts any more. */
function dropEmpty(t: Table, communes: Cte<"s">, pairs: Pair[]): SQL {
  const empty = t.name !== COVERED.name ? sql`reporting = 0 AND previous_reporting = 0` : sql`reported = 0`;
  return withCtes(pairsCte(pairs))
    .and(communes)
    .and(aboveCte)
    .query(sql`DELETE FROM ${sql.raw(t.name)} WHERE conference_id = ${LIVE} AND ${empty}
      AND (unit_code, period) IN (SELECT unit, period FROM above)`);
}

/** The live pairs a change of values in these periods touches: each period, and the year after it. */
export function livePairs(periods: Iterable<string>): Pair[] {
  const touched = new Set<string>();
  for (const period of periods) {
    touched.add(period);
    const next = nextYearPeriod(period);
    if (next) touched.add(next);
  }
  return [...touched].sort().map((period) => ({ period, compare: previousYearPeriod(period) }));
}

/**
 * What a source's write adds after its value statements, in their batch: the change of its communes' rows added to
 * every unit above them, then their own rows replaced.
 */
export function rollupWrite(communes: string[], periods: Iterable<string>): SQL[] {
  const touched = [...new Set(periods)];
  const codes = [...new Set(communes)];
  if (!codes.length || !touched.length) return [];
  const s = communesCte(codes);
  // A period's coverage counts its own values only; its figures are also the next year's comparison.
  const pairsOf = (t: Table) =>
    t.name !== COVERED.name
      ? livePairs(touched)
      : touched.map((period) => ({ period, compare: previousYearPeriod(period) }));
  return TABLES.flatMap((t) => [
    addChange(t, s, pairsOf(t)),
    deleteRows(t, LIVE, pairsOf(t), codes),
    insertCommuneRows(t, LIVE, s, pairsOf(t)),
    dropEmpty(t, s, pairsOf(t)),
  ]);
}

/**
 * What a change of these communes' values in these periods adds to its batch: the longer periods made of them built
 * again (PRODUCT.md §14), then the roll-ups of every period that moved.
 */
export async function changedValuesWrite(db: Db, codes: string[], periods: string[]): Promise<SQL[]> {
  if (!codes.length || !periods.length) return [];
  const built = periodsToBuild(periods, await registeredPhases(db));
  return [...builtStatements(codes, built), ...rollupWrite(codes, [...periods, ...built])];
}

/** Communes per statement when every commune's rows are computed again: each statement stays short. */
const COMMUNES_PER_STATEMENT = 250;

/** Code ranges that split the units with values (live, or the snapshot's) into parts of `COMMUNES_PER_STATEMENT`. */
async function communeRanges(db: Db, conferenceId: number): Promise<[string, string | null][]> {
  const codes = (
    await db.all<{ code: string }>(
      conferenceId === LIVE
        ? sql`SELECT DISTINCT unit_code AS code FROM indicator_values ORDER BY unit_code`
        : sql`SELECT DISTINCT unit_code AS code FROM snapshot_values WHERE conference_id = ${conferenceId} ORDER BY unit_code`,
    )
  ).map((r) => r.code);
  const starts = ["", ...codes.filter((_, i) => i > 0 && i % COMMUNES_PER_STATEMENT === 0)];
  return starts.map((start, i) => [start, starts[i + 1] ?? null]);
}

/**
 * Every row of the live values (or of a conference's snapshot) for these pairs, rebuilt from the values: the
 * communes' own rows a range of codes at a time, then every unit above them summed from those.
 */
export async function rollupRebuild(db: Db, conferenceId: number, pairs: Pair[]): Promise<SQL[]> {
  if (!pairs.length) return [];
  const ranges = await communeRanges(db, conferenceId);
  return TABLES.flatMap((t) => [
    deleteRows(t, conferenceId, pairs, null),
    ...ranges.flatMap((range) => [
      insertCommuneRows(t, conferenceId, everyCommuneCte(conferenceId, range), pairs),
      sumAbove(t, conferenceId, everyCommuneCte(conferenceId, range), pairs),
    ]),
  ]);
}

/** A period's live roll-ups against the year before it (a deadline change recounts its lateness). */
export function periodRebuild(db: Db, period: string): Promise<SQL[]> {
  return rollupRebuild(db, LIVE, [{ period, compare: previousYearPeriod(period) }]);
}

/** A conference's pair: its period against its comparison period. */
export function conferencePair(c: { period: string; comparePeriod: string | null }): Pair {
  return { period: c.period, compare: c.comparePeriod };
}

/**
 * What rebuilds every built value and every roll-up: the values built from shorter periods, the live roll-ups for
 * every period with values (and the year after), and each frozen conference's; then marks them built. For a
 * unit-list or catalog import, in the import's own batch.
 */
export async function rebuildEverything(db: Db): Promise<SQL[]> {
  const [withValues, frozen, phases] = await Promise.all([
    db.all<{ period: string }>(sql`SELECT DISTINCT period FROM indicator_values WHERE built = 0`),
    db.all<{ id: number; period: string; comparePeriod: string | null }>(
      sql`SELECT id, period, compare_period AS comparePeriod FROM conferences WHERE frozen_at IS NOT NULL`,
    ),
    registeredPhases(db),
  ]);
  const typed = withValues.map((r) => r.period);
  const built = periodsToBuild(typed, phases);
  return [
    ...builtStatements(null, built),
    ...(await rollupRebuild(db, LIVE, livePairs([...typed, ...built]))),
    ...(await Promise.all(frozen.map((c) => rollupRebuild(db, c.id, [conferencePair(c)])))).flat(),
    sql`INSERT OR REPLACE INTO rollup_state (id, built_at) VALUES (1, ${Date.now()})`,
  ];
}

/** True once every roll-up has been built (`rollup_state`); before, reads compute from the commune values. */
export async function rollupsBuilt(db: Db): Promise<boolean> {
  const [row] = await db.all<{ built: number }>(sql`SELECT COUNT(*) AS built FROM rollup_state`);
  return Boolean(row?.built);
}

/**
 * A database from before roll-ups (or whose build never finished): builds them all, once, before a sync or a job
 * of it writes anything. Whatever a write added meanwhile is dropped first.
 */
export async function ensureRollups(db: Db): Promise<void> {
  if (await rollupsBuilt(db)) return;
  await runBatch(db, [...TABLES.map((t) => sql`DELETE FROM ${sql.raw(t.name)}`), ...(await rebuildEverything(db))]);
}
