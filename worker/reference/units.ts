/** Administrative units in the §2 CSV format (`code,name,full_name,kind,parent_code,code_name`). */
import { UNIT_KINDS, type UnitKind } from "../../domain/units";
import type { ImportProblem, TableRecord } from "./table";

export type UnitRow = {
  code: string;
  name: string;
  fullName: string;
  kind: UnitKind;
  parentCode: string | null;
  codeName: string | null;
};

export function parseUnits(records: TableRecord[]): { rows: UnitRow[]; problems: ImportProblem[] } {
  const rows: UnitRow[] = [];
  const lines: number[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  records.forEach(({ line, fields: r }) => {
    const code = r.code ?? "";
    const kind = r.kind as UnitKind;
    if (!/^\d{2,5}$/.test(code)) return problems.push({ line, message: `Mã đơn vị “${code}” không hợp lệ` });
    if (!UNIT_KINDS.includes(kind))
      return problems.push({ line, message: `Loại đơn vị “${r.kind ?? ""}” không hợp lệ` });
    if (!r.name) return problems.push({ line, message: `Đơn vị ${code} thiếu tên` });
    if (seen.has(code)) return problems.push({ line, message: `Mã đơn vị ${code} bị trùng` });
    seen.add(code);
    lines.push(line);
    rows.push({
      code,
      name: r.name.normalize("NFC"),
      fullName: (r.full_name || r.name).normalize("NFC"),
      kind,
      parentCode: r.parent_code || null,
      codeName: r.code_name || null,
    });
  });
  for (const [i, row] of rows.entries()) {
    if (row.parentCode && !seen.has(row.parentCode)) {
      problems.push({
        line: lines[i]!,
        message: `Đơn vị ${row.code} có mã cấp trên ${row.parentCode} không có trong danh sách`,
      });
    }
  }
  if (!rows.length && !problems.length)
    problems.push({ line: null, message: "Danh sách đơn vị không có dòng nào dưới dòng tiêu đề" });
  return { rows, problems };
}
