/** One indicator across the units one level down, including those that did not report (PRODUCT.md §9). */

import { type SQL, sql } from "drizzle-orm";
import { readBatch } from "../db/batch";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { rejectedByChildQuery } from "../db/issues";
import { type ChildUnit, childUnitsQuery, type Scope } from "../db/units";
import { AppError } from "../errors";
import type { Indicator } from "../reference/catalog";
import {
  type Basis,
  type CoverageRow,
  childCoverageQuery,
  childFigureQuery,
  type FigureSource,
  figureSource,
  type RollupRow,
} from "../rollups/read";
import { cachedFigures } from "./cache";
import { type ResolvedUnit, resolveScope } from "./resolve";
import { type Comparable, comparableOf, figureOf, previousOf } from "./summary";

type BreakdownRow = {
  unit: { code: string; name: string };
  value: number | null;
  previous: number | null;
  reporting: number;
  approximate: boolean;
  doubtful: boolean;
  /** This child against the comparison period over its communes that have the figure in both. */
  comparable: Comparable | null;
  /** Built (PRODUCT.md §14): the figure (for a unit above a commune, some commune's) was made from shorter periods. */
  built: boolean;
  /** Communes of this unit whose cells of the indicator were all rejected (nothing stored): they need fixing. */
  rejected: number;
  /**
   * On the accepted basis, this unit's communes that reported but whose figures the province has not accepted (not
   * counted); 0 on the latest basis.
   */
  notAccepted: number;
  /**
   * `error`: no figure, but rejected cells — the commune reported and its sheet needs fixing; `unaccepted` (accepted
   * basis): no figure, but communes that reported and are not accepted yet; `missing`: nothing.
   */
  status: "reported" | "error" | "unaccepted" | "missing";
};

export type Breakdown = {
  unit: ResolvedUnit;
  indicator: { code: string; label: string; unit: string; kind: Indicator["kind"] };
  period: string;
  compare: string | null;
  frozen: boolean;
  basis: Basis;
  rows: BreakdownRow[];
};

async function findIndicator(db: Db, code: string): Promise<Indicator> {
  const indicator = (await listIndicators(db)).find((i) => i.code === code);
  if (!indicator) throw new AppError("not_found", `Không có chỉ tiêu mã “${code}”`);
  return indicator;
}

export function buildBreakdown(
  db: Db,
  unitCode: string,
  period: string,
  indicatorCode: string,
  compare: string | null,
  conferenceId: number | null = null,
  basis: Basis = "latest",
): Promise<Breakdown> {
  const key = JSON.stringify(["breakdown", unitCode, period, indicatorCode, compare, conferenceId, basis]);
  return cachedFigures(db, key, () =>
    computeBreakdown(db, unitCode, period, indicatorCode, compare, conferenceId, basis),
  );
}

/**
 * A breakdown's one round trip: the children, their rows, (live) their communes whose cells were rejected, and (on
 * the accepted basis) their coverage, which says how many reported without being accepted.
 */
export function breakdownQueries(
  scope: Scope,
  unitKind: string,
  indicator: Pick<Indicator, "code" | "kind" | "numerator" | "denominator">,
  from: FigureSource,
  period: string,
): SQL[] {
  // A ratio's cells are its parts'.
  const cells = indicator.kind === "ratio" ? [indicator.numerator, indicator.denominator] : [indicator.code];
  return [
    childUnitsQuery(scope, unitKind),
    childFigureQuery(scope, unitKind, indicator.code, from),
    scope.conferenceId === null
      ? rejectedByChildQuery(
          scope,
          unitKind,
          period,
          cells.filter((c): c is string => c !== null),
        )
      : sql`SELECT NULL AS key, 0 AS n WHERE 0`,
    from.basis === "accepted" ? childCoverageQuery(scope, unitKind, from) : sql`SELECT NULL AS key WHERE 0`,
  ];
}

async function computeBreakdown(
  db: Db,
  unitCode: string,
  period: string,
  indicatorCode: string,
  compare: string | null,
  conferenceId: number | null,
  basis: Basis,
): Promise<Breakdown> {
  const [{ scope, unit, conference, frozen, built }, indicator] = await Promise.all([
    resolveScope(db, unitCode, period, conferenceId),
    findIndicator(db, indicatorCode),
  ]);
  const from = figureSource(scope, conference, period, compare, built, basis);
  const comparing = from.pair.compare !== null;
  const [children, rows, rejected, covered] = await readBatch<
    [ChildUnit[], RollupRow[], { key: string; n: number }[], (CoverageRow & { key: string })[]]
  >(db, breakdownQueries(scope, unit.kind, indicator, from, period));
  const byChild = new Map(rows.map((r) => [r.key, r]));
  const rejectedIn = new Map(rejected.map((r) => [r.key, r.n]));
  const notAcceptedIn = new Map(covered.map((r) => [r.key, r.reported - r.accepted]));
  return {
    unit,
    indicator: { code: indicator.code, label: indicator.label, unit: indicator.unit, kind: indicator.kind },
    period,
    compare,
    frozen,
    basis,
    rows: children.map((child) => {
      const row = byChild.get(child.code);
      const now = figureOf(row, indicator.kind);
      const notAccepted = notAcceptedIn.get(child.code) ?? 0;
      return {
        unit: { code: child.code, name: child.name },
        value: now.value,
        previous: comparing ? previousOf(row, indicator.kind).value : null,
        reporting: now.reporting,
        approximate: now.approximate,
        doubtful: now.doubtful,
        built: Boolean(row?.reporting && row.built),
        comparable: comparing ? comparableOf(row, indicator.kind) : null,
        rejected: rejectedIn.get(child.code) ?? 0,
        notAccepted,
        status:
          now.value !== null
            ? "reported"
            : rejectedIn.has(child.code)
              ? "error"
              : notAccepted > 0
                ? "unaccepted"
                : "missing",
      };
    }),
  };
}
