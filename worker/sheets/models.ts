/**
 * The models tab (PRODUCT.md §15): `STT | Loại mô hình | Số điểm | Ghi chú`, found by its header words, one row per
 * kind of model a commune runs; with a `Mã xã` / `Tên xã` column, one tab lists many communes' models (a commune's
 * name may stand on its first row only, as merged cells leave it). Points are read as counts are (§4) and every
 * problem is said at its cell (§5). Pure: the sync stores what this returns.
 */
import { formatNumber } from "../../domain/numbers";
import type { KindMatcher } from "../models/match";
import type { Indicator } from "../reference/catalog";
import { readCell } from "./cell";
import { periodInText } from "./period-heading";
import { CODE_HEADING, communeByName, NAME_HEADING, normalCode } from "./table";
import { a1, columnLetters, foldText } from "./text";
import { type CellIssue, type CellValue, type Grid, KEEPS_LAST_GOOD, type ReadContext } from "./types";

type ModelEntry = { kind: string; label: string; points: number; inCatalog: boolean; cell: string };

/** A commune's list for a period: present even when empty (the commune runs none). */
export type ModelList = {
  unitCode: string;
  period: string;
  cell: string;
  entries: ModelEntry[];
  /** Kinds whose points cell holds a failed formula: their last good points stand (PRODUCT.md §4). */
  kept?: string[];
};

export type ModelsReading = { lists: ModelList[]; issues: CellIssue[] };

/** The indicator whose typed count the list must add up to. */
const MODEL_COUNT = "self_managed_model_count";

const KIND_HEADING = /^(ten |cac )?(loai )?mo hinh( tu quan)?( ve an ninh trat tu| antt)?$/;
const POINTS_HEADING = /^so (diem|mo hinh|luong)( mo hinh| diem)?$/;
/** A whole cell saying “total”: “Cổng trường an toàn” starts with “cong” and is a kind, not a total. */
const TOTAL_CELL = /^(tong cong|tong so|tong|cong|toan xa|toan tinh|tong hop)$/;

/** Points are a count of places: whole numbers, 0 or more, read like any count (“12”, “12 điểm”, “1.200”). */
const POINTS: Indicator = {
  code: "model_points",
  group: "",
  label: "Số điểm",
  unit: "điểm",
  kind: "count",
  aggregate: "sum",
  numerator: null,
  denominator: null,
  integer: true,
  required: false,
  position: 0,
  headline: null,
  overTime: "last",
};

export type ModelsHeader = { row: number; kind: number; points: number; code: number | null; name: number | null };

export function findModelsHeader(rows: unknown[][]): ModelsHeader | null {
  for (let r = 0; r < rows.length; r++) {
    const folded = (rows[r] ?? []).map(foldText);
    const kind = folded.findIndex((f) => KIND_HEADING.test(f));
    const points = folded.findIndex((f) => POINTS_HEADING.test(f));
    if (kind < 0 || points < 0) continue;
    const code = folded.findIndex((f) => CODE_HEADING.test(f));
    const name = folded.findIndex((f, i) => i !== code && i !== kind && NAME_HEADING.test(f));
    return { row: r, kind, points, code: code < 0 ? null : code, name: name < 0 ? null : name };
  }
  return null;
}

/** The tab a source's models are in: the first with a models header (`grids` in the spreadsheet's order). */
export function findModelsGrid(grids: Grid[]): Grid | null {
  return grids.find((g) => findModelsHeader(g.rows) !== null) ?? null;
}

export type ModelsContext = Pick<ReadContext, "unitCode" | "communes" | "sheetTitle"> & {
  layout: "form" | "table";
  match: KindMatcher;
  /** The period when neither the tab nor its title rows name one: the form's latest period column. */
  fallbackPeriod: string | null;
};

