/** The §8 `sources.csv`: `unit_code,sheet,tab,layout`, where `sheet` is a Google Sheets URL or a bare id. */
import { type ImportProblem, referenceFormat, type TableRecord } from "./table";

/** The Vietnamese words for what to do with an Office file, as the Google screen names them. */
export const CONVERT_TO_SHEETS = "Mở tệp → Tệp → Lưu dưới dạng Google Trang tính, rồi đăng ký đường dẫn mới";

/** The columns of a sources file, checked on upload and written into its template. */
export const SOURCES_FILE = referenceFormat({
  title: "danh sách bảng tính",
  columns: [
    {
      name: "unit_code",
      meaning: "mã xã của biểu, hoặc mã tỉnh của bảng tổng hợp",
      required: true,
      aliases: ["mã", "mã đơn vị", "mã xã", "code"],
    },
    {
      name: "sheet",
      meaning: "đường dẫn hoặc mã bảng tính Google",
      required: true,
      aliases: ["đường dẫn", "link", "url", "bảng tính", "spreadsheet"],
    },
    {
      name: "tab",
      meaning: "tên trang tính, có thể để trống",
      required: false,
      aliases: ["trang", "tên trang", "trang tính"],
    },
    {
      name: "layout",
      meaning: "form (biểu của xã) hoặc table (bảng tổng hợp), để trống là form",
      required: false,
      aliases: ["kiểu", "kiểu biểu", "loại biểu"],
    },
  ],
  examples: [
    {
      unit_code: "12745",
      sheet: "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd/edit#gid=0",
      tab: "",
      layout: "form",
    },
    {
      unit_code: "33",
      sheet: "https://docs.google.com/spreadsheets/d/1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210_-ZyXw/edit#gid=0",
      tab: "Năm 2025",
      layout: "table",
    },
  ],
});

export type SourceRow = {
  unitCode: string;
  spreadsheetId: string;
  gid: number | null;
  tab: string | null;
  layout: "form" | "table";
};

/** Pulls the spreadsheet id and the `gid` out of any Sheets URL, or accepts a bare id. */
export function parseSheetRef(sheet: string): { spreadsheetId: string; gid: number | null } | null {
  const s = sheet.trim();
  const [, spreadsheetId] = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(s) ?? [];
  if (spreadsheetId) {
    const gid = /[#?&]gid=(\d+)/.exec(s);
    return { spreadsheetId, gid: gid ? Number(gid[1]) : null };
  }
  return /^[A-Za-z0-9_-]{3,}$/.test(s) ? { spreadsheetId: s, gid: null } : null;
}

/**
 * A URL Google gives to an Office file opened in Sheets (`rtpof=true`: "real-time presence of Office file"): the
 * file is Excel, which the Sheets API cannot read.
 */
export function isOfficeFileUrl(sheet: string): boolean {
  return /[?&#]rtpof=true\b/i.test(sheet);
}

/** Excel drops a code's leading zeros when its column is not formatted as text: 00004 becomes 4. */
export const lostZeros = (code = "") =>
  /^\d{1,4}$/.test(code)
    ? " (mã xã có 5 chữ số, mã tỉnh 2 chữ số: nếu Excel đã bỏ số 0 ở đầu, định dạng cột mã là Văn bản rồi gõ lại)"
    : "";

export function parseSources(records: TableRecord[]): {
  rows: SourceRow[];
  /** The line of each row, for the checks made after parsing. */
  lines: number[];
  problems: ImportProblem[];
  warnings: ImportProblem[];
} {
  const rows: SourceRow[] = [];
  const lines: number[] = [];
  const problems: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  for (const { line, fields: r } of records) {
    const unitCode = r.unit_code ?? "";
    const ref = parseSheetRef(r.sheet ?? "");
    const layout = (r.layout || "form").toLowerCase();
    if (!/^\d{2,5}$/.test(unitCode)) {
      problems.push({ line, message: `Mã đơn vị “${unitCode}” không hợp lệ${lostZeros(unitCode)}` });
      continue;
    }
    if (!ref) {
      problems.push({ line, message: `“${r.sheet ?? ""}” không phải đường dẫn hay mã Google Sheets` });
      continue;
    }
    if (layout !== "form" && layout !== "table") {
      problems.push({ line, message: `Kiểu biểu “${r.layout}” không hợp lệ (form hoặc table)` });
      continue;
    }
    if (isOfficeFileUrl(r.sheet ?? "")) {
      warnings.push({
        line,
        message: `đường dẫn của mã ${unitCode} là một tệp Excel mở trong Google Trang tính (rtpof=true), chưa đọc được: ${CONVERT_TO_SHEETS}`,
      });
    }
    lines.push(line);
    rows.push({ unitCode, ...ref, tab: r.tab ? r.tab.normalize("NFC") : null, layout });
  }
  return { rows, lines, problems, warnings };
}

type SheetUse = {
  unitCode: string;
  spreadsheetId: string;
  layout: "form" | "table";
  tab: string | null;
  gid: number | null;
};

/**
 * The use of the same sheet by another unit, which a new row may not make: a spreadsheet read whole belongs to one
 * unit; only different tabs of it, each named (by tab or gid) on both registrations, may belong to different units.
 */
export function otherUnitsUse<T extends SheetUse>(row: SheetUse, uses: readonly T[]): T | null {
  const named = (u: SheetUse) => u.tab !== null || u.gid !== null;
  const sameTab = (u: SheetUse) => (u.tab ?? null) === (row.tab ?? null) && (u.gid ?? null) === (row.gid ?? null);
  return (
    uses.find(
      (u) =>
        u.spreadsheetId === row.spreadsheetId &&
        u.unitCode !== row.unitCode &&
        (!named(u) || !named(row) || sameTab(u)),
    ) ?? null
  );
}
