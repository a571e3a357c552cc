/**
 * Roll-ups (PRODUCT.md §7): every figure a summary or a breakdown shows, kept in `rollups` and `rollup_coverage` as
 * the values change, so that a read costs the same for a province of 40 communes and for the whole country.
 *
 * Each commune has its own rows (its values, its ratios' parts, its like-for-like pairs), computed from its values;
 * every unit above it — district, province, `VN` — holds the sums of its communes' rows. A source's write changes
 * them in the values' own batch: its communes' rows are computed again from the new values, and only their change is
 * added to every unit above. Sums are rounded to 6 decimals after each addition unless whole, so that taking a value
 * out and putting it back leaves no floating-point residue. A unit-list or catalog import, a deadline change and a
 * conference's freeze rebuild what they affect, also in their own batch.
 *
 * Live rows exist for every period with values and the year after it (whose comparison is that period); a frozen
 * conference's for its own period against its comparison period. A figure under another comparison (or a frozen
 * conference's other periods) is computed by the same SQL from the commune values, and so is every figure until the
 * roll-ups have been built once (`rollup_state`).
 *
 * Every statement's text is the same on every call, its data bound (JSON arrays through `json_each`), so the database
 * can keep each compiled. */
import { type SQL, sql } from "drizzle-orm";
import { defaultDeadline, nextYearPeriod, parsePeriodCode, previousYearPeriod } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import { runBatch } from "./batch";
import type { Db } from "./client";
import { COMMUNE_KINDS, childRoots, childTree, listInForce, type Scope, unitTree } from "./units";

/** Live values; a frozen conference's rows carry its id. */
export const LIVE = 0;

/** A period and the one it is compared with (none: null). */
export type Pair = { period: string; compare: string | null };

const SUMS = [
  "total",
  "numerator",
  "denominator",
  "previous_total",
  "previous_numerator",
  "previous_denominator",
  "same_total",
  "same_previous",
  "same_numerator",
  "same_denominator",
  "same_previous_numerator",
  "same_previous_denominator",
] as const;
const COUNTS = ["reporting", "approximate", "doubtful", "previous_reporting", "same_communes"] as const;
const COVERAGE = ["reported", "complete", "late", "timeliness_unknown"] as const;

type Table = { name: "rollups" | "rollup_coverage"; key: string[]; sums: readonly string[]; counts: readonly string[] };
const FIGURES: Table = { name: "rollups", key: ["period", "indicator_code"], sums: SUMS, counts: COUNTS };
const COVERED: Table = { name: "rollup_coverage", key: ["period"], sums: [], counts: COVERAGE };

const raw = (names: readonly string[], prefix = "") => sql.raw(names.map((n) => prefix + n).join(", "));

/**
 * `pairs(period, compare, ends_on, deadline)`: each pair with the end of its period (which unit list counts it) and
 * its deadline (the one an administrator set, else the default) for lateness.
 */
function pairsCte(pairs: Pair[]): SQL {
  const rows = pairs.map(({ period, compare }) => {
    const p = parsePeriodCode(period)!;
    return [period, compare === period ? null : compare, p.endsOn, defaultDeadline(p)];
  });
  return sql`pairs(period, compare, ends_on, deadline) AS (
    SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2,
           COALESCE((SELECT deadline FROM periods WHERE code = j.value ->> 0), j.value ->> 3)
    FROM json_each(${JSON.stringify(rows)}) j)`;
}

/**
 * The values a conference froze, or the live ones, joined as `alias`. CROSS JOIN keeps SQLite's join order: start
 * from the communes and read each one's values through the covering index, instead of walking every value of a period.
 */
export function valuesJoin(conferenceId: number, alias: string, on: SQL): SQL {
  const a = sql.raw(alias);
  return conferenceId === LIVE
    ? sql`CROSS JOIN indicator_values ${a} INDEXED BY values_rollup_idx ON ${on}`
    : sql`CROSS JOIN snapshot_values ${a} ON ${a}.conference_id = ${conferenceId} AND ${on}`;
}

/**
 * `fresh(code, period, indicator_code, …every rollups column)`: each commune's own row of each indicator for each pair
 * (needs `pairs` and `s`). A sum's value; a ratio's parts when the commune has both; the comparison period's the
 * same way; like for like when the commune has the figure in both periods.
 */
