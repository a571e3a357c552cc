/** A unit's key figures for a period, with the comparison period beside them (PRODUCT.md §7, §9). */

import { DEFAULT_HEADLINES } from "../../domain/indicators";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { deadlineOf } from "../db/periods";
import { lastSyncAt } from "../db/runs";
import { type ComparableRow, type Coverage, comparableRows, coverage, type FigureRow, figureRows } from "../db/values";
import type { Indicator } from "../reference/catalog";
import { cachedFigures } from "./cache";
import { type ResolvedUnit, resolveScope } from "./resolve";

export type SummaryIndicator = {
  code: string;
  label: string;
  unit: string;
  kind: Indicator["kind"];
  group: string;
  value: number | null;
  previous: number | null;
  /** Communes the figure covers: for a ratio, those that reported both parts; for a flag, the M of “N of M”. */
  reporting: number;
  previousReporting: number;
  approximate: boolean;
  /** Some part comes from a sheet whose locale is not Vietnamese, where Google may have misread a typed number. */
  doubtful: boolean;
  /** Place among the figures a conference leads with (the catalog's `headline`); null for the others. */
  headline: number | null;
  /** Like for like: both periods over the communes that have the figure in both; null when none has. */
  comparable: Comparable | null;
};

/** A change is said only over the same communes (`communes` of them), never between different sets. */
export type Comparable = { value: number; previous: number; communes: number };

export type Summary = {
  unit: ResolvedUnit;
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  conference: { id: number; title: string } | null;
  deadline: string;
  coverage: Coverage;
  indicators: SummaryIndicator[];
};

export type Figure = { value: number | null; reporting: number; approximate: boolean; doubtful: boolean };

/** A figure from its grouped row: a sum, or a ratio as a percentage of Σ numerator / Σ denominator. */
export function figureOf(row: FigureRow | undefined, kind: Indicator["kind"]): Figure {
  if (!row || !row.reporting) return { value: null, reporting: 0, approximate: false, doubtful: false };
  const value =
    kind === "ratio" ? (row.denominator ? (100 * (row.numerator ?? 0)) / row.denominator : null) : row.total;
  return { value, reporting: row.reporting, approximate: Boolean(row.approximate), doubtful: Boolean(row.doubtful) };
}

/** The like-for-like pair from its row; null without a commune in both periods (or a ratio without a denominator). */
export function comparableOf(row: ComparableRow | undefined, kind: Indicator["kind"]): Comparable | null {
  if (!row || !row.communes) return null;
  if (kind !== "ratio") return { value: row.total ?? 0, previous: row.previousTotal ?? 0, communes: row.communes };
  if (!row.denominator || !row.previousDenominator) return null;
  const value = (100 * (row.numerator ?? 0)) / row.denominator;
  return { value, previous: (100 * (row.previousNumerator ?? 0)) / row.previousDenominator, communes: row.communes };
}

export function buildSummary(
  db: Db,
  unitCode: string,
  period: string,
  compare: string | null,
  conferenceId: number | null = null,
): Promise<Summary> {
  return cachedFigures(db, JSON.stringify(["summary", unitCode, period, compare, conferenceId]), () =>
    computeSummary(db, unitCode, period, compare, conferenceId),
  );
}

async function computeSummary(
  db: Db,
  unitCode: string,
  period: string,
  compare: string | null,
  conferenceId: number | null,
): Promise<Summary> {
  const { scope, unit, conference, frozen } = await resolveScope(db, unitCode, period, conferenceId);
  const periods = compare && compare !== period ? [period, compare] : [period];
  const comparing = periods.length === 2 ? compare : null;
  const [catalog, rows, same, deadline, asOf] = await Promise.all([
    listIndicators(db),
    figureRows(db, scope, periods),
    comparing ? comparableRows(db, scope, period, comparing) : Promise.resolve([]),
    deadlineOf(db, period),
    frozen ? Promise.resolve(conference!.frozenAt) : lastSyncAt(db),
  ]);
  const sameByCode = new Map(same.map((r) => [r.key, r]));
  // A catalog imported before it had a `headline` column leads with the speech's figures.
  const named = catalog.some((i) => i.headline !== null);
  const headlineOf = (i: Indicator) =>
    named ? i.headline : DEFAULT_HEADLINES.includes(i.code) ? DEFAULT_HEADLINES.indexOf(i.code) + 1 : null;
  const required = catalog.filter((i) => i.required && i.kind !== "ratio").map((i) => i.code);
  const cov = await coverage(db, scope, period, required, deadline);
  const byKey = new Map(rows.map((r) => [`${r.period}|${r.indicatorCode}`, r]));
  return {
    unit,
    period,
    compare,
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    frozen,
    conference: conference ? { id: conference.id, title: conference.title } : null,
    deadline: new Date(deadline).toISOString(),
    coverage: cov,
    indicators: catalog.map((ind) => {
      const now = figureOf(byKey.get(`${period}|${ind.code}`), ind.kind);
      const before = compare ? figureOf(byKey.get(`${compare}|${ind.code}`), ind.kind) : null;
      return {
        code: ind.code,
        label: ind.label,
        unit: ind.unit,
        kind: ind.kind,
        group: ind.group,
        value: now.value,
        previous: before?.value ?? null,
        reporting: now.reporting,
        previousReporting: before?.reporting ?? 0,
        approximate: now.approximate,
        doubtful: now.doubtful,
        headline: headlineOf(ind),
        comparable: comparableOf(sameByCode.get(ind.code), ind.kind),
      };
    }),
  };
}
