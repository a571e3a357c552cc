/** One cell read as one indicator's value, or the reason it cannot be (PRODUCT.md §4–§5). */
import type { Indicator } from "../reference/catalog";
import { parseVietnameseNumber } from "./number";
import { foldText, inSentence } from "./text";
import { KEEPS_LAST_GOOD } from "./types";

export type CellReading =
  | { kind: "empty" }
  | { kind: "value"; value: number; approximate: boolean }
  | { kind: "error"; code: string; message: string };

const UNIT_SCALES: [string, number][] = [
  ["nghin", 1e3],
  ["ngan", 1e3],
  ["trieu", 1e6],
  ["ty", 1e9],
];

/** The scale hidden in an indicator's unit: “triệu đồng” counts in millions. */
function unitScale(unit: string): { scale: number; base: string } {
  const folded = foldText(unit);
  for (const [word, scale] of UNIT_SCALES) {
    if (folded.startsWith(`${word} `)) return { scale, base: folded.slice(word.length + 1) };
  }
  return { scale: 1, base: folded };
}

const FLAG_WORDS = new Map([
  ["dat", 1],
  ["co", 1],
  ["chua dat", 0],
  ["khong dat", 0],
  ["khong", 0],
]);

/** What UNFORMATTED_VALUE returns for a formula that failed, or an IMPORTRANGE still loading (GOOGLE.md "Values"). */
const FORMULA_ERROR = /^(#(REF!|N\/A|DIV\/0!|VALUE!|NAME\?|NUM!|ERROR!|NULL!|SPILL!|CALC!)|Loading\.\.\.)$/;

/** `cellName` is the bare A1 address (“E7”) used in the clerk's message. */
export function readCell(raw: unknown, indicator: Indicator, cellName: string): CellReading {
  const shown = `‘${String(raw).trim()}’`;
  if (typeof raw === "string" && FORMULA_ERROR.test(raw.trim())) {
    const what = raw.trim() === "Loading..." ? "công thức chưa tải xong dữ liệu" : "công thức lỗi";
    return {
      kind: "error",
      code: KEEPS_LAST_GOOD,
      message: `Ô ${cellName}: ${what} (${shown}) — sửa công thức hoặc nhập số trực tiếp; số liệu đã nhận trước đó vẫn được giữ cho đến khi ô có số`,
    };
  }
  if (indicator.kind === "flag") {
    // A checkbox arrives as a boolean; clerks also write “Đạt” / “Chưa đạt”.
    const word = typeof raw === "boolean" ? (raw ? "dat" : "chua dat") : foldText(raw);
    const flag = FLAG_WORDS.get(word);
    if (flag !== undefined) return { kind: "value", value: flag, approximate: false };
  }
  const parsed = parseVietnameseNumber(raw);
  if (parsed.kind === "empty") return { kind: "empty" };
  if (parsed.kind === "invalid") {
    return {
      kind: "error",
      code: "not_a_number",
      message: `Ô ${cellName}: ${shown} ${parsed.reason} — cần nhập một số`,
    };
  }
  const { scale, base } = unitScale(indicator.unit);
  const unit = foldText(indicator.unit);
  if (parsed.unitWord && parsed.unitWord !== unit && parsed.unitWord !== base) {
    return {
      kind: "error",
      code: "unknown_unit",
      message: `Ô ${cellName}: ${shown} có đơn vị khác “${indicator.unit}” — chỉ nhập số theo đơn vị ${indicator.unit}`,
    };
  }
  const percentUnit = unit === "" && indicator.unit.trim() === "%";
  if (parsed.percent && !percentUnit) {
    return {
      kind: "error",
      code: "unexpected_percent",
      message: `Ô ${cellName}: ${shown} là tỷ lệ phần trăm — chỉ tiêu này cần số lượng (${indicator.unit})`,
    };
  }
  let value = parsed.multiplier === 1 ? parsed.value : parsed.value / scale;
  // A cell formatted as a percentage arrives as a fraction under UNFORMATTED_VALUE (0.94 for 94%).
  if (percentUnit && typeof raw === "number" && value > 0 && value <= 1) value *= 100;
  if (value < 0) {
    return { kind: "error", code: "negative", message: `Ô ${cellName}: ${shown} là số âm — số liệu không được âm` };
  }
  if (indicator.kind === "flag" && value !== 0 && value !== 1) {
    return {
      kind: "error",
      code: "not_flag",
      message: `Ô ${cellName}: ${shown} không hợp lệ — chỉ nhập 1 (đạt) hoặc 0 (chưa đạt)`,
    };
  }
  if (indicator.integer && !Number.isInteger(value)) {
    return {
      kind: "error",
      code: "not_integer",
      message: `Ô ${cellName}: ${shown} không phải số nguyên — ${inSentence(indicator.label)} phải là số nguyên`,
    };
  }
  return { kind: "value", value: roundDecimal(value), approximate: parsed.approximate };
}

/** 1.2 / 1e-3 style conversions leave float noise; values are kept to 6 decimals. */
function roundDecimal(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
