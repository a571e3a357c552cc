/**
 * The `table` layout (PRODUCT.md §3): a province-wide sheet, one row per commune, one column per indicator.
 * The header row is found by its words (“Mã xã”, “Tên xã” and indicator headings); the period comes from the tab
 * title, a title row or the spreadsheet's title. Total rows, blank rows, group rows and unknown helper columns are
 * passed over; a unit code that is not one of the province's communes stops the source.
 */

import type { Indicator } from "../reference/catalog";
import { readCell } from "./cell";
import { type IndicatorMatcher, indicatorMatcher } from "./labels";
import { periodFromHeading, periodInText } from "./period-heading";
import { a1, columnLetters, foldText } from "./text";
import { isTickHeading, readTick } from "./ticks";
import { type Grid, type ReadContext, type SheetReading, SourceError, slotKey } from "./types";

type TableHeader = {
  /** Last header row (a two-row header ends one row later). */
  row: number;
  code: number | null;
  name: number | null;
  /** The column a row's issues point at: the name, else the code. */
  unit: number;
  /** `period` when the column names its own (“Năm 2025” under a merged indicator heading, or in the heading). */
  columns: { column: number; indicator: Indicator; period: string | null }[];
  unknown: { column: number; heading: string }[];
  /** “Chốt số liệu” columns (PRODUCT.md §12), each for its own period or the table's. */
  ticks: { column: number; period: string | null }[];
};

export const CODE_HEADING = /^(ma (xa|phuong|don vi|dvhc|so xa|hanh chinh|dia ban)\b|ma$)/;
export const NAME_HEADING =
  /^(ten (xa|phuong|don vi|dia ban|dvhc)\b|xa phuong\b|xa$|phuong$|don vi$|dia ban$|don vi hanh chinh$)/;
const TOTAL = /^(tong cong|tong so|tong|cong|toan tinh|toan huyen|tong hop|cong toan tinh)\b/;
const INDICATOR_LIKE = /^(so |tong |ty le|khoi luong|luot|gia tri)|^[a-z][a-z0-9]*(?: [a-z0-9]+)*$/;
const IGNORED =
  /^(stt|tt|ghi chu|ten huyen|huyen|ma huyen|ma tinh|tinh|don vi tinh|dvt|nguoi (bao cao|lap bieu)|ngay.*|cap nhat.*|lien he.*|so dien thoai|dien thoai)$/;
const UNIT_PREFIX = /^(xa|phuong|dac khu|thi tran|thi xa|p|x|tt)\s+/;

function headerAt(rows: unknown[][], r: number, match: IndicatorMatcher): TableHeader | null {
  const cells = rows[r] ?? [];
  const folded = cells.map(foldText);
  const code = folded.findIndex((f) => CODE_HEADING.test(f));
  const name = folded.findIndex((f, i) => i !== code && NAME_HEADING.test(f));
  if (code < 0 && name < 0) return null;
  const below = rows[r + 1] ?? [];
  const own = indicatorColumns(cells, null, code, name, match);
  // A two-row header: group headings merged over the indicator (or period) headings of the next row.
  const merged = indicatorColumns(cells, below, code, name, match);
  const useBelow = merged.columns.length > own.columns.length && !looksLikeUnit(below, code, name);
  const chosen = useBelow ? merged : own;
  if (chosen.columns.length === 0) return null;
  return {
    row: useBelow ? r + 1 : r,
    code: code < 0 ? null : code,
    name: name < 0 ? null : name,
    unit: name < 0 ? code : name,
    ...chosen,
  };
}

const PERIOD_WORDS =
  /(6 thang (dau |cuoi )?(nam )?|quy (i|ii|iii|iv|[1-4]) (nam )?|thang \d{1,2} (nam )?|nam )?(19|20)\d\d/g;

