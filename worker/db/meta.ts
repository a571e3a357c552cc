/** What the dashboard needs before its first figure: which provinces and periods there are, and where to start. */
import { sql } from "drizzle-orm";
import { NATIONAL } from "../../domain/units";
import type { Db } from "./client";
import { LIVE } from "./schema";

export type Meta = {
  provinces: { code: string; name: string }[];
  periods: string[];
  defaultUnit: string | null;
  defaultPeriod: string | null;
};

/**
 * Cheap at any scale: the provinces are the list's roots, the periods those the country has figures for (its own
 * roll-up rows), and the start is the province with the most communes reporting in the newest year — or, before any
 * figure, the one with the most sheets.
 */
export async function loadMeta(db: Db, listDate: string | null): Promise<Meta> {
  if (!listDate) return { provinces: [], periods: [], defaultUnit: null, defaultPeriod: null };
  const [provinces, periods] = await Promise.all([
    db.all<{ code: string; name: string }>(sql`
      SELECT code, full_name AS name FROM units WHERE valid_from = ${listDate} AND parent_code IS NULL ORDER BY code`),
    db.all<{ period: string }>(sql`
      SELECT period FROM rollups WHERE conference_id = ${LIVE} AND unit_code = ${NATIONAL}
      GROUP BY period HAVING MAX(reporting) > 0 ORDER BY period DESC`),
  ]);
  const years = periods.map((p) => p.period).filter((p) => /^\d{4}$/.test(p));
  const defaultPeriod = years[0] ?? periods[0]?.period ?? null;
  const [busiest] = defaultPeriod
    ? await db.all<{ code: string }>(sql`
        SELECT u.code FROM units u CROSS JOIN rollup_coverage c
          ON c.conference_id = ${LIVE} AND c.unit_code = u.code AND c.period = ${defaultPeriod}
        WHERE u.valid_from = ${listDate} AND u.parent_code IS NULL ORDER BY c.reported DESC, u.code LIMIT 1`)
    : await db.all<{ code: string }>(sql`
        SELECT COALESCE(u.parent_code, s.unit_code) AS code
        FROM sources s LEFT JOIN units u ON u.code = s.unit_code AND u.valid_from = ${listDate} AND u.parent_code IS NOT NULL
        WHERE s.active = 1 GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1`);
  return {
    provinces,
    periods: periods.map((p) => p.period),
    defaultUnit: busiest?.code ?? provinces[0]?.code ?? null,
    defaultPeriod,
  };
}
