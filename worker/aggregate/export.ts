/**
 * The commune table as CSV for Excel (PRODUCT.md §9): UTF-8 with a BOM, Vietnamese headings, one row per commune
 * (those that did not report too), one column per indicator. Text that a spreadsheet would run as a formula is
 * neutralised with a leading apostrophe.
 */

import { STATE_WORDS } from "../../domain/approvals";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { communeRows, communeStates, communeValues } from "../db/values";
import type { Basis } from "../rollups/read";
import { resolveScope } from "./resolve";

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-looking text neutralised, quoted when it holds a separator, quote or line break. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(cells: (string | number | null)[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}

export type ExportTable = { name: string; heading: string[]; rows: (string | number | null)[][] };

const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * One row per commune under the unit (reported or not), one column per indicator; ratios per commune as percentages;
 * each commune's approval state. On the accepted basis, only accepted communes' figures are given (PRODUCT.md §12).
 */
export async function buildExportTable(
  db: Db,
  unitCode: string,
  period: string,
  basis: Basis = "latest",
): Promise<ExportTable> {
  const { scope, unit } = await resolveScope(db, unitCode, period, null);
  const [catalog, communes, values, states] = await Promise.all([
    listIndicators(db),
    communeRows(db, scope),
    communeValues(db, scope, period),
    communeStates(db, scope, period),
  ]);
  const counted = (code: string) => basis === "latest" || states.get(code) === "accepted";
  const byUnit = new Map<string, Map<string, { value: number; approximate: number }>>();
  for (const v of values) {
    if (!counted(v.unitCode)) continue;
    const m = byUnit.get(v.unitCode) ?? new Map<string, { value: number; approximate: number }>();
    byUnit.set(v.unitCode, m);
    m.set(v.indicatorCode, v);
  }
  const heading = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Trực thuộc",
    "Tình trạng",
    "Duyệt số liệu",
    ...catalog.map((i) => `${i.label} (${i.unit})`),
    "Số ước tính (trên/khoảng/gần)",
  ];
  const reported = new Set(values.map((v) => v.unitCode));
  const rows = communes.map((c) => {
    const own = byUnit.get(c.code);
    const status = own
      ? "Đã báo cáo"
      : reported.has(c.code)
        ? "Đã báo cáo — chưa được tỉnh duyệt (không tính)"
        : "Chưa báo cáo";
    const cells = catalog.map((ind) => {
      if (ind.kind !== "ratio") return own?.get(ind.code)?.value ?? null;
      const n = own?.get(ind.numerator ?? "")?.value;
      const d = own?.get(ind.denominator ?? "")?.value;
      return n !== undefined && d ? Math.round((10000 * n) / d) / 100 : null;
    });
    const approximate = catalog.filter((i) => own?.get(i.code)?.approximate).map((i) => i.label);
    return [
      c.code,
      c.name,
      c.parentName,
      status,
      cap(STATE_WORDS[states.get(c.code) ?? "open"]),
      ...cells,
      approximate.join("; ") || null,
    ];
  });
  const name = `so-lieu-${unit.code}-${period}${basis === "accepted" ? "-da-duyet" : ""}`;
  return { name, heading, rows };
}

export function csvText(table: ExportTable): string {
  return `\uFEFF${csvLine(table.heading)}${table.rows.map(csvLine).join("")}`;
}
