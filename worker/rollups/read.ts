/**
 * Reading the roll-ups: a unit's figures and coverage, and one figure of each unit one level down — from the stored
 * rows (live under the default comparison, or a frozen conference's own pair), else computed from the commune
 * values by the same SQL, as every figure is until the roll-ups have been built once (`rollup_state`).
 */
import { type SQL, sql } from "drizzle-orm";
import { previousYearPeriod } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import { LIVE } from "../db/schema";
import { childRoots, type Scope } from "../db/units";
import { asRow, type Basis, COVERED, type CoverageRow, figuresOf, type Pair, summed } from "./columns";
import { withCtes } from "./cte";
import { communesOfChildrenCte, communesOfUnitCte, freshCte, pairsCte } from "./fresh";

export type { Basis, CoverageRow, RollupRow } from "./columns";

/**
 * expected = communes under the unit; reported = communes with at least one value; complete = communes with every
 * required indicator; late = communes whose first value for the period arrived after `deadline` although the product
 * was watching their sheet before it (registered before the deadline); timelinessUnknown = communes whose first
 * value arrived after the deadline from a sheet registered only after it — whether they were late cannot be known;
 * submitted = communes that confirmed their figures (or whose confirmation the province accepted), accepted = those
 * the province accepted, submittedOnTime = those that confirmed before the deadline (PRODUCT.md §12).
 */
export type Coverage = CoverageRow & { expected: number };

/**
 * Where a figure of (unit, period, comparison) is read: the stored rows (live under the default comparison, or a
 * frozen conference's own pair), else computed from the commune values by the same SQL; over every commune or over
 * the accepted ones (`basis`).
 */
export type FigureSource = { conferenceId: number; stored: boolean; pair: Pair; basis: Basis };

/** The conference a scope reads, when it reads one: its period and comparison period. */
type FrozenPair = { period: string; comparePeriod: string | null };

export function figureSource(
  scope: Scope,
  conference: FrozenPair | null,
  period: string,
  compare: string | null,
  built: boolean,
  basis: Basis = "latest",
): FigureSource {
  const wanted = compare === period ? null : compare;
  const pair = { period, compare: wanted };
  if (scope.conferenceId === null || conference === null)
    return {
      conferenceId: LIVE,
      stored: built && (wanted === null || wanted === previousYearPeriod(period)),
      pair,
      basis,
    };
  const own = conference.comparePeriod === period ? null : conference.comparePeriod;
  return {
    conferenceId: scope.conferenceId,
    stored: built && conference.period === period && (wanted === null || wanted === own),
    pair,
    basis,
  };
}

/** Every indicator's row of the unit, then its coverage (`coverageOf` reads it): two queries to run together. */
export function unitFigureQueries(scope: Scope, from: FigureSource): [SQL, SQL] {
  const { conferenceId, pair } = from;
  const figures = figuresOf(from.basis);
  if (from.stored)
    return [
      sql`SELECT unit_code AS key, ${asRow(figures, "")} FROM ${sql.raw(figures.name)}
        WHERE conference_id = ${conferenceId} AND unit_code = ${scope.unitCode} AND period = ${pair.period}`,
      sql`SELECT ${asRow({ ...COVERED, key: [] }, "")}
        FROM rollup_coverage WHERE conference_id = ${conferenceId} AND unit_code = ${scope.unitCode}
        AND period = ${pair.period}`,
    ];
  const communes = withCtes(pairsCte([pair])).and(communesOfUnitCte(scope));
  return [
    communes
      .and(freshCte(figures, conferenceId))
      .query(
        sql`SELECT s.key AS key, ${summed(figures)} FROM fresh f JOIN s ON s.code = f.code GROUP BY s.key, f.indicator_code`,
      ),
    communes.and(freshCte(COVERED, conferenceId)).query(sql`SELECT ${summed({ ...COVERED, key: [] })} FROM fresh f`),
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
        submitted: row.submitted,
        accepted: row.accepted,
        submittedOnTime: row.submittedOnTime,
      }
    : {
        expected,
        reported: 0,
        complete: 0,
        late: 0,
        timelinessUnknown: 0,
        submitted: 0,
        accepted: 0,
        submittedOnTime: 0,
      };
}

/** One indicator's row for each unit one level down (`key` the child). */
export function childFigureQuery(scope: Scope, unitKind: string, indicatorCode: string, from: FigureSource): SQL {
  const { conferenceId, pair } = from;
  const figures = figuresOf(from.basis);
  if (from.stored)
    return sql`
      SELECT u.code AS key, ${asRow(figures, "r.")} FROM units u
      CROSS JOIN ${sql.raw(figures.name)} r ON r.conference_id = ${conferenceId} AND r.unit_code = u.code AND r.period = ${pair.period}
        AND r.indicator_code = ${indicatorCode}
      WHERE u.valid_from = ${scope.listDate} AND ${childRoots(scope, unitKind)}`;
  return withCtes(pairsCte([pair]))
    .and(communesOfChildrenCte(scope, unitKind))
    .and(freshCte(figures, conferenceId))
    .query(sql`SELECT s.key AS key, ${summed(figures)} FROM fresh f JOIN s ON s.code = f.code
    WHERE f.indicator_code = ${indicatorCode} GROUP BY s.key`);
}

/** Each unit one level down's coverage (`key` the child): its reporting, submitted and accepted communes. */
export function childCoverageQuery(scope: Scope, unitKind: string, from: FigureSource): SQL {
  const { conferenceId, pair } = from;
  if (from.stored)
    return sql`
      SELECT u.code AS key, ${asRow({ ...COVERED, key: [] }, "r.")} FROM units u
      CROSS JOIN rollup_coverage r ON r.conference_id = ${conferenceId} AND r.unit_code = u.code
        AND r.period = ${pair.period}
      WHERE u.valid_from = ${scope.listDate} AND ${childRoots(scope, unitKind)}`;
  return withCtes(pairsCte([pair]))
    .and(communesOfChildrenCte(scope, unitKind))
    .and(freshCte(COVERED, conferenceId))
    .query(sql`SELECT s.key AS key, ${summed({ ...COVERED, key: [] })} FROM fresh f JOIN s ON s.code = f.code
    GROUP BY s.key`);
}

/** Communes a unit expects reports from (`n`): the unit list's count (the whole country's for `VN`). */
export function expectedQuery(scope: Scope): SQL {
  const which = scope.unitCode === NATIONAL ? sql`parent_code IS NULL` : sql`code = ${scope.unitCode}`;
  return sql`SELECT COALESCE(SUM(communes), 0) AS n FROM units WHERE valid_from = ${scope.listDate} AND ${which}`;
}
