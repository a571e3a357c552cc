/** Numbers as vi-VN writes them (“33.100”, “5,4”, “94,2%”), always through Intl (PRODUCT.md §10). */
import type { IndicatorKind } from "./indicators";

const integer = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
const signed = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1, signDisplay: "exceptZero" });
const exact = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 6 });

/** A figure's number: a ratio as a percentage, a sum with at most two decimals. */
export function formatNumber(value: number, kind: IndicatorKind | string): string {
  if (kind === "ratio") return `${percent.format(value)}%`;
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/** A cell's value as the clerk typed it, every decimal kept (“1.234,5”). */
export function formatExact(value: number): string {
  return exact.format(value);
}

/** A figure as a person reads it: “khoảng 5.400” when approximate, a clear word when missing — never 0. */
export function formatFigure(value: number | null, kind: IndicatorKind, approximate = false): string {
  if (value === null) return "Chưa có số liệu";
  return (approximate ? "khoảng " : "") + formatNumber(value, kind);
}

/**
 * A yes/no indicator (kind `flag`) as a leader reads it: over several communes “121/144 xã đạt” (`value` communes
 * with 1 of the `reporting` that answered), for one commune “Đạt” or “Chưa đạt” — never a bare 1 or 0.
 */
export function formatFlag(value: number | null, reporting: number, oneCommune: boolean): string {
  if (value === null) return "Chưa có số liệu";
  if (oneCommune) return value > 0 ? "Đạt" : "Chưa đạt";
  return `${integer.format(value)}/${integer.format(reporting)} xã đạt`;
}

/** Any figure as a person reads it: a flag through `formatFlag`, every other kind through `formatFigure`. */
export function formatIndicator(
  f: { value: number | null; kind: IndicatorKind; approximate: boolean; reporting: number },
  oneCommune: boolean,
): string {
  return f.kind === "flag"
    ? formatFlag(f.value, f.reporting, oneCommune)
    : formatFigure(f.value, f.kind, f.approximate);
}

/** The change against the comparison period: “+12,5%” for sums, “+1,2 điểm %” for ratios; null when not comparable. */
export function formatChange(value: number | null, previous: number | null, kind: IndicatorKind): string | null {
  if (value === null || previous === null) return null;
  if (kind === "ratio") return value === previous ? "không đổi" : `${signed.format(value - previous)} điểm %`;
  if (previous === 0) return value === 0 ? "không đổi" : null;
  const pct = ((value - previous) / previous) * 100;
  return pct === 0 ? "không đổi" : `${signed.format(pct)}%`;
}
