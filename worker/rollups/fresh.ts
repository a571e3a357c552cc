/**
 * The CTEs every roll-up statement is made of: the pairs of periods, the communes a statement covers (`s`), each
 * commune's own rows computed from its values (`fresh`), and every unit above each commune (`above`).
 */
import { type SQL, sql } from "drizzle-orm";
import { defaultDeadline, parsePeriodCode } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import { LIVE } from "../db/schema";
import { COMMUNE_KINDS, childTree, listInForce, type Scope, unitTree } from "../db/units";
import { valuesJoin } from "../db/values";
import { reportingYearEnd } from "../reporting-year";
import { COVERED, type Pair, type Table } from "./columns";
import { type Cte, cte } from "./cte";

/**
 * `pairs(period, compare, ends_on, deadline)`: each pair with the end of its period (which unit list counts it) and
 * its deadline (the one an administrator set, else the default) for lateness.
 */
export function pairsCte(pairs: Pair[]): Cte<"pairs"> {
  const rows = pairs.map(({ period, compare }) => {
    const p = parsePeriodCode(period);
    if (!p) throw new Error(`not a period code: ${period}`);
    return [period, compare === period ? null : compare, p.endsOn, defaultDeadline(p, reportingYearEnd())];
  });
  return cte(sql`pairs(period, compare, ends_on, deadline) AS (
    SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2,
           COALESCE((SELECT deadline FROM periods WHERE code = j.value ->> 0), j.value ->> 3)
    FROM json_each(${JSON.stringify(rows)}) j)`);
}

/** `s(code, key)`: the given communes, each its own key. */
export function communesCte(codes: string[]): Cte<"s"> {
  return cte(sql`s(code, key) AS (SELECT value, value FROM json_each(${JSON.stringify([...new Set(codes)])}))`);
}

/** `s(code, key)`: the units with values (live, or in the conference's snapshot) with a code in [from, to). */
export function everyCommuneCte(conferenceId: number, range: [string, string | null]): Cte<"s"> {
  const to = range[1] === null ? sql`` : sql` AND unit_code < ${range[1]}`;
  const from =
    conferenceId === LIVE
      ? sql`indicator_values INDEXED BY values_rollup_idx WHERE unit_code >= ${range[0]}${to}`
      : sql`snapshot_values WHERE conference_id = ${conferenceId} AND unit_code >= ${range[0]}${to}`;
  return cte(sql`s(code, key) AS (SELECT DISTINCT unit_code, unit_code FROM ${from})`);
}

/** `s(code, key)`: the communes under the scope's unit, keyed by that unit. */
export function communesOfUnitCte(scope: Scope): Cte<"s"> {
  return cte(sql`${unitTree(scope)},
    s(code, key) AS (SELECT code, ${scope.unitCode} FROM tree WHERE kind IN ${COMMUNE_KINDS})`);
}

/** `s(code, key)`: the communes under each unit one level down, keyed by that child. */
export function communesOfChildrenCte(scope: Scope, unitKind: string): Cte<"s"> {
  return cte(sql`${childTree(scope, unitKind)},
    s(code, key) AS (SELECT code, child FROM tree WHERE kind IN ${COMMUNE_KINDS})`);
}

/**
 * The approvals a roll-up counts (PRODUCT.md §12), joined as `ap` on the commune `c` and the pair `p`: today's, or
 * those a conference froze with its snapshot.
 */
function approvalsJoin(conferenceId: number, join: "CROSS JOIN" | "LEFT JOIN", state: SQL = sql``): SQL {
  const kind = sql.raw(join);
  return conferenceId === LIVE
    ? sql`${kind} approvals ap ON ap.unit_code = c.code AND ap.period = p.period${state}`
    : sql`${kind} snapshot_approvals ap
        ON ap.conference_id = ${conferenceId} AND ap.unit_code = c.code AND ap.period = p.period${state}`;
}

/**
 * `fresh(code, period, indicator_code, …every rollups column)`: each commune's own row of each indicator for each pair.
 * A sum's value; a ratio's parts when the commune has both; the comparison period's the same way; like for like when
 * the commune has the figure in both periods. On the accepted basis, only the communes accepted for the pair's period.
 */
