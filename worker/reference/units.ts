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
  const parents: { code: string; parentCode: string; line: number }[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const { line, fields: r } of records) {
    const code = r.code ?? "";
    const kind = r.kind as UnitKind;
    if (!/^\d{2,5}$/.test(code)) {
      problems.push({ line, message: `Mã đơn vị “${code}” không hợp lệ` });
      continue;
    }
    if (!UNIT_KINDS.includes(kind)) {
      problems.push({ line, message: `Loại đơn vị “${r.kind ?? ""}” không hợp lệ` });
      continue;
    }
    if (!r.name) {
      problems.push({ line, message: `Đơn vị ${code} thiếu tên` });
      continue;
    }
    if (seen.has(code)) {
      problems.push({ line, message: `Mã đơn vị ${code} bị trùng` });
      continue;
    }
    seen.add(code);
    if (r.parent_code) parents.push({ code, parentCode: r.parent_code, line });
    rows.push({
      code,
      name: r.name.normalize("NFC"),
      fullName: (r.full_name || r.name).normalize("NFC"),
      kind,
      parentCode: r.parent_code || null,
      codeName: r.code_name || null,
    });
  }
  for (const { code, parentCode, line } of parents) {
    if (!seen.has(parentCode)) {
      problems.push({
        line,
        message: `Đơn vị ${code} có mã cấp trên ${parentCode} không có trong danh sách`,
      });
    }
  }
  if (!rows.length && !problems.length)
    problems.push({ line: null, message: "Danh sách đơn vị không có dòng nào dưới dòng tiêu đề" });
  return { rows, problems };
}
