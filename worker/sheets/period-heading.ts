/**
 * A column heading that names a period: “Năm 2025”, “2025”, “6 tháng đầu năm 2025”, “9 tháng đầu năm 2025”, “Quý
 * III/2025”, “Tháng 8/2025”, “Giai đoạn 2021–2025”.
 */
import { foldText } from "./text";

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const YEAR = "((?:19|20)\\d\\d)";

/** A capture group that is not optional in its pattern, so a match always fills it. */
function group(m: RegExpExecArray, index: number): string {
  const value = m[index];
  if (value === undefined) throw new Error(`Period pattern ${m[0]}: group ${index} did not match`);
  return value;
}

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [new RegExp(`giai doan ${YEAR} ${YEAR}`), (m) => `${m[1]}-${m[2]}`],
  [new RegExp(`9 thang (?:dau )?(?:nam )?${YEAR}`), (m) => `${m[1]}-9M`],
  [new RegExp(`6 thang (?:(dau|cuoi) )?(?:nam )?${YEAR}`), (m) => `${m[2]}-${m[1] === "cuoi" ? "H2" : "H1"}`],
  [new RegExp(`quy (i|ii|iii|iv|[1-4]) (?:nam )?${YEAR}`), (m) => `${m[2]}-Q${ROMAN[group(m, 1)] ?? Number(m[1])}`],
  [new RegExp(`thang (0?[1-9]|1[0-2]) (?:nam )?${YEAR}`), (m) => `${m[2]}-M${group(m, 1).padStart(2, "0")}`],
  [new RegExp(`(?:nam )?${YEAR}`), (m) => group(m, 1)],
];

/** The whole heading is a period name (a column of values for that period). */
export function periodFromHeading(heading: unknown): string | null {
  if (typeof heading === "number")
    return Number.isInteger(heading) && heading >= 1990 && heading <= 2100 ? String(heading) : null;
  const t = foldText(heading);
  for (const [re, code] of PATTERNS) {
    const m = new RegExp(`^(?:so lieu |ket qua |thuc hien )?${re.source}$`).exec(t);
    if (m) return code(m);
  }
  return null;
}

/** A period named somewhere inside a title (“TỔNG HỢP SỐ LIỆU NĂM 2025”, a tab called “Quý III-2025”). */
export function periodInText(text: unknown): string | null {
  const t = ` ${foldText(text)} `;
  for (const [re, code] of PATTERNS) {
    const m = new RegExp(`(?<= )${re.source}(?= )`).exec(t);
    if (m) return code(m);
  }
  return null;
}
