/**
 * The `form` layout (PRODUCT.md §3): a commune's report with indicators down the rows and one column per period.
 * Title rows, blank rows and columns that are neither code, label nor period are passed over.
 */
import { readCell } from "./cell";
import { indicatorMatcher } from "./labels";
import { periodFromHeading, periodInText } from "./period-heading";
import { a1, columnLetters, foldText } from "./text";
import { isTickHeading, readTick } from "./ticks";
import { type Grid, type ReadContext, type SheetReading, SourceError, slotKey } from "./types";

type FormHeader = { row: number; code: number | null; label: number; periods: { column: number; period: string }[] };

const LABEL_HEADING = /^(ten |cac )?(chi tieu|noi dung|tieu chi)( [a-z ]+)?( \d+)?$/;
const CODE_HEADINGS = ["ma", "ma chi tieu", "ma so", "code"];
const TOTAL_ROW = /^(tong cong|tong so|cong)$/;

const VALUE_HEADINGS = ["so lieu", "ket qua", "gia tri", "thuc hien", "so luong"];

/**
 * The header row: a “Chỉ tiêu” column and period columns. A single “Số liệu” column takes its period from the tab
 * title or a title row above the header.
 */
export function findFormHeader(rows: unknown[][], tab = ""): FormHeader | null {
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    const folded = cells.map(foldText);
    const label = folded.findIndex((f) => LABEL_HEADING.test(f));
    if (label < 0) continue;
    let periods = cells
      .map((cell, column) => ({ column, period: periodFromHeading(cell) }))
      .filter((p): p is { column: number; period: string } => p.period !== null);
    const valueColumn = folded.findIndex((f) => VALUE_HEADINGS.includes(f));
    if (periods.length === 0 && valueColumn >= 0) {
      const period =
        periodInText(tab) ??
        rows
          .slice(0, r)
          .map((row) => row.map(periodInText).find((p) => p) ?? null)
          .find((p) => p) ??
        null;
      if (period) periods = [{ column: valueColumn, period }];
    }
    // A second column naming the same period (a helper copy, often hidden) is not read.
    periods = periods.filter((p, i) => periods.findIndex((q) => q.period === p.period) === i);
    if (periods.length === 0) continue;
    const code = folded.findIndex((f) => CODE_HEADINGS.includes(f));
    return { row: r, label, code: code < 0 ? null : code, periods };
  }
  return null;
}

export function readForm(grid: Grid, ctx: ReadContext): SheetReading {
  const header = findFormHeader(grid.rows, grid.tab);
  if (!header) {
    throw new SourceError(
      "no_header",
      `Trang “${grid.tab}” không có dòng tiêu đề (cần các cột “Chỉ tiêu” và một cột kỳ báo cáo như “Năm 2025”)`,
    );
  }
  const match = indicatorMatcher(ctx.catalog);
  const slots = new Map<string, string>();
  const reading: SheetReading = { values: [], issues: [], slots };
  const seen = new Map<string, string>();
  for (let r = header.row + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    const label = row[header.label];
    const code = header.code === null ? undefined : row[header.code];
    if (foldText(label) === "" && foldText(code) === "") continue;
    if (TOTAL_ROW.test(foldText(label))) continue;
    if (isTickHeading(code, label)) {
      readTickRow(grid.tab, r, row, header, ctx.unitCode, reading);
      continue;
    }
    const indicator = match(code, label);
    const hasFigures = header.periods.some((p) => row[p.column] !== undefined && row[p.column] !== "");
    if (!indicator) {
      if (hasFigures) {
        reading.issues.push({
          unitCode: ctx.unitCode,
          period: null,
          indicatorCode: null,
          cell: a1(grid.tab, r, header.label),
          raw: String(label ?? code ?? ""),
          severity: "warning",
          code: "unknown_row",
          message: `Dòng ${r + 1}: “${String(label ?? code ?? "")}” không khớp chỉ tiêu nào trong danh mục — số liệu dòng này chưa được tính`,
        });
      }
      continue;
    }
    if (indicator.kind === "ratio") continue;
    for (const { column, period } of header.periods) {
      const raw = row[column];
      const cellName = `${columnLetters(column)}${r + 1}`;
      const cell = a1(grid.tab, r, column);
      const key = `${indicator.code}|${period}`;
      const result = readCell(raw, indicator, cellName);
      if (!slots.has(slotKey(ctx.unitCode, indicator.code, period)))
        slots.set(slotKey(ctx.unitCode, indicator.code, period), cell);
      if (result.kind === "empty") continue;
      if (seen.has(key)) {
        reading.issues.push({
          unitCode: ctx.unitCode,
          period,
          indicatorCode: indicator.code,
          cell,
          raw: String(raw),
          severity: "error",
          code: "duplicate",
          message: `Ô ${cellName}: chỉ tiêu “${indicator.label}” đã có ở ô ${seen.get(key)} — xóa một trong hai dòng`,
        });
        continue;
      }
      seen.set(key, cellName);
      if (result.kind === "error") {
        reading.issues.push({
          unitCode: ctx.unitCode,
          period,
          indicatorCode: indicator.code,
          cell,
          raw: String(raw),
          severity: "error",
          code: result.code,
          message: result.message,
        });
        continue;
      }
      reading.values.push({
        unitCode: ctx.unitCode,
        indicatorCode: indicator.code,
        period,
        value: result.value,
        approximate: result.approximate,
        raw: String(raw),
        cell,
      });
    }
  }
  return reading;
}

/** The “Chốt số liệu” row: one tick per period column (the first such row counts; a second is ignored). */
function readTickRow(
  tab: string,
  r: number,
  row: unknown[],
  header: FormHeader,
  unitCode: string,
  reading: SheetReading,
): void {
  if (reading.ticks) return;
  reading.ticks = header.periods.map(({ column, period }) => {
    const { tick, issue } = readTick(row[column], {
      unitCode,
      period,
      cell: a1(tab, r, column),
      cellName: `${columnLetters(column)}${r + 1}`,
    });
    if (issue) reading.issues.push(issue);
    return tick;
  });
}
