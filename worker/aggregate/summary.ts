/** A unit's key figures for a period, with the comparison period beside them (PRODUCT.md §7, §9). */

import { type SQL, sql } from "drizzle-orm";
import { DEFAULT_HEADLINES } from "../../domain/indicators";
import { dataRange, parsePeriodCode } from "../../domain/periods";
import { readBatch } from "../db/batch";
import { type CatalogRow, catalogQuery, indicatorOf } from "../db/catalog";
import type { Db } from "../db/client";
import { rejectedUnderQuery } from "../db/issues";
import { deadlineFrom, deadlineQuery } from "../db/periods";
import { lastSyncQuery } from "../db/runs";
import { staleQuery } from "../db/sources";
import type { Scope } from "../db/units";
import { iso } from "../http/json";
import type { Indicator } from "../reference/catalog";
import { reportingYearEnd } from "../reporting-year";
import {
  type Basis,
  type Coverage,
  type CoverageRow,
  coverageOf,
  expectedQuery,
  type FigureSource,
  figureSource,
  type RollupRow,
  unitFigureQueries,
} from "../rollups/read";
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
  /** Built (PRODUCT.md §14): some commune's figure was made from the shorter periods it reported, not typed. */
  built: boolean;
  /** How many communes' figures were built; 0 when every one was typed. */
  builtCommunes: number;
  /** Place among the figures a conference leads with (the catalog's `headline`); null for the others. */
  headline: number | null;
  /** Like for like: both periods over the communes that have the figure in both; null when none has. */
  comparable: Comparable | null;
  /** A ratio's parts as it was computed: Σ numerator and Σ denominator over the `reporting` communes; else null. */
  parts: { numerator: number; denominator: number } | null;
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
  /** `accepted`: the figures count only the communes whose figures the province accepted (PRODUCT.md §12). */
  basis: Basis;
  /** The dates the period's figures cover under the movement's statistics year (PRODUCT.md §14). */
  dataRange: { from: string; to: string };
  deadline: string;
  /** `rejected`: communes with nothing stored for the period but cells rejected — they reported, their sheet needs fixing. */
  coverage: Coverage & { rejected: number };
  /**
   * Communes whose figures come (in part) from sheets that could not be read at the last sync, and the oldest of those
   * sheets' last good reads; null when there are none (and for a frozen conference, whose figures are its snapshot's).
   */
  stale: { communes: number; since: string | null } | null;
  indicators: SummaryIndicator[];
};

export type Figure = { value: number | null; reporting: number; approximate: boolean; doubtful: boolean };

const NO_FIGURE: Figure = { value: null, reporting: 0, approximate: false, doubtful: false };

/** A sum, or a ratio as a percentage of Σ numerator / Σ denominator; null when no commune counts. */
function figureValue(kind: Indicator["kind"], total: number, numerator: number, denominator: number): number | null {
  return kind === "ratio" ? (denominator ? (100 * numerator) / denominator : null) : total;
}

/** The figure of the row's period. */
export function figureOf(row: RollupRow | undefined, kind: Indicator["kind"]): Figure {
  if (!row?.reporting) return NO_FIGURE;
  return {
    value: figureValue(kind, row.total, row.numerator, row.denominator),
    reporting: row.reporting,
    approximate: row.approximate > 0,
    doubtful: row.doubtful > 0,
  };
}

/** The figure of the comparison period, over the same unit list. */
export function previousOf(row: RollupRow | undefined, kind: Indicator["kind"]): Figure {
  if (!row?.previousReporting) return NO_FIGURE;
  return {
    value: figureValue(kind, row.previousTotal, row.previousNumerator, row.previousDenominator),
    reporting: row.previousReporting,
    approximate: false,
    doubtful: false,
  };
}

/** The like-for-like pair; null without a commune in both periods (or a ratio without a denominator). */
export function comparableOf(row: RollupRow | undefined, kind: Indicator["kind"]): Comparable | null {
  if (!row?.sameCommunes) return null;
  const value = figureValue(kind, row.sameTotal, row.sameNumerator, row.sameDenominator);
  const previous = figureValue(kind, row.samePrevious, row.samePreviousNumerator, row.samePreviousDenominator);
  return value === null || previous === null ? null : { value, previous, communes: row.sameCommunes };
}

