/** vi-VN numbers and dates, always through Intl (PRODUCT.md §10). */
import type { Kind } from "./api";

const integer = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
const signed = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1, signDisplay: "exceptZero" });
const dateTime = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  hour: "2-digit",
  minute: "2-digit",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hourCycle: "h23",
});

export function formatNumber(value: number, kind: string): string {
  if (kind === "ratio") return `${percent.format(value)}%`;
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/** A figure as a person reads it: “khoảng 5.400” when approximate, a clear word when missing — never 0. */
export function formatFigure(value: number | null, kind: Kind, approximate = false): string {
  if (value === null) return "Chưa có số liệu";
  return (approximate ? "khoảng " : "") + formatNumber(value, kind);
}

/** The change against the comparison period: “+12,5%” for sums, “+1,2 điểm %” for ratios; null when not comparable. */
export function formatChange(value: number | null, previous: number | null, kind: Kind): string | null {
  if (value === null || previous === null) return null;
  if (kind === "ratio") return value === previous ? "không đổi" : `${signed.format(value - previous)} điểm %`;
  if (previous === 0) return value === 0 ? "không đổi" : null;
  const pct = ((value - previous) / previous) * 100;
  return pct === 0 ? "không đổi" : `${signed.format(pct)}%`;
}

/** “07:30 23/11/2026” */
export function formatDateTime(iso: string | number): string {
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/** “Năm 2025”, “6 tháng đầu năm 2025”, “Quý III/2025”, “Tháng 8/2025”. */
export function periodLabel(code: string): string {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|M(0[1-9]|1[0-2])))?$/.exec(code);
  if (!m) return code;
  const [, year, part] = m;
  if (!part) return `Năm ${year}`;
  if (part === "H1") return `6 tháng đầu năm ${year}`;
  if (part === "H2") return `6 tháng cuối năm ${year}`;
  if (part[0] === "Q") return `Quý ${["I", "II", "III", "IV"][Number(part[1]) - 1]}/${year}`;
  return `Tháng ${Number(part.slice(1))}/${year}`;
}

/** The same period a year earlier: the default comparison, as the API chooses it. */
export function previousYear(code: string): string {
  return String(Number(code.slice(0, 4)) - 1) + code.slice(4);
}
