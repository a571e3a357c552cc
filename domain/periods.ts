/** Period codes (PRODUCT.md §2): `2025`, `2025-H1`, `2025-Q3`, `2025-M08`, their Vietnamese names and deadlines. */
import { VIETNAM_OFFSET_MS } from "./time";

type PeriodKind = "year" | "half" | "quarter" | "month";
export type Period = { code: string; kind: PeriodKind; startsOn: string; endsOn: string };

const PERIOD_RE = /^(\d{4})(?:-(H[12]|Q[1-4]|M(?:0[1-9]|1[0-2])))?$/;

export function parsePeriodCode(code: string): Period | null {
  const m = PERIOD_RE.exec(code);
  if (!m) return null;
  const year = Number(m[1]);
  const part = m[2];
  const [kind, first, months]: [PeriodKind, number, number] = !part
    ? ["year", 1, 12]
    : part[0] === "H"
      ? ["half", part === "H1" ? 1 : 7, 6]
      : part[0] === "Q"
        ? ["quarter", (Number(part[1]) - 1) * 3 + 1, 3]
        : ["month", Number(part.slice(1)), 1];
  const last = first + months - 1;
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, "0");
  return { code, kind, startsOn: `${year}-${pad(first)}-01`, endsOn: `${year}-${pad(last)}-${pad(lastDay)}` };
}

/** Without a deadline set by an administrator, reports are due by the end of the 15th day after the period ends. */
const DEFAULT_GRACE_DAYS = 15;

/** The end (Vietnam time) of the 15th day after the period's last day, in epoch milliseconds. */
export function defaultDeadline(period: Period): number {
  return Date.parse(`${period.endsOn}T00:00:00Z`) + (DEFAULT_GRACE_DAYS + 1) * 86400_000 - VIETNAM_OFFSET_MS - 1;
}

/** The same period `years` later (earlier when negative). */
function yearsLater(code: string, years: number): string | null {
  const p = parsePeriodCode(code);
  return p ? String(Number(code.slice(0, 4)) + years) + code.slice(4) : null;
}

/** The same period one year earlier: the default comparison. */
export function previousYearPeriod(code: string): string | null {
  return yearsLater(code, -1);
}

/** The same period one year later: the one whose default comparison is this one. */
export function nextYearPeriod(code: string): string | null {
  return yearsLater(code, 1);
}

/** Vietnamese name of a period, as a report or a heading writes it. */
export function periodLabel(code: string): string {
  const p = parsePeriodCode(code);
  if (!p) return code;
  const year = code.slice(0, 4);
  const part = code.slice(5);
  switch (p.kind) {
    case "year":
      return `Năm ${year}`;
    case "half":
      return part === "H1" ? `6 tháng đầu năm ${year}` : `6 tháng cuối năm ${year}`;
    case "quarter":
      return `Quý ${["I", "II", "III", "IV"][Number(part[1]) - 1]}/${year}`;
    case "month":
      return `Tháng ${Number(part.slice(1))}/${year}`;
  }
}