export function readModels(grid: Grid, ctx: ModelsContext): ModelsReading {
  const header = findModelsHeader(grid.rows);
  const issues: CellIssue[] = [];
  if (!header) return { lists: [], issues };
  const headerCell = a1(grid.tab, header.row, header.kind);
  const period =
    periodInText(grid.tab) ??
    grid.rows
      .slice(0, header.row)
      .flatMap((row) => row.map(periodInText))
      .find((p) => p) ??
    (ctx.layout === "table" ? periodInText(ctx.sheetTitle) : null) ??
    ctx.fallbackPeriod;
  if (!period) {
    issues.push({
      unitCode: ctx.layout === "form" ? ctx.unitCode : null,
      period: null,
      indicatorCode: null,
      cell: headerCell,
      raw: null,
      severity: "error",
      code: "models_no_period",
      message: `Trang “${grid.tab}”: không rõ danh sách mô hình của kỳ nào — đặt tên trang như “Mô hình 2025” hoặc ghi “Năm 2025” ở dòng tiêu đề`,
    });
    return { lists: [], issues };
  }
  const byTable = ctx.layout === "table" && (header.code !== null || header.name !== null);
  const communeNamed = communeByName(ctx.communes);
  const known = new Set(ctx.communes.map((c) => c.code));
  const lists = new Map<string, ModelList & { rows: Map<string, number> }>();
  const listOf = (unitCode: string) => {
    let list = lists.get(unitCode);
    if (!list) {
      list = { unitCode, period, cell: headerCell, entries: [], rows: new Map() };
      lists.set(unitCode, list);
    }
    return list;
  };
  // A commune's own tab is its list even with no row: it runs none.
  let current: string | null = byTable ? null : ctx.unitCode;
  if (current) listOf(current);

  for (let r = header.row + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    const rawKind = row[header.kind];
    const rawPoints = row[header.points];
    const kindText = String(rawKind ?? "").trim();
    const pointsCell = `${columnLetters(header.points)}${r + 1}`;
    const kindCell = `${columnLetters(header.kind)}${r + 1}`;
    if (byTable) {
      const codeCell = header.code === null ? "" : row[header.code];
      const nameCell = header.name === null ? "" : row[header.name];
      if (TOTAL_CELL.test(foldText(nameCell)) || TOTAL_CELL.test(foldText(codeCell))) {
        current = null;
        continue;
      }
      if (foldText(codeCell) || foldText(nameCell)) {
        const code = normalCode(codeCell);
        current = code !== null && known.has(code) ? code : communeNamed(nameCell);
        if (current === null) {
          const at = header.code !== null && foldText(codeCell) ? header.code : (header.name ?? 0);
          issues.push({
            unitCode: null,
            period,
            indicatorCode: null,
            cell: a1(grid.tab, r, at),
            raw: String(foldText(codeCell) ? codeCell : nameCell),
            severity: "warning",
            code: "models_unknown_unit",
            message: `Dòng ${r + 1}: không tìm thấy xã, phường “${String(foldText(codeCell) ? codeCell : nameCell)}” trong danh sách của đơn vị ${ctx.unitCode} — mô hình của dòng này và các dòng dưới nó chưa được tính; sửa mã hoặc tên xã cho đúng`,
          });
        } else listOf(current);
      }
    }
    if (kindText === "" && foldText(rawPoints) === "") continue;
    if (TOTAL_CELL.test(foldText(rawKind)) || TOTAL_CELL.test(foldText(row[0]))) continue;
    if (current === null) continue;
    const base = { unitCode: current, period, indicatorCode: null };
    if (kindText === "") {
      issues.push({
        ...base,
        cell: a1(grid.tab, r, header.kind),
        raw: String(rawPoints),
        severity: "error",
        code: "models_no_kind",
        message: `Ô ${kindCell}: có số điểm (${String(rawPoints).trim()}) ở ô ${pointsCell} nhưng chưa ghi loại mô hình — ghi tên loại mô hình vào ô ${kindCell}, hoặc xóa số ở ô ${pointsCell}`,
      });
      continue;
    }
    const read = readCell(rawPoints, POINTS, pointsCell);
    const pointsAt = { ...base, cell: a1(grid.tab, r, header.points), raw: String(rawPoints ?? "") };
    if (read.kind === "empty") {
      issues.push({
        ...pointsAt,
        severity: "warning",
        code: "models_no_points",
        message: `Ô ${pointsCell}: chưa ghi số điểm của mô hình “${kindText}” — ghi số điểm đang duy trì (0 nếu không còn); mô hình này chưa được tính`,
      });
      continue;
    }
    if (read.kind === "error") {
      issues.push({ ...pointsAt, severity: "error", code: read.code, message: read.message });
      const failed = read.code === KEEPS_LAST_GOOD ? ctx.match(rawKind) : null;
      if (failed) {
        const list = listOf(current);
        list.kept = [...(list.kept ?? []), failed.code];
      }
      continue;
    }
    const kind = ctx.match(rawKind);
    if (!kind) continue;
    const list = listOf(current);
    const earlier = list.rows.get(kind.code);
    if (earlier !== undefined) {
      issues.push({
        ...base,
        cell: a1(grid.tab, r, header.kind),
        raw: kindText,
        severity: "error",
        code: "models_duplicate",
        message: `Ô ${kindCell}: loại mô hình “${kind.label}” đã có ở dòng ${earlier + 1} — gộp số điểm vào một dòng rồi xóa dòng này; dòng này chưa được tính`,
      });
      continue;
    }
    list.rows.set(kind.code, r);
    if (!kind.inCatalog) {
      issues.push({
        ...base,
        cell: a1(grid.tab, r, header.kind),
        raw: kindText,
        severity: "warning",
        code: "models_unknown_kind",
        message: `Ô ${kindCell}: Loại mô hình chưa có trong danh mục: “${kindText}” — chọn loại gần nhất hoặc đề nghị thêm vào danh mục; số điểm vẫn được tính theo tên đã ghi`,
      });
    }
    if (read.approximate) {
      issues.push({
        ...pointsAt,
        severity: "warning",
        code: "approximate",
        message: `Ô ${pointsCell}: ‘${String(rawPoints).trim()}’ là số ước tính — ghi số điểm chính xác nếu có`,
      });
    }
    if (read.value === 0) continue;
    list.entries.push({
      kind: kind.code,
      label: kind.label,
      points: read.value,
      inCatalog: kind.inCatalog,
      cell: a1(grid.tab, r, header.points),
    });
  }
  return { lists: [...lists.values()].map(({ rows: _, ...list }) => list), issues };
}

