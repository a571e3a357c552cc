/** The indicator catalog (PRODUCT.md §2): data, imported as a whole, read in its order. */
import { sql } from "drizzle-orm";
import type { Indicator } from "../reference/catalog";
import type { Statement } from "./batch";
import type { Db } from "./client";
import { indicators } from "./schema";

/** The statements that replace the catalog: the rows given are active, in their order; every other one is not. */
export function replaceCatalog(db: Db, rows: Indicator[]): Statement[] {
  return [
    db.update(indicators).set({ active: false }),
    ...rows.map((r) =>
      db
        .insert(indicators)
        .values({ ...r, active: true })
        .onConflictDoUpdate({ target: indicators.code, set: { ...r, active: true } }),
    ),
  ];
}

/** The active catalog in its order; its rows become indicators through `indicatorOf`. */
export const catalogQuery = sql`
  SELECT code, "group", label, unit, kind, aggregate, numerator, denominator, integer, required, position, headline,
         over_time AS overTime
  FROM indicators WHERE active = 1 ORDER BY position`;

export type CatalogRow = Omit<Indicator, "integer" | "required"> & { integer: number; required: number };

export function indicatorOf(row: CatalogRow): Indicator {
  return { ...row, integer: Boolean(row.integer), required: Boolean(row.required) };
}

export async function listIndicators(db: Db): Promise<Indicator[]> {
  return (await db.all<CatalogRow>(catalogQuery)).map(indicatorOf);
}

/** Of these indicator codes, the ones some commune has a value for. */
export async function codesWithValues(db: Db, codes: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const code of codes) {
    const [row] = await db.all<{ found: number }>(
      sql`SELECT 1 AS found FROM indicator_values WHERE indicator_code = ${code} LIMIT 1`,
    );
    if (row) found.push(code);
  }
  return found;
}
