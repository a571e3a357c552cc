/**
 * Numbers as Vietnamese clerks type them (PRODUCT.md §4): “33.100” → 33100, “1.234,5” → 1234.5, “5,4” → 5.4,
 * “94%” → percent, “hơn 5.000” → approximate, “5,4 tỷ” → 5.4e9, a trailing unit word kept for the caller to check.
 */
import { foldText } from "./text";

export type ParsedNumber =
  | { kind: "empty" }
  | { kind: "invalid"; reason: string }
  | {
      kind: "number";
      value: number;
      approximate: boolean;
      percent: boolean;
      /** Scale given by a word (“nghìn”, “triệu”, “tỷ”), already applied to `value`. */
      multiplier: number;
      /** Words left after the number (“tổ”, “người”), folded; empty when none. */
      unitWord: string;
    };

const EMPTY_MARKS = new Set(["", "-", "–", "—", "x", "X", "/"]);
const QUALIFIERS = ["xap xi", "khoang", "tren", "hon", "gan", "uoc", "chung"];
const MULTIPLIERS: [string, number][] = [
  ["nghin", 1e3],
  ["ngan", 1e3],
  ["trieu", 1e6],
  ["ty", 1e9],
  ["ti", 1e9],
];

export function parseVietnameseNumber(raw: unknown): ParsedNumber {
  if (raw === null || raw === undefined) return { kind: "empty" };
  if (typeof raw === "number") {
    return Number.isFinite(raw)
      ? { kind: "number", value: raw, approximate: false, percent: false, multiplier: 1, unitWord: "" }
      : { kind: "invalid", reason: "không phải số" };
  }
  if (typeof raw === "boolean") return { kind: "invalid", reason: "không phải số" };
  const text = String(raw)
    .normalize("NFC")
    .replace(/\u00a0/g, " ")
    .trim();
  if (EMPTY_MARKS.has(text)) return { kind: "empty" };

  // Split into the leading words, the number and what follows, on the original text (the number keeps its . and ,).
  const m = /^(.*?)([+-]?\d[\d.,\s]*\d|[+-]?\d)\s*(%?)\s*(.*)$/su.exec(text);
  if (!m) return { kind: "invalid", reason: "không phải số" };
  const [, before = "", digits = "", pct = "", after = ""] = m;
  const lead = foldText(before);
  let approximate = false;
  if (lead) {
    if (!QUALIFIERS.includes(lead)) return { kind: "invalid", reason: "không phải số" };
    approximate = true;
  }

  const value = parseDigits(digits.replace(/\s+/g, ""));
  if (value === null)
    return {
      kind: "invalid",
      reason: "không đúng cách viết số (dấu chấm ngăn hàng nghìn, dấu phẩy ngăn phần thập phân)",
    };

  let rest = foldText(after);
  let percent = pct === "%";
  if (rest.startsWith("phan tram")) {
    percent = true;
    rest = rest.slice(9).trim();
  }
  let multiplier = 1;
  for (const [word, factor] of MULTIPLIERS) {
    if (rest === word || rest.startsWith(`${word} `)) {
      multiplier = factor;
      rest = rest.slice(word.length).trim();
      break;
    }
  }
  return { kind: "number", value: value * multiplier, approximate, percent, multiplier, unitWord: rest };
}

/** Digits with `.` grouping thousands and `,` as the decimal mark; anything ambiguous is refused. */
function parseDigits(s: string): number | null {
  const sign = s.startsWith("-") ? -1 : 1;
  const body = s.replace(/^[+-]/, "");
  if (/^\d+$/.test(body)) return sign * Number(body);
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(body)) return sign * Number(body.replace(/\./g, "").replace(",", "."));
  if (/^\d+,\d+$/.test(body)) return sign * Number(body.replace(",", "."));
  return null;
}
