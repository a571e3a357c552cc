/** The province (or any unit's) key figures for a period, with last period beside them (PRODUCT.md §7, §9). */
import { coverage, indicatorTotals, lastSyncAt, ratioTotal, type Coverage } from "../db/aggregate";
import type { Db } from "../db/client";
import { findUnit, listIndicators, unitListFor } from "../db/reference";
import { AppError } from "../errors";
import type { Indicator } from "../reference/catalog";
import { parsePeriodCode } from "../reference/periods";

export type SummaryIndicator = {
  code: string;
  label: string;
  unit: string;
  kind: Indicator["kind"];
  group: string;
  value: number | null;
  previous: number | null;
  reporting: number;
  approximate: boolean;
};

export type Summary = {
  unit: { code: string; name: string; kind: string };
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  coverage: Coverage;
  indicators: SummaryIndicator[];
};

type Figure = { value: number | null; reporting: number; approximate: boolean };

async function figures(db: Db, listDate: string, unitCode: string, period: string, catalog: Indicator[]) {
  const totals = new Map((await indicatorTotals(db, listDate, unitCode, period)).map((t) => [t.indicatorCode, t]));
  const out = new Map<string, Figure>();
  for (const ind of catalog) {
    if (ind.kind === "ratio" && ind.numerator && ind.denominator) {
      const r = await ratioTotal(db, listDate, unitCode, period, ind.numerator, ind.denominator);
      const value = r.reporting && r.denominator ? (100 * (r.numerator ?? 0)) / r.denominator : null;
      out.set(ind.code, { value, reporting: r.reporting, approximate: Boolean(r.approximate) });
    } else {
      const t = totals.get(ind.code);
      out.set(ind.code, { value: t ? t.total : null, reporting: t?.reporting ?? 0, approximate: Boolean(t?.approximate) });
    }
  }
  return out;
}

export async function buildSummary(db: Db, unitCode: string, period: string, compare: string | null): Promise<Summary> {
  const p = parsePeriodCode(period);
  if (!p) throw new AppError("bad_request", `Kỳ báo cáo “${period}” không hợp lệ`);
  const listDate = await unitListFor(db, p.endsOn);
  const unit = listDate ? await findUnit(db, listDate, unitCode) : null;
  if (!listDate || !unit) throw new AppError("not_found", `Không có đơn vị hành chính mã “${unitCode}”`);
  const catalog = await listIndicators(db);
  const [current, previous, cov, asOf] = await Promise.all([
    figures(db, listDate, unitCode, period, catalog),
    compare ? figures(db, listDate, unitCode, compare, catalog) : Promise.resolve(null),
    coverage(db, listDate, unitCode, period, catalog.filter((i) => i.required).map((i) => i.code), null),
    lastSyncAt(db),
  ]);
  return {
    unit: { code: unit.code, name: unit.fullName, kind: unit.kind },
    period,
    compare,
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    frozen: false,
    coverage: cov,
    indicators: catalog.map((ind) => {
      const f = current.get(ind.code)!;
      return {
        code: ind.code,
        label: ind.label,
        unit: ind.unit,
        kind: ind.kind,
        group: ind.group,
        value: f.value,
        previous: previous?.get(ind.code)?.value ?? null,
        reporting: f.reporting,
        approximate: f.approximate,
      };
    }),
  };
}
