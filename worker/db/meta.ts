/** What the dashboard needs before its first figure: which provinces and periods there are, and where to start. */
import { sql } from "drizzle-orm";
import type { Db } from "./client";

export type Meta = {
  provinces: { code: string; name: string }[];
  periods: string[];
  defaultUnit: string | null;
  defaultPeriod: string | null;
};

export async function loadMeta(db: Db, listDate: string | null): Promise<Meta> {
  if (!listDate) return { provinces: [], periods: [], defaultUnit: null, defaultPeriod: null };
  const [provinces, periods, busiest] = await Promise.all([
    db.all<{ code: string; name: string }>(sql`
      SELECT code, full_name AS name FROM units
      WHERE valid_from = ${listDate} AND kind IN ('province', 'city') ORDER BY code`),
    db.all<{ period: string }>(sql`SELECT DISTINCT period FROM indicator_values ORDER BY period DESC`),
    db.all<{ code: string }>(sql`
      SELECT COALESCE(u.parent_code, s.unit_code) AS code
      FROM sources s LEFT JOIN units u ON u.code = s.unit_code AND u.valid_from = ${listDate} AND u.kind NOT IN ('province', 'city')
      WHERE s.active = 1 GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1`),
  ]);
  const years = periods.map((p) => p.period).filter((p) => /^\d{4}$/.test(p));
  return {
    provinces,
    periods: periods.map((p) => p.period),
    defaultUnit: busiest[0]?.code ?? provinces[0]?.code ?? null,
    defaultPeriod: years[0] ?? periods[0]?.period ?? null,
  };
}
