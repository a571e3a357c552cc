/** A column heading that names a period: “Năm 2025”, “2025”, “6 tháng đầu năm 2025”, “Quý III/2025”, “Tháng 8/2025”. */
import { foldText } from "./text";

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

export function periodFromHeading(heading: unknown): string | null {
  if (typeof heading === "number") return Number.isInteger(heading) && heading >= 1990 && heading <= 2100 ? String(heading) : null;
  const t = foldText(heading);
  let m: RegExpExecArray | null;
  if ((m = /^(?:nam )?((?:19|20)\d\d)$/.exec(t))) return m[1]!;
  if ((m = /^6 thang (dau|cuoi) nam ((?:19|20)\d\d)$/.exec(t))) return `${m[2]}-${m[1] === "dau" ? "H1" : "H2"}`;
  if ((m = /^quy (i|ii|iii|iv|[1-4]) (?:nam )?((?:19|20)\d\d)$/.exec(t))) {
    return `${m[2]}-Q${ROMAN[m[1]!] ?? Number(m[1])}`;
  }
  if ((m = /^thang (0?[1-9]|1[0-2]) (?:nam )?((?:19|20)\d\d)$/.exec(t))) return `${m[2]}-M${m[1]!.padStart(2, "0")}`;
  return null;
}
