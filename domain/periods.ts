/**
 * Period codes (PRODUCT.md §2, §14): `2025`, `2025-H1`, `2025-Q3`, `2025-M08`, `2025-9M` (the first nine months) and
 * phases `2021-2025` (whole years); their Vietnamese names, the shorter periods that build each, data ranges and
 * deadlines.
 */
import { VIETNAM_OFFSET_MS } from "./time";

type PeriodKind = "year" | "half" | "quarter" | "month" | "nine_months" | "phase";
export type Period = { code: string; kind: PeriodKind; startsOn: string; endsOn: string };

const PERIOD_RE = /^(\d{4})(?:-(H[12]|Q[1-4]|M(?:0[1-9]|1[0-2])|9M))?$/;
const PHASE_RE = /^(\d{4})-(\d{4})$/;

/** The longest phase a code may name, in years. */
const LONGEST_PHASE = 20;

const pad = (n: number) => String(n).padStart(2, "0");

/** The first day of month `first` to the last day of month `last` (1-based; may run into later years). */
function months(year: number, first: number, last: number): { startsOn: string; endsOn: string } {
  const end = new Date(Date.UTC(year, last, 0));
  return {
    startsOn: `${year}-${pad(first)}-01`,
    endsOn: `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}`,
  };
}

/**
 * Why a code is not a period, in Vietnamese (for the field's 400), or null when it is one: a phase backwards, of one
 * year or longer than 20 years is named as such.
 */
export function periodProblem(code: string): string | null {
  const phase = PHASE_RE.exec(code);
  if (phase) {
    const [from, to] = [Number(phase[1]), Number(phase[2])];
    if (to < from) return `giai đoạn ${code} đi ngược: năm đầu phải trước năm cuối (ví dụ 2021-2025)`;
    if (to === from) return `giai đoạn ${code} chỉ có một năm: dùng mã năm ${from}`;
    if (to - from + 1 > LONGEST_PHASE) return `giai đoạn ${code} dài quá ${LONGEST_PHASE} năm`;
    return null;
  }
  return PERIOD_RE.test(code)
    ? null
    : "kỳ báo cáo dạng 2025, 2025-H1, 2025-Q3, 2025-M08, 2025-9M (9 tháng) hoặc giai đoạn 2021-2025";
}

export function parsePeriodCode(code: string): Period | null {
  if (periodProblem(code) !== null) return null;
  const phase = PHASE_RE.exec(code);
  if (phase) {
    const [from, to] = [Number(phase[1]), Number(phase[2])];
    return { code, kind: "phase", ...months(from, 1, (to - from) * 12 + 12) };
  }
  const m = PERIOD_RE.exec(code);
  if (!m) return null;
  const year = Number(m[1]);
  const part = m[2];
  const [kind, first, length]: [PeriodKind, number, number] = !part
    ? ["year", 1, 12]
    : part === "9M"
      ? ["nine_months", 1, 9]
      : part[0] === "H"
        ? ["half", part === "H1" ? 1 : 7, 6]
        : part[0] === "Q"
          ? ["quarter", (Number(part[1]) - 1) * 3 + 1, 3]
          : ["month", Number(part.slice(1)), 1];
  return { code, kind, ...months(year, first, first + length - 1) };
}

/** The first year of a period, and for a phase its last (the same for every other period). */
function yearsOf(code: string): [number, number] {
  const phase = PHASE_RE.exec(code);
  return phase ? [Number(phase[1]), Number(phase[2])] : [Number(code.slice(0, 4)), Number(code.slice(0, 4))];
}

/**
 * The sets of shorter periods that make a period (PRODUCT.md §14), the one a clerk would type first: a year from its
 * halves, its quarters or its months; a half from its quarters or months; nine months from H1 and Q3, Q1–Q3 or its
 * months; a quarter from its months; a phase from its years. Each set in order, its last part last.
 */
export function partSets(code: string): string[][] {
  const p = parsePeriodCode(code);
  if (!p) return [];
  const [from, to] = yearsOf(code);
  const y = String(from);
  const ms = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `${y}-M${pad(a + i)}`);
  const qs = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `${y}-Q${a + i}`);
  switch (p.kind) {
    case "year":
      return [[`${y}-H1`, `${y}-H2`], qs(1, 4), ms(1, 12)];
    case "half":
      return code.endsWith("H1") ? [qs(1, 2), ms(1, 6)] : [qs(3, 4), ms(7, 12)];
    case "nine_months":
      return [[`${y}-H1`, `${y}-Q3`], qs(1, 3), ms(1, 9)];
    case "quarter": {
      const q = Number(code.slice(-1));
      return [ms(3 * q - 2, 3 * q)];
    }
    case "phase":
      return [Array.from({ length: to - from + 1 }, (_, i) => String(from + i))];
    case "month":
      return [];
  }
}