function indicatorColumns(
  top: unknown[],
  below: unknown[] | null,
  code: number,
  name: number,
  match: IndicatorMatcher,
) {
  const columns: TableHeader["columns"] = [];
  const unknown: TableHeader["unknown"] = [];
  const ticks: TableHeader["ticks"] = [];
  const width = Math.max(top.length, below?.length ?? 0);
  let group: unknown = "";
  for (let column = 0; column < width; column++) {
    if (foldText(top[column])) group = top[column];
    if (column === code || column === name) continue;
    const sub = below?.[column];
    let heading = below && foldText(sub) ? sub : top[column];
    let period = below ? periodFromHeading(sub) : null;
    if (period !== null) heading = group;
    const f = foldText(heading);
    if (!f || IGNORED.test(f)) continue;
    if (isTickHeading(heading)) {
      ticks.push({ column, period: period ?? periodInText(heading) });
      continue;
    }
    let indicator = match(heading, heading);
    const named = period === null ? periodInText(heading) : null;
    if (!indicator && named) {
      const bare = f.replace(PERIOD_WORDS, " ");
      indicator = match(bare, bare);
      if (indicator) period = named;
    }
    if (indicator) columns.push({ column, indicator, period });
    else if (
      INDICATOR_LIKE.test(f) &&
      (/^(so |tong |ty le|khoi luong|luot|gia tri)/.test(f) || /_/.test(String(heading)))
    ) {
      unknown.push({ column, heading: String(heading) });
    }
  }
  return { columns, unknown, ticks };
}

function looksLikeUnit(row: unknown[], code: number, name: number): boolean {
  return (
    (code >= 0 && /\d/.test(String(row[code] ?? ""))) || (name >= 0 && UNIT_PREFIX.test(`${foldText(row[name])} `))
  );
}

export function findTableHeader(rows: unknown[][], catalog: Indicator[]): TableHeader | null {
  const match = indicatorMatcher(catalog);
  for (let r = 0; r < rows.length; r++) {
    const header = headerAt(rows, r, match);
    if (header) return header;
  }
  return null;
}

/**
 * A commune's code from its name as a table writes it (“Xã Đà Bắc”, “Đà Bắc”), among the communes a table may list;
 * null when no commune, or several, have that name.
 */
export function communeByName(communes: ReadContext["communes"]): (name: unknown) => string | null {
  const byName = new Map<string, string | null>();
  const addName = (key: string, code: string) =>
    byName.set(key, byName.has(key) && byName.get(key) !== code ? null : code);
  for (const c of communes) {
    addName(foldText(c.name), c.code);
    if (c.fullName) addName(foldText(c.fullName), c.code);
  }
  return (name) => {
    const f = foldText(name);
    return byName.get(f) ?? byName.get(f.replace(UNIT_PREFIX, "")) ?? null;
  };
}

export const normalCode = (raw: unknown): string | null => {
  const s = String(raw ?? "").trim();
  if (!/^\d{1,5}$/.test(s)) return null;
  return s.padStart(5, "0");
};

