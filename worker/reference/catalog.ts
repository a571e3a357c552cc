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
  const lines: number[] = [];
  const problems: ImportProblem[] = [];
  records.forEach(({ line, fields: r }) => {
    const code = r.code ?? "";
    const kind = r.kind as IndicatorKind;
    if (!/^[a-z][a-z0-9_]*$/.test(code)) return problems.push({ line, message: `Mã chỉ tiêu “${code}” không hợp lệ` });
    if (!INDICATOR_KINDS.includes(kind)) {
      return problems.push({ line, message: `Chỉ tiêu ${code}: loại “${r.kind ?? ""}” không hợp lệ` });
    }
    if (!r.label_vi) return problems.push({ line, message: `Chỉ tiêu ${code} thiếu tên` });
    if (rows.some((x) => x.code === code)) return problems.push({ line, message: `Mã chỉ tiêu ${code} bị trùng` });
    const headline = (r.headline ?? "").trim();
    if (headline && !/^[1-9]\d{0,2}$/.test(headline)) {
      return problems.push({
        line,
        message: `Chỉ tiêu ${code}: cột headline “${headline}” phải là số thứ tự (1, 2, 3…) hoặc để trống`,
      });
    }
    lines.push(line);
    rows.push({
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
    });
  });
  for (const row of rows.filter((x) => x.kind === "ratio")) {
    for (const part of [row.numerator, row.denominator]) {
      if (!part || !rows.some((x) => x.code === part && x.kind !== "ratio")) {
        problems.push({
          line: lines[row.position - 1]!,
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