/**
 * A list whose points do not add up to the commune's typed count of models for the same period: a warning at the
 * count's cell (both are kept; the clerk decides which is right).
 */
export function modelCountIssues(lists: ModelList[], values: CellValue[]): CellIssue[] {
  const typed = new Map(
    values.filter((v) => v.indicatorCode === MODEL_COUNT).map((v) => [`${v.unitCode}|${v.period}`, v]),
  );
  return lists.flatMap((list) => {
    const count = typed.get(`${list.unitCode}|${list.period}`);
    const total = list.entries.reduce((sum, e) => sum + e.points, 0);
    // While a points cell shows a failed formula the list's total is not known: nothing to compare.
    if (!count || count.value === total || list.kept?.length) return [];
    const bare = count.cell.replace(/^.*!/, "");
    return [
      {
        unitCode: list.unitCode,
        period: list.period,
        indicatorCode: MODEL_COUNT,
        cell: count.cell,
        raw: count.raw,
        severity: "warning" as const,
        code: "models_count_differs",
        message: `Ô ${bare}: Tổng số điểm theo danh sách (${formatNumber(total, "count")}) khác số mô hình đã nhập (${formatNumber(count.value, "count")}) — sửa số ở ô ${bare} hoặc danh sách mô hình (${list.cell}) cho khớp`,
      },
    ];
  });
}
