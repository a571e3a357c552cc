/** The indicator catalog in the format of catalog/indicators.csv (PRODUCT.md §2). */
import { DEFAULT_HEADLINES, INDICATOR_KINDS, type IndicatorKind } from "../../domain/indicators";
import { type ImportProblem, referenceFormat, type TableRecord } from "./table";

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
  /** How shorter periods make a longer one (PRODUCT.md §14): `sum` (a flow) or `last` (a stock); null for a ratio. */
  overTime: OverTime | null;
};

type OverTime = "sum" | "last";
const OVER_TIME: readonly OverTime[] = ["sum", "last"];

/** The columns of an indicator catalog, checked on upload and written into its template. */
export const CATALOG_FILE = referenceFormat({
  title: "danh mục chỉ tiêu",
  columns: [
    { name: "code", meaning: "mã chỉ tiêu", required: true, aliases: ["mã", "mã chỉ tiêu", "indicator"] },
    { name: "group", meaning: "nhóm chỉ tiêu", required: false, aliases: ["nhóm", "nhóm chỉ tiêu"] },
    {
      name: "label_vi",
      meaning: "tên chỉ tiêu",
      required: true,
      aliases: ["tên", "tên chỉ tiêu", "chỉ tiêu", "nội dung", "label"],
    },
    { name: "unit_vi", meaning: "đơn vị tính", required: false, aliases: ["đơn vị", "đơn vị tính", "ĐVT", "unit"] },
    {
      name: "kind",
      meaning: "loại: count, amount, flag hoặc ratio",
      required: true,
      aliases: ["loại", "loại chỉ tiêu", "kiểu", "type"],
    },
    { name: "numerator", meaning: "tử số của tỷ lệ", required: false, aliases: ["tử số"] },
    { name: "denominator", meaning: "mẫu số của tỷ lệ", required: false, aliases: ["mẫu số"] },
    { name: "integer", meaning: "số nguyên: yes hoặc no", required: false, aliases: ["số nguyên"] },
    { name: "required", meaning: "bắt buộc báo cáo: yes hoặc no", required: false, aliases: ["bắt buộc"] },
    {
      name: "headline",
      meaning: "thứ tự trong phần số liệu chính, để trống nếu không",
      required: false,
      aliases: ["số liệu chính", "thứ tự"],
    },
    {
      name: "over_time",
      meaning: "cộng dồn theo thời gian: sum (cộng các kỳ) hoặc last (lấy kỳ cuối); để trống với tỷ lệ",
      required: false,
      aliases: ["theo thời gian", "cộng dồn", "tổng hợp theo thời gian"],
    },
  ],
  examples: [
    {
      code: "security_team_count",
      group: "luc_luong",
      label_vi: "Số tổ bảo vệ an ninh trật tự ở cơ sở",
      unit_vi: "tổ",
      kind: "count",
      integer: "yes",
      required: "yes",
      headline: "1",
      over_time: "last",
    },
    {
      code: "explosives_kg",
      group: "vu_khi",
      label_vi: "Khối lượng vật liệu nổ được vận động giao nộp",
      unit_vi: "kg",
      kind: "amount",
      integer: "no",
      required: "no",
      over_time: "sum",
    },
  ],
});

/** An indicator as a row of the catalog file, so the catalog in use can be downloaded, edited and uploaded again. */
export function catalogRecord(i: Indicator): Record<string, string> {
  return {
    code: i.code,
    group: i.group,
    label_vi: i.label,
    unit_vi: i.unit,
    kind: i.kind,
    numerator: i.numerator ?? "",
    denominator: i.denominator ?? "",
    integer: i.integer ? "yes" : "no",
    required: i.required ? "yes" : "no",
    headline: i.headline === null ? "" : String(i.headline),
    over_time: i.overTime ?? "",
  };
}

const yes = (v: string | undefined) => ["yes", "true", "1", "có"].includes((v ?? "").toLowerCase());

/**
 * The catalog's rows, the lines refused, and warnings. A file without the `over_time` column (from before it) gives
 * every typed indicator `last` — a longer period never adds up stocks — and says so once.
 */
export function parseCatalog(records: TableRecord[]): {
  rows: Indicator[];
  problems: ImportProblem[];
  warnings: ImportProblem[];
} {
  const rows: Indicator[] = [];
  const ratios: { row: Indicator; line: number }[] = [];
  const problems: ImportProblem[] = [];
  const hasOverTime = records.some((r) => "over_time" in r.fields);
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
    const overTime = (r.over_time ?? "").trim().toLowerCase();
    if (kind !== "ratio" && hasOverTime && !OVER_TIME.includes(overTime as OverTime)) {
      problems.push({
        line,
        message: `Chỉ tiêu ${code}: cột over_time “${r.over_time ?? ""}” phải là sum (cộng các kỳ, như số tin báo) hoặc last (lấy kỳ cuối, như số tổ)`,
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
      overTime: kind === "ratio" ? null : hasOverTime ? (overTime as OverTime) : "last",
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
  const warnings: ImportProblem[] =
    hasOverTime || !rows.length
      ? []
      : [
          {
            line: null,
            message:
              "Tệp danh mục không có cột over_time: mọi chỉ tiêu được lấy số kỳ cuối (last) khi cộng các kỳ ngắn thành kỳ dài; thêm cột over_time (sum cho số phát sinh trong kỳ như tin báo, last cho số hiện có như số tổ) rồi tải lại",
          },
        ];
  return { rows, problems, warnings };
}