function partsCte(conferenceId: number): SQL {
  const join = (alias: string, on: SQL) => valuesJoin(conferenceId, alias, on);
  const now = sql.raw("v.period = p.period");
  const before = sql.raw("v.period IS p.compare");
  const both = "reporting > 0 AND previous_reporting > 0";
  return sql`
    ratio_codes(code) AS (SELECT code FROM indicators WHERE kind = 'ratio' AND active = 1),
    own AS (
      SELECT c.code AS code, p.period AS period, v.indicator_code AS indicator_code,
             TOTAL(CASE WHEN ${now} THEN v.value END) AS total, 0 AS numerator, 0 AS denominator,
             SUM(${now}) AS reporting, SUM(${now} AND v.approximate) AS approximate, SUM(${now} AND v.doubtful) AS doubtful,
             TOTAL(CASE WHEN ${before} THEN v.value END) AS previous_total, 0 AS previous_numerator,
             0 AS previous_denominator, SUM(${before}) AS previous_reporting
      FROM pairs p CROSS JOIN s c ${join("v", sql`v.unit_code = c.code AND v.period IN (p.period, p.compare)`)}
      WHERE v.indicator_code NOT IN (SELECT code FROM ratio_codes)
      GROUP BY c.code, p.period, v.indicator_code
      UNION ALL
      SELECT c.code, p.period, r.code, 0,
             TOTAL(CASE WHEN n.period = p.period THEN n.value END), TOTAL(CASE WHEN n.period = p.period THEN d.value END),
             SUM(n.period = p.period), SUM(n.period = p.period AND (n.approximate OR d.approximate)),
             SUM(n.period = p.period AND (n.doubtful OR d.doubtful)), 0,
             TOTAL(CASE WHEN n.period IS p.compare THEN n.value END), TOTAL(CASE WHEN n.period IS p.compare THEN d.value END),
             SUM(n.period IS p.compare)
      FROM pairs p CROSS JOIN s c CROSS JOIN indicators r
      ${join("n", sql`n.unit_code = c.code AND n.indicator_code = r.numerator AND n.period IN (p.period, p.compare)`)}
      ${join("d", sql`d.unit_code = c.code AND d.indicator_code = r.denominator AND d.period = n.period`)}
      WHERE r.kind = 'ratio' AND r.active = 1
      GROUP BY c.code, p.period, r.code
    ),
    fresh AS (
      SELECT code, period, indicator_code, reporting, approximate, doubtful, previous_reporting,
             ${sql.raw(both)} AS same_communes, total, numerator, denominator, previous_total, previous_numerator,
             previous_denominator, IIF(${sql.raw(both)}, total, 0) AS same_total,
             IIF(${sql.raw(both)}, previous_total, 0) AS same_previous, IIF(${sql.raw(both)}, numerator, 0) AS same_numerator,
             IIF(${sql.raw(both)}, denominator, 0) AS same_denominator,
             IIF(${sql.raw(both)}, previous_numerator, 0) AS same_previous_numerator,
             IIF(${sql.raw(both)}, previous_denominator, 0) AS same_previous_denominator
      FROM own
    )`;
}

/**
 * `fresh(code, period, reported, complete, late, timeliness_unknown)`: each commune that reported in each pair's
 * period (needs `pairs` and `s`): complete = every required indicator; late = its first value after the deadline from
 * a sheet watched before it; timeliness unknown = its first value after the deadline from a sheet registered only
 * after it.
 */
function coveredCte(conferenceId: number): SQL {
  // A frozen snapshot keeps when each value was written, which stands in for when it first arrived.
  const firstAt = conferenceId === LIVE ? sql`v.first_written_at` : sql`v.written_at`;
  return sql`
    required(code) AS (SELECT code FROM indicators WHERE required = 1 AND kind != 'ratio' AND active = 1),
    own AS (
      SELECT c.code AS code, p.period AS period, p.deadline AS deadline,
             SUM(v.indicator_code IN (SELECT code FROM required)) AS required_count,
             MIN(${firstAt}) AS first_at, MIN(src.created_at) AS watched_since
      FROM pairs p CROSS JOIN s c ${valuesJoin(conferenceId, "v", sql`v.unit_code = c.code AND v.period = p.period`)}
      LEFT JOIN sources src ON src.id = v.source_id
      GROUP BY c.code, p.period
    ),
    fresh AS (
      SELECT code, period, 1 AS reported, required_count >= (SELECT COUNT(*) FROM required) AS complete,
             first_at > deadline AND COALESCE(watched_since <= deadline, 0) AS late,
             first_at > deadline AND (watched_since IS NULL OR watched_since > deadline) AS timeliness_unknown
      FROM own
    )`;
}