/** A period code already checked by the request. */
function parsedPeriod(code: string) {
  const p = parsePeriodCode(code);
  if (!p) throw new Error(`not a period code: ${code}`);
  return p;
}

export function buildSummary(
  db: Db,
  unitCode: string,
  period: string,
  compare: string | null,
  conferenceId: number | null = null,
  basis: Basis = "latest",
): Promise<Summary> {
  return cachedFigures(db, JSON.stringify(["summary", unitCode, period, compare, conferenceId, basis]), () =>
    computeSummary(db, unitCode, period, compare, conferenceId, basis),
  );
}

type SummaryRows = [
  CatalogRow[],
  RollupRow[],
  CoverageRow[],
  { n: number }[],
  { deadline: number | null }[],
  { at: number }[],
  { code: string }[],
  { communes: number; since: number | null }[],
];

/**
 * A summary's one round trip: the catalog, the unit's rows and coverage, its communes, the deadline, the last sync,
 * and (live) the communes whose cells were all rejected and those counted from sheets that failed.
 */
export function summaryQueries(scope: Scope, unitKind: string, from: FigureSource, period: string): SQL[] {
  const live = scope.conferenceId === null;
  return [
    catalogQuery,
    ...unitFigureQueries(scope, from),
    expectedQuery(scope),
    deadlineQuery(period),
    lastSyncQuery,
    live ? rejectedUnderQuery(scope, period) : sql`SELECT NULL AS code WHERE 0`,
    live ? staleQuery(scope, unitKind, period) : sql`SELECT 0 AS communes, NULL AS since`,
  ];
}

async function computeSummary(
  db: Db,
  unitCode: string,
  period: string,
  compare: string | null,
  conferenceId: number | null,
  basis: Basis,
): Promise<Summary> {
  const { scope, unit, conference, frozen, built } = await resolveScope(db, unitCode, period, conferenceId);
  const from = figureSource(scope, conference, period, compare, built, basis);
  const comparing = from.pair.compare !== null;
  const [catalogRows, rows, covered, expected, deadlines, synced, rejected, stale] = await readBatch<SummaryRows>(
    db,
    summaryQueries(scope, unit.kind, from, period),
  );
  const catalog = catalogRows.map(indicatorOf);
  const deadline = deadlineFrom(period, deadlines);
  const asOf = frozen ? (conference?.frozenAt ?? null) : (synced[0]?.at ?? null);
  const byCode = new Map(rows.map((r) => [r.indicatorCode, r]));
  // A catalog imported before it had a `headline` column leads with the speech's figures.
  const named = catalog.some((i) => i.headline !== null);
  const headlineOf = (i: Indicator) =>
    named ? i.headline : DEFAULT_HEADLINES.includes(i.code) ? DEFAULT_HEADLINES.indexOf(i.code) + 1 : null;
  return {
    unit,
    period,
    compare,
    asOf: iso(asOf),
    frozen,
    conference: conference ? { id: conference.id, title: conference.title } : null,
    basis,
    dataRange: dataRange(parsedPeriod(period), reportingYearEnd()),
    deadline: iso(deadline),
    coverage: { ...coverageOf(covered, expected[0]?.n ?? 0), rejected: rejected.length },
    stale: stale[0]?.communes ? { communes: stale[0].communes, since: iso(stale[0].since) } : null,
    indicators: catalog.map((ind) => {
      const row = byCode.get(ind.code);
      const now = figureOf(row, ind.kind);
      const before = comparing ? previousOf(row, ind.kind) : null;
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
        built: Boolean(row?.reporting && row.built),
        builtCommunes: row?.reporting ? row.built : 0,
        headline: headlineOf(ind),
        comparable: comparing ? comparableOf(row, ind.kind) : null,
        parts:
          ind.kind === "ratio" && row?.reporting ? { numerator: row.numerator, denominator: row.denominator } : null,
      };
    }),
  };
}
