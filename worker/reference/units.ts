/** Administrative units in the §2 CSV format (`code,name,full_name,kind,parent_code,code_name`). */
import { UNIT_KINDS, type UnitKind } from "../../domain/units";
import { type ImportProblem, referenceFormat, type TableRecord } from "./table";

/** The columns of a unit list, checked on upload and written into its template. */
export const UNIT_FILE = referenceFormat({
  title: "danh sách đơn vị hành chính",
  columns: [
    {
      name: "code",
      meaning: "mã đơn vị",
      required: true,
      aliases: ["mã", "mã đơn vị", "mã ĐVHC", "mã xã", "unit_code"],
    },
    { name: "name", meaning: "tên đơn vị", required: true, aliases: ["tên", "tên đơn vị", "tên ĐVHC", "tên xã"] },
    {
      name: "full_name",
      meaning: "tên đầy đủ, như Xã Bắc Đông Quan; để trống thì lấy tên",
      required: false,
      aliases: ["tên đầy đủ", "fullname"],
    },
    {
      name: "kind",
      meaning: "loại đơn vị: province, city, commune, ward, special_zone hoặc district",
      required: true,
      aliases: ["loại", "loại đơn vị", "cấp", "type"],
    },
    {
      name: "parent_code",
      meaning: "mã đơn vị cấp trên, để trống ở tỉnh và thành phố",
      required: true,
      aliases: ["mã cấp trên", "mã đơn vị cấp trên", "mã tỉnh", "parent"],
    },
    { name: "code_name", meaning: "tên viết không dấu", required: false, aliases: ["tên không dấu", "slug"] },
  ],
  examples: [
    {
      code: "33",
      name: "Hưng Yên",
      full_name: "Tỉnh Hưng Yên",
      kind: "province",
      parent_code: "",
      code_name: "hung_yen",
    },
    {
      code: "12745",
      name: "Bắc Đông Quan",
      full_name: "Xã Bắc Đông Quan",
      kind: "commune",
      parent_code: "33",
      code_name: "bac_dong_quan",
    },
  ],
});

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