const freshCte = (t: Table, conferenceId: number) =>
  t === FIGURES ? partsCte(conferenceId) : coveredCte(conferenceId);

/**
 * `above(period, commune, unit)`: for each commune of `s` in the unit list in force at the end of each pair's
 * period, every unit above it, `VN` included (needs `pairs`).
 */
const aboveCte = sql`
    lists(period, list) AS (SELECT p.period, ${listInForce(sql`p.ends_on`)} FROM pairs p),
    placed(period, list, code) AS (
      SELECT l.period, l.list, u.code FROM lists l CROSS JOIN s c
      CROSS JOIN units u ON u.valid_from = l.list AND u.code = c.code WHERE u.kind IN ${COMMUNE_KINDS}
    ),
    up(period, list, commune, unit) AS (
      SELECT p.period, p.list, p.code, u.parent_code FROM placed p
      CROSS JOIN units u ON u.valid_from = p.list AND u.code = p.code WHERE u.parent_code IS NOT NULL
      UNION ALL
      SELECT a.period, a.list, a.commune, u.parent_code FROM up a
      CROSS JOIN units u ON u.valid_from = a.list AND u.code = a.unit WHERE u.parent_code IS NOT NULL
    ),
    above(period, commune, unit) AS (
      SELECT period, commune, unit FROM up UNION ALL SELECT period, code, ${NATIONAL} FROM placed
    )`;

/** `s(code, key)`: the given communes, each its own key. */
function communesCte(codes: string[]): SQL {
  return sql`s(code, key) AS (SELECT value, value FROM json_each(${JSON.stringify([...new Set(codes)])}))`;
}