export function readTable(grid: Grid, ctx: ReadContext): SheetReading {
  const header = findTableHeader(grid.rows, ctx.catalog);
  if (!header) {
    throw new SourceError(
      "no_header",
      `Trang “${grid.tab}” không có dòng tiêu đề (cần cột “Mã xã” hoặc “Tên xã” và các cột chỉ tiêu)`,
    );
  }
  const tablePeriod =
    periodInText(grid.tab) ??
    grid.rows
      .slice(0, header.row + 1)
      .flatMap((row) => row.map(periodInText))
      .find((p) => p) ??
    periodInText(ctx.sheetTitle);
  const columns: { column: number; indicator: Indicator; period: string }[] = [];
  for (const c of header.columns) {
    const own = c.period ?? tablePeriod;
    if (own === null) {
      throw new SourceError(
        "no_header",
        `Trang “${grid.tab}”: không xác định được kỳ báo cáo — đặt tên trang hoặc tiêu đề bảng có kỳ, ví dụ “Năm 2025”`,
      );
    }
    columns.push({ ...c, period: own });
  }
  const period = tablePeriod ?? columns[0]?.period ?? null;
  const tickColumns = header.ticks.flatMap((t) => {
    const own = t.period ?? period;
    return own === null ? [] : [{ column: t.column, period: own }];
  });

  const byCode = new Map(ctx.communes.map((c) => [c.code, c]));
  const communeNamed = communeByName(ctx.communes);

  const slots = new Map<string, string>();
  const reading: SheetReading = { values: [], issues: [], slots, ...(tickColumns.length ? { ticks: [] } : {}) };
  for (const { column, heading } of header.unknown) {
    reading.issues.push({
      unitCode: null,
      period,
      indicatorCode: null,
      cell: a1(grid.tab, header.row, column),
      raw: heading,
      severity: "warning",
      code: "unknown_column",
      message: `Cột ${columnLetters(column)}: “${heading}” không khớp chỉ tiêu nào trong danh mục — số liệu cột này chưa được tính`,
    });
  }
  const firstData = Math.min(...columns.map((c) => c.column));
  const seen = new Map<string, number>();
  for (let r = header.row + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    const hasFigures = columns.some(({ column }) => foldText(row[column]) !== "");
    const lead = row.slice(0, Math.max(firstData, (header.code ?? 0) + 1, (header.name ?? 0) + 1)).map(foldText);
    if (lead.some((f) => TOTAL.test(f))) continue;
    const codeCell = header.code === null ? undefined : row[header.code];
    const nameCell = header.name === null ? undefined : row[header.name];
    const code = normalCode(codeCell);
    let unitCode: string | null = null;
    if (code !== null && header.code !== null) {
      if (!byCode.has(code)) {
        throw new SourceError(
          "unknown_unit",
          `Ô ${columnLetters(header.code)}${r + 1} (trang “${grid.tab}”): mã xã ${code} không thuộc danh sách xã, phường của đơn vị ${ctx.unitCode} — sửa lại mã theo danh mục đơn vị hành chính`,
        );
      }
      unitCode = code;
    } else if (foldText(nameCell)) {
      unitCode = communeNamed(nameCell);
    }
    if (unitCode === null) {
      if (hasFigures && (foldText(nameCell) || foldText(codeCell))) {
        reading.issues.push({
          unitCode: null,
          period,
          indicatorCode: null,
          cell: a1(grid.tab, r, header.unit),
          raw: String(nameCell ?? codeCell ?? ""),
          severity: "warning",
          code: "unknown_unit_row",
          message: `Dòng ${r + 1}: không tìm thấy xã, phường “${String(nameCell ?? codeCell)}” trong danh sách của đơn vị ${ctx.unitCode} — ghi thêm cột “Mã xã” hoặc sửa tên cho đúng`,
        });
      }
      continue;
    }
    const firstRow = seen.get(unitCode);
    if (firstRow !== undefined) {
      reading.issues.push({
        unitCode,
        period,
        indicatorCode: null,
        cell: a1(grid.tab, r, header.unit),
        raw: String(nameCell ?? codeCell ?? ""),
        severity: "error",
        code: "duplicate",
        message: `Dòng ${r + 1}: xã, phường này đã có ở dòng ${firstRow + 1} — xóa một trong hai dòng`,
      });
      continue;
    }
    seen.set(unitCode, r);
    for (const { column, period } of tickColumns) {
      const at = { unitCode, period, cell: a1(grid.tab, r, column), cellName: `${columnLetters(column)}${r + 1}` };
      const { tick, issue } = readTick(row[column], at);
      reading.ticks?.push(tick);
      if (issue) reading.issues.push(issue);
    }
    for (const { column, indicator, period } of columns) {
      if (indicator.kind === "ratio") continue;
      const raw = row[column];
      const cell = a1(grid.tab, r, column);
      const key = slotKey(unitCode, indicator.code, period);
      if (slots.has(key)) continue;
      slots.set(key, cell);
      const result = readCell(raw, indicator, `${columnLetters(column)}${r + 1}`);
      if (result.kind === "empty") continue;
      if (result.kind === "error") {
        reading.issues.push({
          unitCode,
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
        unitCode,
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