function figuresCte(conferenceId: number, accepted: boolean): Cte<"fresh", "pairs" | "s"> {
  const join = (alias: string, on: SQL) => valuesJoin(conferenceId, alias, on);
  const counted = accepted ? approvalsJoin(conferenceId, "CROSS JOIN", sql` AND ap.state = 'accepted'`) : sql``;
  const now = sql.raw("v.period = p.period");
  const before = sql.raw("v.period IS p.compare");
  const both = sql.raw("reporting > 0 AND previous_reporting > 0");
  return cte(sql`
    ratio_codes(code) AS (SELECT code FROM indicators WHERE kind = 'ratio' AND active = 1),
    own AS (
      SELECT c.code AS code, p.period AS period, v.indicator_code AS indicator_code,
             TOTAL(CASE WHEN ${now} THEN v.value END) AS total, 0 AS numerator, 0 AS denominator,
             SUM(${now}) AS reporting, SUM(${now} AND v.approximate) AS approximate, SUM(${now} AND v.doubtful) AS doubtful,
             SUM(${now} AND v.built) AS built,
             TOTAL(CASE WHEN ${before} THEN v.value END) AS previous_total, 0 AS previous_numerator,
             0 AS previous_denominator, SUM(${before}) AS previous_reporting
      FROM pairs p CROSS JOIN s c ${counted} ${join("v", sql`v.unit_code = c.code AND v.period IN (p.period, p.compare)`)}
      WHERE v.indicator_code NOT IN (SELECT code FROM ratio_codes)
      GROUP BY c.code, p.period, v.indicator_code
      UNION ALL
      SELECT c.code, p.period, r.code, 0,
             TOTAL(CASE WHEN n.period = p.period THEN n.value END), TOTAL(CASE WHEN n.period = p.period THEN d.value END),
             SUM(n.period = p.period), SUM(n.period = p.period AND (n.approximate OR d.approximate)),
             SUM(n.period = p.period AND (n.doubtful OR d.doubtful)), SUM(n.period = p.period AND (n.built OR d.built)), 0,
             TOTAL(CASE WHEN n.period IS p.compare THEN n.value END), TOTAL(CASE WHEN n.period IS p.compare THEN d.value END),
             SUM(n.period IS p.compare)
      FROM pairs p CROSS JOIN s c ${counted} CROSS JOIN indicators r
      ${join("n", sql`n.unit_code = c.code AND n.indicator_code = r.numerator AND n.period IN (p.period, p.compare)`)}
      ${join("d", sql`d.unit_code = c.code AND d.indicator_code = r.denominator AND d.period = n.period`)}
      WHERE r.kind = 'ratio' AND r.active = 1
      GROUP BY c.code, p.period, r.code
    ),
    fresh AS (
      SELECT code, period, indicator_code, reporting, approximate, doubtful, built, previous_reporting,
             ${both} AS same_communes, total, numerator, denominator, previous_total, previous_numerator,
             previous_denominator, IIF(${both}, total, 0) AS same_total,
             IIF(${both}, previous_total, 0) AS same_previous, IIF(${both}, numerator, 0) AS same_numerator,
             IIF(${both}, denominator, 0) AS same_denominator,
             IIF(${both}, previous_numerator, 0) AS same_previous_numerator,
             IIF(${both}, previous_denominator, 0) AS same_previous_denominator
      FROM own
    )`);
}

/**
 * `fresh(code, period, reported, complete, late, timeliness_unknown, submitted, accepted, submitted_on_time)`: each
 * commune that reported in each pair's period: complete = every required indicator; late = its first value after the
 * deadline from a sheet watched before it; timeliness unknown = its first value after the deadline from a sheet
 * registered only after it; submitted, accepted = its approval (§12; a conference's as it froze them), on time =
 * submitted before the deadline.
 */
function coverageCte(conferenceId: number): Cte<"fresh", "pairs" | "s"> {
  // A frozen snapshot keeps when each value was written, which stands in for when it first arrived.
  const firstAt = conferenceId === LIVE ? sql`v.first_written_at` : sql`v.written_at`;
  return cte(sql`
    required(code) AS (SELECT code FROM indicators WHERE required = 1 AND kind != 'ratio' AND active = 1),
    own AS (
      SELECT c.code AS code, p.period AS period, p.deadline AS deadline,
             SUM(v.indicator_code IN (SELECT code FROM required)) AS required_count,
             MIN(${firstAt}) AS first_at, MIN(src.created_at) AS watched_since,
             MIN(ap.state) AS state, MIN(ap.submitted_at) AS submitted_at
      FROM pairs p CROSS JOIN s c ${valuesJoin(conferenceId, "v", sql`v.unit_code = c.code AND v.period = p.period`)}
      LEFT JOIN sources src ON src.id = v.source_id
      ${approvalsJoin(conferenceId, "LEFT JOIN")}
      GROUP BY c.code, p.period
    ),
    fresh AS (
      SELECT code, period, 1 AS reported, required_count >= (SELECT COUNT(*) FROM required) AS complete,
             first_at > deadline AND COALESCE(watched_since <= deadline, 0) AS late,
             first_at > deadline AND (watched_since IS NULL OR watched_since > deadline) AS timeliness_unknown,
             COALESCE(state IN ('submitted', 'accepted'), 0) AS submitted, COALESCE(state = 'accepted', 0) AS accepted,
             COALESCE(state IN ('submitted', 'accepted') AND submitted_at <= deadline, 0) AS submitted_on_time
      FROM own
    )`);
}

/** The communes' own rows of the table (its `fresh`), from the live values or a conference's snapshot. */
export function freshCte(t: Table, conferenceId: number): Cte<"fresh", "pairs" | "s"> {
  return t.name === COVERED.name ? coverageCte(conferenceId) : figuresCte(conferenceId, t.accepted);
}

/**
 * `above(period, commune, unit)`: for each commune of `s` in the unit list in force at the end of each pair's
 * period, every unit above it, `VN` included.
 */
export const aboveCte: Cte<"above", "pairs" | "s"> = cte(sql`
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
    )`);
