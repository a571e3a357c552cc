/**
 * The catalog of model kinds (PRODUCT.md §15): data like the indicator catalog, `code,label_vi,aliases` (aliases
 * separated by `;`), the default being `../shared/spec/model-types.csv`. A province adds a kind by uploading it again.
 */
import { type ImportProblem, referenceFormat, type TableRecord } from "../reference/table";

export type ModelType = { code: string; label: string; aliases: string[]; position: number };

/** The columns of a catalog of model kinds, checked on upload and written into its template. */
export const MODEL_TYPES_FILE = referenceFormat({
  title: "danh mục loại mô hình",
  columns: [
    { name: "code", meaning: "mã loại mô hình", required: true, aliases: ["mã", "mã loại", "mã mô hình"] },
    {
      name: "label_vi",
      meaning: "tên loại mô hình",
      required: true,
      aliases: ["tên", "tên loại", "loại mô hình", "tên mô hình", "label"],
    },
    {
      name: "aliases",
      meaning: "các tên gọi khác, cách nhau bởi dấu ;",
      required: false,
      aliases: ["tên khác", "tên gọi khác", "bí danh"],
    },
  ],
  examples: [
    {
      code: "camera_an_ninh",
      label_vi: "Camera an ninh",
      aliases: "Camera giám sát an ninh;Mô hình camera an ninh;Camera ANTT",
    },
  ],
});

export function modelTypeRecord(t: ModelType): Record<string, string> {
  return { code: t.code, label_vi: t.label, aliases: t.aliases.join(";") };
}

export function parseModelTypes(records: TableRecord[]): { rows: ModelType[]; problems: ImportProblem[] } {
  const rows: ModelType[] = [];
  const problems: ImportProblem[] = [];
  for (const { line, fields: r } of records) {
    const code = (r.code ?? "").trim();
    const label = (r.label_vi ?? "").trim().normalize("NFC");
    if (!/^[a-z][a-z0-9_]*$/.test(code)) {
      problems.push({
        line,
        message: `Mã loại mô hình “${code}” không hợp lệ — chỉ dùng chữ thường không dấu, số và dấu _ (ví dụ camera_an_ninh)`,
      });
      continue;
    }
    if (!label) {
      problems.push({ line, message: `Loại mô hình ${code} thiếu tên (cột label_vi)` });
      continue;
    }
    if (rows.some((x) => x.code === code)) {
      problems.push({ line, message: `Mã loại mô hình ${code} bị trùng — mỗi loại chỉ một dòng` });
      continue;
    }
    const aliases = (r.aliases ?? "")
      .split(";")
      .map((a) => a.trim().normalize("NFC"))
      .filter(Boolean);
    rows.push({ code, label, aliases, position: rows.length + 1 });
  }
  if (rows.length === 0 && problems.length === 0) {
    problems.push({ line: null, message: "Tệp không có loại mô hình nào; nhập lại tệp có ít nhất một dòng" });
  }
  return { rows, problems };
}
