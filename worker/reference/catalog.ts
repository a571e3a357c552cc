/** The indicator catalog in the format of catalog/indicators.csv (PRODUCT.md §2). */
import { DEFAULT_HEADLINES, INDICATOR_KINDS, type IndicatorKind } from "../../domain/indicators";
import type { ImportProblem, TableRecord } from "./table";

export type Indicator = {
  code: string;
  group: string;
  label: string;
  unit: string;
  kind: IndicatorKind;
  aggregate: "sum" | "ratio";
  numerator: string | null;
  denominator: string | null;
  integer: boolean;
  required: boolean;
  position: number;
  /** Place among the figures a conference leads with; null for the others. */
  headline: number | null;
};

const yes = (v: string | undefined) => ["yes", "true", "1", "có"].includes((v ?? "").toLowerCase());

export function parseCatalog(records: TableRecord[]): { rows: Indicator[]; problems: ImportProblem[] } {
  const rows: Indicator[] = [];
  const ratios: { row: Indicator; line: number }[] = [];
  const problems: ImportProblem[] = [];
  for (const { line, fields: r } of records) {
    const code = r.code ?? "";
    const kind = r.kind as IndicatorKind;
    if (!/^[a-z][a-z0-9_]*$/.test(code)) {
      problems.push({ line, message: `Mã chỉ tiêu “${code}” không hợp lệ` });
      continue;
    }
    if (!INDICATOR_KINDS.includes(kind)) {
      problems.push({ line, message: `Chỉ tiêu ${code}: loại “${r.kind ?? ""}” không hợp lệ` });
      continue;
    }
    if (!r.label_vi) {
      problems.push({ line, message: `Chỉ tiêu ${code} thiếu tên` });
      continue;
    }
    if (rows.some((x) => x.code === code)) {
      problems.push({ line, message: `Mã chỉ tiêu ${code} bị trùng` });
      continue;
    }
    const headline = (r.headline ?? "").trim();
    if (headline && !/^[1-9]\d{0,2}$/.test(headline)) {
      problems.push({
        line,
        message: `Chỉ tiêu ${code}: cột headline “${headline}” phải là số thứ tự (1, 2, 3…) hoặc để trống`,
      });
      continue;
    }
    const row: Indicator = {
      code,
      group: r.group ?? "",
      label: r.label_vi.normalize("NFC"),
      unit: (r.unit_vi ?? "").normalize("NFC"),
      kind,
      aggregate: kind === "ratio" ? "ratio" : "sum",
      numerator: r.numerator || null,
      denominator: r.denominator || null,
      integer: kind === "count" || kind === "flag" || yes(r.integer),
      required: yes(r.required),
      position: rows.length + 1,
      headline: headline ? Number(headline) : null,
    };
    rows.push(row);
    if (kind === "ratio") ratios.push({ row, line });
  }
  for (const { row, line } of ratios) {
    for (const part of [row.numerator, row.denominator]) {
      if (!part || !rows.some((x) => x.code === part && x.kind !== "ratio")) {
        problems.push({
          line,
          message: `Tỷ lệ ${row.code} cần tử số và mẫu số là chỉ tiêu có trong danh mục`,
        });
      }
    }
  }
  if (rows.length === 0 && problems.length === 0) {
    problems.push({
      line: null,
      message: "Tệp danh mục không có chỉ tiêu nào; nhập lại tệp có ít nhất một dòng chỉ tiêu",
    });
  }
  // A catalog that names no headline figures gets the speech's order.
  if (!rows.some((x) => x.headline !== null)) {
    for (const x of rows)
      x.headline = DEFAULT_HEADLINES.includes(x.code) ? DEFAULT_HEADLINES.indexOf(x.code) + 1 : null;
  }
  return { rows, problems };
}
