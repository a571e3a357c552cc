/**
 * A figure over the years (PRODUCT.md §14, `GET /api/trend`): one point per year (or quarter) of a range, oldest
 * first, each with the communes it counts and whether any of them was built from shorter periods. Read from the
 * roll-ups: one row per point.
 */
import { sql } from "drizzle-orm";
import { vietnamToday } from "../../domain/time";
import { resolveScope } from "../aggregate/resolve";
import { figureOf } from "../aggregate/summary";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { LIVE } from "../db/schema";
import { AppError } from "../errors";
import { asRow, FIGURES, type RollupRow } from "../rollups/columns";
import { rollupsBuilt } from "../rollups/write";

export type TrendPoint = {
  period: string;
  value: number | null;
  reporting: number;
  approximate: boolean;
  built: boolean;
};

/** The years a trend covers when none are asked for: the five years to this one. */
const YEARS = 5;

/** The periods of the range: its years, or each year's quarters. */
function periodsOf(from: number, to: number, by: "year" | "quarter"): string[] {
  const years = Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  return by === "year" ? years : years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`));
}

export async function buildTrend(
  db: Db,
  unitCode: string,
  indicatorCode: string,
  range: { from?: number; to?: number; by: "year" | "quarter" },
): Promise<{ unit: { code: string; name: string }; indicator: string; points: TrendPoint[] }> {
  const to = range.to ?? Number(vietnamToday().slice(0, 4));
  const from = range.from ?? to - YEARS + 1;
  if (from > to) throw new AppError("bad_request", `Năm đầu ${from} sau năm cuối ${to}`, {}, "from");
  if (to - from + 1 > 20) throw new AppError("bad_request", "Xu hướng dài quá 20 năm", {}, "from");
  const periods = periodsOf(from, to, range.by);
  const [catalog, built, { unit }] = await Promise.all([
    listIndicators(db),
    rollupsBuilt(db),
    resolveScope(db, unitCode, periods.at(-1) ?? String(to), null),
  ]);
  const indicator = catalog.find((i) => i.code === indicatorCode);
  if (!indicator) throw new AppError("not_found", `Không có chỉ tiêu mã “${indicatorCode}”`, {}, "indicator");
  // Before the roll-ups are built once (a database from before them) there is nothing to draw from yet.
  const rows = built
    ? await db.all<RollupRow>(sql`
        SELECT unit_code AS key, ${asRow(FIGURES, "")} FROM rollups
        WHERE conference_id = ${LIVE} AND unit_code = ${unit.code} AND indicator_code = ${indicatorCode}
          AND period IN (SELECT value FROM json_each(${JSON.stringify(periods)}))`)
    : [];
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  return {
    unit: { code: unit.code, name: unit.name },
    indicator: indicatorCode,
    points: periods.map((period) => {
      const row = byPeriod.get(period);
      const f = figureOf(row, indicator.kind);
      return {
        period,
        value: f.value,
        reporting: f.reporting,
        approximate: f.approximate,
        built: (row?.built ?? 0) > 0,
      };
    }),
  };
}