/** `s(code, key)`: the units with values (live, or in the conference's snapshot) with a code in [from, to). */
function everyCommuneCte(conferenceId: number, range: [string, string | null]): SQL {
  const to = range[1] === null ? sql`` : sql` AND unit_code < ${range[1]}`;
  const from =
    conferenceId === LIVE
      ? sql`indicator_values INDEXED BY values_rollup_idx WHERE unit_code >= ${range[0]}${to}`
      : sql`snapshot_values WHERE conference_id = ${conferenceId} AND unit_code >= ${range[0]}${to}`;
  return sql`s(code, key) AS (SELECT DISTINCT unit_code, unit_code FROM ${from})`;
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

const periodsOf = (pairs: Pair[]) => JSON.stringify(pairs.map((p) => p.period));
const names = (t: Table) => [...t.key, ...t.counts, ...t.sums];
/**
 * A sum kept exact: added in floating point, then rounded to 6 decimals unless it is whole (the rounding is what
 * costs, and counts and most values are whole).
 */
const exact = (x: string) => `IIF(${x} = CAST(${x} AS INTEGER), ${x}, ROUND(${x}, 6))`;

/** `ON CONFLICT DO UPDATE SET …`: the proposed row added to the stored one. */
function addExcluded(t: Table): SQL {
  return sql.raw(
    [
      ...t.counts.map((c) => `${c} = ${c} + excluded.${c}`),
      ...t.sums.map((c) => `${c} = ${exact(`${c} + excluded.${c}`)}`),
    ].join(", "),
  );
}

/** The communes' own rows for the pairs' periods, computed from their values (after any old ones were deleted). */
function insertCommuneRows(t: Table, conferenceId: number, s: SQL, pairs: Pair[]): SQL {
  return sql`WITH RECURSIVE ${pairsCte(pairs)}, ${s}, ${freshCte(t, conferenceId)}
    INSERT INTO ${sql.raw(t.name)} (conference_id, unit_code, ${raw(names(t))})
    SELECT ${conferenceId}, code, ${raw(names(t))} FROM fresh WHERE true`;
}

function deleteRows(t: Table, conferenceId: number, pairs: Pair[], codes: string[] | null): SQL {
  const only = codes ? sql` AND unit_code IN (SELECT value FROM json_each(${JSON.stringify(codes)}))` : sql``;
  return sql`DELETE FROM ${sql.raw(t.name)} WHERE conference_id = ${conferenceId}${only}
    AND period IN (SELECT value FROM json_each(${periodsOf(pairs)}))`;
}

/**
 * The change of the communes' own rows (their values now against their stored rows), added to every unit above
 * them: only rows that differ, so a re-read sheet with one cell changed moves one figure of each unit above it.
 */
function addChange(t: Table, s: SQL, pairs: Pair[]): SQL {
  const table = sql.raw(t.name);
  const cols = [...t.counts, ...t.sums];
  const same = t.key.map((k) => `o.${k} = f.${k}`).join(" AND ");
  const keys = raw(t.key, "f.");
  // Each fresh row against its stored row (a primary-key lookup), then the stored rows nothing fresh replaces.
  return sql`WITH RECURSIVE ${pairsCte(pairs)}, ${s}, ${freshCte(t, LIVE)}, ${aboveCte},
    change AS (
      SELECT f.code AS code, ${keys}, ${sql.raw(cols.map((c) => `f.${c} - COALESCE(o.${c}, 0) AS ${c}`).join(", "))}
      FROM fresh f LEFT JOIN ${table} o ON o.conference_id = ${LIVE} AND o.unit_code = f.code AND ${sql.raw(same)}
      UNION ALL
      SELECT o.unit_code, ${raw(t.key, "o.")}, ${sql.raw(cols.map((c) => `-o.${c}`).join(", "))}
      FROM s CROSS JOIN ${table} o
        ON o.conference_id = ${LIVE} AND o.unit_code = s.code AND o.period IN (SELECT period FROM pairs)
      LEFT JOIN fresh f ON f.code = o.unit_code AND ${sql.raw(same)}
      WHERE f.code IS NULL
    )
    INSERT INTO ${table} (conference_id, unit_code, ${raw(names(t))})
    SELECT ${LIVE}, a.unit, ${raw(names(t), "d.")}
    FROM change d CROSS JOIN above a ON a.commune = d.code AND a.period = d.period
    WHERE ${sql.raw(cols.map((c) => `d.${c} != 0`).join(" OR "))}
    ON CONFLICT DO UPDATE SET ${addExcluded(t)}`;
}

/** Every unit above the communes, added the sums of the communes' stored rows (a rebuild, a range at a time). */
function sumAbove(t: Table, conferenceId: number, s: SQL, pairs: Pair[]): SQL {
  const key = t.key.map((k) => `r.${k}`).join(", ");
  const sums = [...t.counts.map((c) => `SUM(r.${c})`), ...t.sums.map((c) => exact(`TOTAL(r.${c})`))];
  return sql`WITH RECURSIVE ${pairsCte(pairs)}, ${s}, ${aboveCte}
    INSERT INTO ${sql.raw(t.name)} (conference_id, unit_code, ${raw(names(t))})
    SELECT ${conferenceId}, a.unit, ${sql.raw([key, ...sums].join(", "))}
    FROM above a CROSS JOIN ${sql.raw(t.name)} r
      ON r.conference_id = ${conferenceId} AND r.unit_code = a.commune AND r.period = a.period
    WHERE true
    GROUP BY a.unit, ${sql.raw(key)}
    ON CONFLICT DO UPDATE SET ${addExcluded(t)}`;
}

/** Rows of the units above the communes that no commune counts any more. */
function dropEmpty(t: Table, s: SQL, pairs: Pair[]): SQL {
  const empty = t === FIGURES ? sql`reporting = 0 AND previous_reporting = 0` : sql`reported = 0`;
  return sql`WITH RECURSIVE ${pairsCte(pairs)}, ${s}, ${aboveCte}
    DELETE FROM ${sql.raw(t.name)} WHERE conference_id = ${LIVE} AND ${empty}
      AND (unit_code, period) IN (SELECT unit, period FROM above)`;
}

/** The live pairs a change of values in these periods touches: each period, and the year after it. */
function livePairs(periods: Iterable<string>): Pair[] {
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
    t === FIGURES ? livePairs(touched) : touched.map((period) => ({ period, compare: previousYearPeriod(period) }));
  return [FIGURES, COVERED].flatMap((t) => [
    addChange(t, s, pairsOf(t)),
    deleteRows(t, LIVE, pairsOf(t), codes),
    insertCommuneRows(t, LIVE, s, pairsOf(t)),
    dropEmpty(t, s, pairsOf(t)),
  ]);
}

/**
 * Every row of the live values (or of a conference's snapshot) for these pairs, rebuilt from the values: the
 * communes' own rows a range of codes at a time, then every unit above them summed from those.
 */
export async function rollupRebuild(db: Db, conferenceId: number, pairs: Pair[]): Promise<SQL[]> {
  if (!pairs.length) return [];
  const ranges = await communeRanges(db, conferenceId);
  return [FIGURES, COVERED].flatMap((t) => [
    deleteRows(t, conferenceId, pairs, null),
    ...ranges.flatMap((range) => [
      insertCommuneRows(t, conferenceId, everyCommuneCte(conferenceId, range), pairs),
      sumAbove(t, conferenceId, everyCommuneCte(conferenceId, range), pairs),
    ]),
  ]);
}

/** A conference's pair: its period against its comparison period. */
export function conferencePair(c: { period: string; comparePeriod: string | null }): Pair {
  return { period: c.period, compare: c.comparePeriod };
}

/**
 * What rebuilds every roll-up: the live ones for every period with values (and the year after), and each frozen
 * conference's; then marks them built. For a unit-list or catalog import, in the import's own batch.
 */
export async function rebuildEverything(db: Db): Promise<SQL[]> {
  const [withValues, frozen] = await Promise.all([
    db.all<{ period: string }>(sql`SELECT DISTINCT period FROM indicator_values`),
    db.all<{ id: number; period: string; comparePeriod: string | null }>(
      sql`SELECT id, period, compare_period AS comparePeriod FROM conferences WHERE frozen_at IS NOT NULL`,
    ),
  ]);
  return [
    ...(await rollupRebuild(db, LIVE, livePairs(withValues.map((r) => r.period)))),
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
  await runBatch(db, [sql`DELETE FROM rollups`, sql`DELETE FROM rollup_coverage`, ...(await rebuildEverything(db))]);
}

/** A figure's row, as `rollups` keeps it (`key` is the unit). */
export type RollupRow = {
  key: string;
  period: string;
  indicatorCode: string;
  total: number;
  numerator: number;
  denominator: number;
  reporting: number;
  approximate: number;
  doubtful: number;
  previousTotal: number;
  previousNumerator: number;
  previousDenominator: number;
  previousReporting: number;
  sameCommunes: number;
  sameTotal: number;
  samePrevious: number;
  sameNumerator: number;
  sameDenominator: number;
  samePreviousNumerator: number;
  samePreviousDenominator: number;
};

export type CoverageRow = { reported: number; complete: number; late: number; timelinessUnknown: number };

/**
 * expected = communes under the unit; reported = communes with at least one value; complete = communes with every
 * required indicator; late = communes whose first value for the period arrived after `deadline` although the product
 * was watching their sheet before it (registered before the deadline); timelinessUnknown = communes whose first
 * value arrived after the deadline from a sheet registered only after it — whether they were late cannot be known.
 */
export type Coverage = CoverageRow & { expected: number };

const camel = (c: string) => c.replace(/_(\w)/g, (_, x: string) => x.toUpperCase());
const rowColumns = (prefix: string) =>
  sql.raw(
    names(FIGURES)
      .map((c) => `${prefix}${c} AS ${camel(c)}`)
      .join(", "),
  );
/** The communes' rows of `fresh f` summed, named as a stored row reads. */
const summed = (t: Table) =>
  sql.raw(
    [
      ...t.key.map((k) => `f.${k} AS ${camel(k)}`),
      ...t.counts.map((c) => `SUM(f.${c}) AS ${camel(c)}`),
      ...t.sums.map((c) => `${exact(`TOTAL(f.${c})`)} AS ${camel(c)}`),
    ].join(", "),
  );

/**
 * Where a figure of (unit, period, comparison) is read: the stored rows (live under the default comparison, or a
 * frozen conference's own pair), else computed from the commune values by the same SQL.
 */
export type FigureSource = { conferenceId: number; stored: boolean; pair: Pair };

export function figureSource(
  scope: Scope,
  conference: { period: string; comparePeriod: string | null } | null,
  period: string,
  compare: string | null,
  built: boolean,
): FigureSource {
  const wanted = compare === period ? null : compare;
  const pair = { period, compare: wanted };
  if (scope.conferenceId === null)
    return { conferenceId: LIVE, stored: built && (wanted === null || wanted === previousYearPeriod(period)), pair };
  const own = conference!.comparePeriod === period ? null : conference!.comparePeriod;
  return {
    conferenceId: scope.conferenceId,
    stored: built && conference!.period === period && (wanted === null || wanted === own),
    pair,
  };
}

/** Every indicator's row of the unit, then its coverage (`coverageOf` reads it): two queries to run together. */
export function unitFigureQueries(scope: Scope, from: FigureSource): [SQL, SQL] {
  const { conferenceId, pair } = from;
  if (from.stored)
    return [
      sql`SELECT unit_code AS key, ${rowColumns("")} FROM rollups
        WHERE conference_id = ${conferenceId} AND unit_code = ${scope.unitCode} AND period = ${pair.period}`,
      sql`SELECT reported, complete, late, timeliness_unknown AS timelinessUnknown
        FROM rollup_coverage WHERE conference_id = ${conferenceId} AND unit_code = ${scope.unitCode}
        AND period = ${pair.period}`,
    ];
  const s = sql`${unitTree(scope)}, s(code, key) AS (SELECT code, ${scope.unitCode} FROM tree WHERE kind IN ${COMMUNE_KINDS})`;
  return [
    sql`WITH RECURSIVE ${pairsCte([pair])}, ${s}, ${partsCte(conferenceId)}
      SELECT s.key AS key, ${summed(FIGURES)} FROM fresh f JOIN s ON s.code = f.code GROUP BY s.key, f.indicator_code`,
    sql`WITH RECURSIVE ${pairsCte([pair])}, ${s}, ${coveredCte(conferenceId)}
      SELECT ${summed(COVERED)} FROM fresh f`,
  ];
}

/** The unit's coverage from the second of `unitFigureQueries`, with the communes it expects. */
export function coverageOf(rows: CoverageRow[], expected: number): Coverage {
  const [row] = rows;
  return row?.reported
    ? {
        expected,
        reported: row.reported,
        complete: row.complete,
        late: row.late,
        timelinessUnknown: row.timelinessUnknown,
      }
    : { expected, reported: 0, complete: 0, late: 0, timelinessUnknown: 0 };
}

/** One indicator's row for each unit one level down (`key` the child). */
export function childFigureQuery(scope: Scope, unitKind: string, indicatorCode: string, from: FigureSource): SQL {
  const { conferenceId, pair } = from;
  if (from.stored)
    return sql`
      SELECT u.code AS key, ${rowColumns("r.")} FROM units u
      CROSS JOIN rollups r ON r.conference_id = ${conferenceId} AND r.unit_code = u.code AND r.period = ${pair.period}
        AND r.indicator_code = ${indicatorCode}
      WHERE u.valid_from = ${scope.listDate} AND ${childRoots(scope, unitKind)}`;
  return sql`WITH RECURSIVE ${pairsCte([pair])}, ${childTree(scope, unitKind)},
      s(code, key) AS (SELECT code, child FROM tree WHERE kind IN ${COMMUNE_KINDS}), ${partsCte(conferenceId)}
    SELECT s.key AS key, ${summed(FIGURES)} FROM fresh f JOIN s ON s.code = f.code
    WHERE f.indicator_code = ${indicatorCode} GROUP BY s.key`;
}

/** Communes a unit expects reports from (`n`): the unit list's count (the whole country's for `VN`). */
export function expectedQuery(scope: Scope): SQL {
  const which = scope.unitCode === NATIONAL ? sql`parent_code IS NULL` : sql`code = ${scope.unitCode}`;
  return sql`SELECT COALESCE(SUM(communes), 0) AS n FROM units WHERE valid_from = ${scope.listDate} AND ${which}`;
}
