/**
 * The roll-up tables' columns, named by their schema keys (`worker/db/schema.ts`), so a list here cannot name a
 * column the table lacks, and the rows a read answers are typed by the same lists.
 */
import { sql } from "drizzle-orm";
import type { rollupCoverage, rollups, rollupsAccepted } from "../db/schema";

type Columns<T extends { $inferSelect: object }> = readonly (keyof T["$inferSelect"] & string)[];

/**
 * Which communes' figures count (PRODUCT.md §12): `latest`, every commune (an accepted one with its accepted values);
 * `accepted`, only the communes whose figures the province accepted.
 */
export type Basis = "latest" | "accepted";

/** A period and the one it is compared with (none: null). */
export type Pair = { period: string; compare: string | null };

/**
 * One roll-up table: its name, the key after (conference, unit), the counts and the sums it adds up, and the communes
 * it counts (`accepted`: only those whose figures the province accepted for the period, PRODUCT.md §12).
 */
export type Table = {
  name: "rollups" | "rollups_accepted" | "rollup_coverage";
  accepted: boolean;
  key: readonly string[];
  counts: readonly string[];
  sums: readonly string[];
};

/** A table whose column lists are the schema's own keys. */
type TableOf<T extends { $inferSelect: object }> = Table & { key: Columns<T>; counts: Columns<T>; sums: Columns<T> };

export const FIGURES = {
  name: "rollups",
  accepted: false,
  key: ["period", "indicatorCode"],
  counts: ["reporting", "approximate", "doubtful", "built", "previousReporting", "sameCommunes"],
  sums: [
    "total",
    "numerator",
    "denominator",
    "previousTotal",
    "previousNumerator",
    "previousDenominator",
    "sameTotal",
    "samePrevious",
    "sameNumerator",
    "sameDenominator",
    "samePreviousNumerator",
    "samePreviousDenominator",
  ],
} as const satisfies TableOf<typeof rollups>;

/** The figures on the accepted basis: the same columns, over the accepted communes only. */
export const ACCEPTED_FIGURES = {
  ...FIGURES,
  name: "rollups_accepted",
  accepted: true,
} as const satisfies TableOf<typeof rollupsAccepted>;

/** The figures' table of a basis. */
export const figuresOf = (basis: Basis) => (basis === "accepted" ? ACCEPTED_FIGURES : FIGURES);

export const COVERED = {
  name: "rollup_coverage",
  accepted: false,
  key: ["period"],
  counts: ["reported", "complete", "late", "timelinessUnknown", "submitted", "accepted", "submittedOnTime"],
  sums: [],
} as const satisfies TableOf<typeof rollupCoverage>;

type Added<T extends Table> = T["counts"][number] | T["sums"][number];

/** A figure's row, as `rollups` keeps it; `key` is the unit (or the child unit) it belongs to. */
export type RollupRow = { key: string; period: string; indicatorCode: string } & Record<Added<typeof FIGURES>, number>;

export type CoverageRow = Record<Added<typeof COVERED>, number>;

/** `timelinessUnknown` → `timeliness_unknown`. */
export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The table's columns after (conference, unit), in its order: key, counts, sums (SQL names). */
export const columnsOf = (t: Table) => [...t.key, ...t.counts, ...t.sums].map(snake);

/** A comma-separated column list, each name prefixed (`f.`), for a SELECT or an INSERT. */
export const list = (names: readonly string[], prefix = "") => sql.raw(names.map((n) => prefix + n).join(", "));

/**
 * A sum kept exact: added in floating point, then rounded to 6 decimals unless it is whole (the rounding is what
 * costs, and counts and most values are whole).
 */
export const exact = (x: string) => `IIF(${x} = CAST(${x} AS INTEGER), ${x}, ROUND(${x}, 6))`;

/** `ON CONFLICT DO UPDATE SET …`: the proposed row added to the stored one. */
export function addExcluded(t: Table) {
  return sql.raw(
    [
      ...t.counts.map(snake).map((c) => `${c} = ${c} + excluded.${c}`),
      ...t.sums.map(snake).map((c) => `${c} = ${exact(`${c} + excluded.${c}`)}`),
    ].join(", "),
  );
}

/** Every column of `prefix` named as the row type reads it (`p.previous_total AS previousTotal`). */
export function asRow(t: Table, prefix: string) {
  return sql.raw([...t.key, ...t.counts, ...t.sums].map((k) => `${prefix}${snake(k)} AS ${k}`).join(", "));
}

/** The communes' rows of `fresh f` summed, named as a stored row reads. */
export function summed(t: Table) {
  return sql.raw(
    [
      ...t.key.map((k) => `f.${snake(k)} AS ${k}`),
      ...t.counts.map((k) => `SUM(f.${snake(k)}) AS ${k}`),
      ...t.sums.map((k) => `${exact(`TOTAL(f.${snake(k)})`)} AS ${k}`),
    ].join(", "),
  );
}
