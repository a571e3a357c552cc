/** One indicator across the units one level down, including those that did not report (PRODUCT.md §9). */

import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { childUnits } from "../db/units";
import { childComparableRows, childFigureRows } from "../db/values";
import { AppError } from "../errors";
import type { Indicator } from "../reference/catalog";
import { cachedFigures } from "./cache";
import { type ResolvedUnit, resolveScope } from "./resolve";
import { type Comparable, comparableOf, figureOf } from "./summary";

type BreakdownRow = {
  unit: { code: string; name: string };
  value: number | null;
  previous: number | null;
  reporting: number;
  approximate: boolean;
  doubtful: boolean;
  /** This child against the comparison period over its communes that have the figure in both. */
  comparable: Comparable | null;
  status: "reported" | "missing";
};

export type Breakdown = {
  unit: ResolvedUnit;
  indicator: { code: string; label: string; unit: string; kind: Indicator["kind"] };
  period: string;
  compare: string | null;
  frozen: boolean;
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
): Promise<Breakdown> {
  return cachedFigures(db, JSON.stringify(["breakdown", unitCode, period, indicatorCode, compare, conferenceId]), () =>
    computeBreakdown(db, unitCode, period, indicatorCode, compare, conferenceId),
  );
}

async function computeBreakdown(
  db: Db,
  unitCode: string,
  period: string,
  indicatorCode: string,
  compare: string | null,
  conferenceId: number | null,
): Promise<Breakdown> {
  const [{ scope, unit, frozen }, indicator] = await Promise.all([
    resolveScope(db, unitCode, period, conferenceId),
    findIndicator(db, indicatorCode),
  ]);
  const periods = compare && compare !== period ? [period, compare] : [period];
  const comparing = periods.length === 2 ? compare : null;
  const [children, rows, same] = await Promise.all([
    childUnits(db, scope, unit.kind),
    childFigureRows(db, scope, unit.kind, indicator, periods),
    comparing ? childComparableRows(db, scope, unit.kind, indicator, period, comparing) : Promise.resolve([]),
  ]);
  const byKey = new Map(rows.map((r) => [`${r.child}|${r.period}`, r]));
  const sameByChild = new Map(same.map((r) => [r.key, r]));
  return {
    unit,
    indicator: { code: indicator.code, label: indicator.label, unit: indicator.unit, kind: indicator.kind },
    period,
    compare,
    frozen,
    rows: children.map((child) => {
      const now = figureOf(byKey.get(`${child.code}|${period}`), indicator.kind);
      const before = compare ? figureOf(byKey.get(`${child.code}|${compare}`), indicator.kind) : null;
      return {
        unit: { code: child.code, name: child.name },
        value: now.value,
        previous: before?.value ?? null,
        reporting: now.reporting,
        approximate: now.approximate,
        doubtful: now.doubtful,
        comparable: comparableOf(sameByChild.get(child.code), indicator.kind),
        status: now.value === null ? "missing" : "reported",
      };
    }),
  };
}