/** The order periods are built in: a part is always built before what it makes. */
export const BUILD_ORDER: readonly PeriodKind[] = ["quarter", "half", "nine_months", "year", "phase"];

/** The kind of a period code (null when it is none). */
export const periodKind = (code: string): PeriodKind | null => parsePeriodCode(code)?.kind ?? null;

/**
 * The periods a change of `code` may build again: the period itself (a removed typed figure may now be built) and
 * every longer period of its year it is a part of (phases are asked of the database: they exist once registered).
 */
export function periodsMadeFrom(code: string): string[] {
  const p = parsePeriodCode(code);
  if (!p || p.kind === "phase") return p ? [code] : [];
  const y = code.slice(0, 4);
  const month = Number(p.startsOn.slice(5, 7));
  const longer: Record<PeriodKind, string[]> = {
    month: [`${y}-Q${Math.ceil(month / 3)}`, `${y}-H${month <= 6 ? 1 : 2}`, ...(month <= 9 ? [`${y}-9M`] : []), y],
    quarter: [`${y}-H${month <= 6 ? 1 : 2}`, ...(month <= 9 ? [`${y}-9M`] : []), y],
    half: [...(month === 1 ? [`${y}-9M`] : []), y],
    nine_months: [],
    year: [],
    phase: [],
  };
  return [code, ...longer[p.kind]];
}

/**
 * The movement's statistics year ends on this day (`MM-DD`, PRODUCT.md §14): 14/12 by default, so the year 2025 covers
 * 15/12/2024–14/12/2025 and every period's data range moves with it. A deployment sets `REPORTING_YEAR_END`.
 */
export const DEFAULT_YEAR_END = "12-14";

/** Why a `REPORTING_YEAR_END` is not a day of the year (Vietnamese), or null. */
export function yearEndProblem(mmdd: string): string | null {
  const m = /^(\d\d)-(\d\d)$/.exec(mmdd);
  const [month, day] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2001, month, 0)).getUTCDate()
    ? null
    : `REPORTING_YEAR_END “${mmdd}” không phải ngày trong năm dạng MM-DD (ví dụ 12-14)`;
}

/**
 * The dates a period's figures cover under the statistics year ending `yearEnd`: each month of the period is taken
 * as running to that day of the month (moved by the months the year end lies before December), and the range starts
 * the day after the month before it ends. `2025` with 12-14: 2024-12-15 to 2025-12-14.
 */
export function dataRange(period: Period, yearEnd: string = DEFAULT_YEAR_END): { from: string; to: string } {
  const [endMonth, endDay] = yearEnd.split("-").map(Number) as [number, number];
  const shift = 12 - endMonth;
  const monthEnd = (iso: string) => {
    const [y, m] = iso.split("-").map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m - shift, 0)).getUTCDate();
    return Date.UTC(y, m - shift - 1, Math.min(endDay, last));
  };
  const firstMonth = Date.UTC(Number(period.startsOn.slice(0, 4)), Number(period.startsOn.slice(5, 7)) - 2, 1);
  const from = monthEnd(new Date(firstMonth).toISOString().slice(0, 10)) + 86400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(from), to: day(monthEnd(period.endsOn)) };
}

/** Without a deadline set by an administrator, reports are due by the end of the 15th day after the data range ends. */
const DEFAULT_GRACE_DAYS = 15;

/** The end (Vietnam time) of the 15th day after the period's data range ends, in epoch milliseconds. */
export function defaultDeadline(period: Period, yearEnd: string = DEFAULT_YEAR_END): number {
  const { to } = dataRange(period, yearEnd);
  return Date.parse(`${to}T00:00:00Z`) + (DEFAULT_GRACE_DAYS + 1) * 86400_000 - VIETNAM_OFFSET_MS - 1;
}

/** The same period `years` later (earlier when negative); a phase moves by its own length. */
function yearsLater(code: string, steps: number): string | null {
  if (!parsePeriodCode(code)) return null;
  const [from, to] = yearsOf(code);
  if (PHASE_RE.test(code)) {
    const length = to - from + 1;
    return `${from + steps * length}-${to + steps * length}`;
  }
  return String(from + steps) + code.slice(4);
}

/** The same period one year earlier (for a phase, the phase of the same length before it): the default comparison. */
export function previousYearPeriod(code: string): string | null {
  return yearsLater(code, -1);
}

/** The period whose default comparison is this one. */
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
    case "nine_months":
      return `9 tháng đầu năm ${year}`;
    case "quarter":
      return `Quý ${["I", "II", "III", "IV"][Number(part[1]) - 1]}/${year}`;
    case "month":
      return `Tháng ${Number(part.slice(1))}/${year}`;
    case "phase":
      return `Giai đoạn ${year}–${part}`;
  }
}
