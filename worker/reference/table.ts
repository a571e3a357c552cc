/**
 * A reference file as rows of header-keyed records, each with the line (CSV) or row number (Excel) a person sees.
 * The body is a CSV in UTF-8, or an Excel workbook (.xlsx) whose first sheet holds the same columns.
 */
import { AppError } from "../errors";
import { parseCsvRows, type TableRow } from "./csv";
import { isXlsx, xlsxRows } from "./xlsx";

export type TableRecord = { line: number; fields: Record<string, string> };

/** A problem of the file, at its line; `null` when it concerns the whole file. */
export type ImportProblem = { line: number | null; message: string };

export async function readReferenceFile(body: ArrayBuffer): Promise<TableRecord[]> {
  const bytes = new Uint8Array(body);
  let rows: TableRow[];
  if (isXlsx(bytes)) rows = await xlsxRows(bytes);
  else {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new AppError(
        "bad_request",
        "Tệp không phải CSV mã UTF-8 hay tệp Excel (.xlsx): trong Excel chọn Lưu thành “CSV UTF-8”, hoặc tải lên tệp .xlsx",
      );
    }
    rows = parseCsvRows(text);
  }
  if (rows.every(blank)) throw new AppError("bad_request", "Tệp trống");
  return tableRecords(rows);
}

export const csvRecords = (text: string) => tableRecords(parseCsvRows(text));

const blank = (r: TableRow) => r.cells.every((cell) => cell.trim() === "");

/** The first row with anything in it is the header; blank rows are skipped, keeping the line numbers of the others. */
function tableRecords(rows: TableRow[]): TableRecord[] {
  const [head, ...rest] = rows.slice(rows.findIndex((r) => !blank(r)));
  const header = head?.cells.map((h) => h.trim()) ?? [];
  return rest
    .filter((r) => !blank(r))
    .map((r) => ({ line: r.line, fields: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? "").trim()])) }));
}
