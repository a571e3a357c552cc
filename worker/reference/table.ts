/**
 * A reference file as rows of header-keyed records, each with the line (CSV) or row number (Excel) a person sees.
 * The body is a CSV in UTF-8, or an Excel workbook (.xlsx) whose first sheet holds the same columns.
 *
 * The header row is checked against the file's format before any row is read: a required column that is missing, or
 * was renamed, is one problem at the header's line naming it (and the heading it probably became), instead of the
 * same complaint on every line below.
 */
import { AppError } from "../errors";
import { parseCsvRows, type TableRow } from "./csv";
import { isXlsx, xlsxRows } from "./xlsx";

export type TableRecord = { line: number; fields: Record<string, string> };

/** A problem of the file, at its line; `null` when it concerns the whole file. */
export type ImportProblem = { line: number | null; message: string };

/** One column of a reference file, named in its header row. */
export type Column = {
  name: string;
  /** What it holds, said beside its name when it is missing: “tên chỉ tiêu”. */
  meaning: string;
  required: boolean;
  /** Headings people give this column instead (“Tên chỉ tiêu”, “Mã xã”): never read, but named as a rename to undo. */
  aliases: readonly string[];
};

/** A reference file's columns, in the template's order, and example rows that show how to fill them. */
export type ReferenceFormat = {
  /** What the file is, as said in a sentence: “danh mục chỉ tiêu”. */
  title: string;
  columns: readonly Column[];
  examples: readonly Readonly<Partial<Record<string, string>>>[];
};

/** A format whose example rows can only name its own columns. */
export function referenceFormat<const N extends string>(format: {
  title: string;
  columns: readonly (Column & { name: N })[];
  examples: readonly Partial<Record<N, string>>[];
}): ReferenceFormat {
  return format;
}

/** The file's records keyed by the format's column names, or, when its header does not fit, why and no records. */
export type ReferenceTable = { records: TableRecord[]; problems: ImportProblem[]; warnings: ImportProblem[] };

/**
 * Reads a reference file and checks its header against `format`. `others` are the other reference files, so that a
 * file uploaded in the wrong place is named for what it is.
 */
export async function readReferenceFile(
  body: ArrayBuffer,
  format: ReferenceFormat,
  others: readonly ReferenceFormat[] = [],
): Promise<ReferenceTable> {
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
  const filled = rows.filter((r) => !blank(r));
  const [head, ...rest] = filled;
  if (!head) throw new AppError("bad_request", "Tệp trống");
  const cells = head.cells.map((h) => h.trim());
  // A heading differing only in case or surrounding spaces (“Code”, “ kind”) is the column itself.
  const keys = cells.map((h) => format.columns.find((c) => c.name === h.toLowerCase())?.name ?? h);
  const problems = headerProblems(head.line, cells, keys, format, others, rest);
  if (problems.length) return { records: [], problems, warnings: [] };
  const records = rest.map((r) => ({
    line: r.line,
    fields: Object.fromEntries(keys.map((k, i) => [k, (r.cells[i] ?? "").trim()])),
  }));
  return { records, problems: [], warnings: renamedOptional(head.line, cells, keys, format) };
}

/** A CSV's records under its own headings, unchecked: for test fixtures known to be right. */
export const csvRecords = (text: string): TableRecord[] => {
  const [head, ...rest] = parseCsvRows(text).filter((r) => !blank(r));
  const header = head?.cells.map((h) => h.trim()) ?? [];
  return rest.map((r) => ({
    line: r.line,
    fields: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? "").trim()])),
  }));
};

const blank = (r: TableRow) => r.cells.every((cell) => cell.trim() === "");

/** The spreadsheet letter of a column: A, B, … Z, AA. */
function letter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A heading without case, accents or punctuation: “Tên chỉ tiêu” → ten_chi_tieu. */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A heading that is this column under another name: one of its aliases, or its name mistyped or re-punctuated. */
function looksLike(heading: string, column: Column): boolean {
  const h = fold(heading);
  if (!h) return false;
  if (h.replace(/_/g, "") === column.name.replace(/_/g, "")) return true;
  if (column.aliases.some((a) => fold(a) === h)) return true;
  return editDistance(h, column.name) <= (column.name.length > 4 ? 2 : 1);
}

/** The headings that name none of the format's columns, by their position in the header. */
const unknownHeadings = (cells: string[], keys: string[], format: ReferenceFormat) =>
  cells.flatMap((h, i) => (h && !format.columns.some((c) => c.name === keys[i]) ? [i] : []));

/**
 * For each missing column, the heading it probably became: one that looks like it, else an unknown heading standing
 * where it stands in the format, between the same neighbours.
 */
function renamedHeadings(cells: string[], keys: string[], format: ReferenceFormat, missing: readonly Column[]) {
  const free = new Set(unknownHeadings(cells, keys, format));
  const found = new Map<Column, string>();
  const take = (column: Column, i: number | undefined) => {
    if (i === undefined) return;
    found.set(column, cells[i] ?? "");
    free.delete(i);
  };
  for (const column of missing)
    take(
      column,
      [...free].find((i) => looksLike(cells[i] ?? "", column)),
    );
  for (const column of missing.filter((c) => !found.has(c))) {
    const at = format.columns.indexOf(column);
    const before = format.columns[at - 1]?.name;
    const after = format.columns[at + 1]?.name;
    take(
      column,
      [...free].find(
        (i) => (before !== undefined && keys[i - 1] === before) || (after !== undefined && keys[i + 1] === after),
      ),
    );
  }
  return found;
}

const names = (columns: readonly string[]) =>
  columns.length > 1 ? `${columns.slice(0, -1).join(", ")} và ${columns.at(-1)}` : (columns[0] ?? "");

function headerProblems(
  line: number,
  cells: string[],
  keys: string[],
  format: ReferenceFormat,
  others: readonly ReferenceFormat[],
  rest: TableRow[],
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const column of format.columns) {
    const at = keys.flatMap((k, i) => (k === column.name ? [letter(i)] : []));
    if (at.length > 1)
      problems.push({
        line,
        message: `Cột ${column.name} có ${at.length} lần (cột ${names(at)}): giữ một cột, xoá các cột kia rồi tải lại`,
      });
  }
  const missing = format.columns.filter((c) => c.required && !keys.includes(c.name));
  if (!missing.length) return problems;

  const has = (headings: readonly string[], format: ReferenceFormat) =>
    format.columns.filter((c) => c.required).every((c) => headings.some((h) => h.trim().toLowerCase() === c.name));
  const other = others.find((o) => has(cells, o));
  if (other) {
    return [{ line, message: `Tệp này là ${other.title}, không phải ${format.title}: chọn đúng tệp rồi tải lại` }];
  }
  // A title typed above the header row: the header is further down.
  const lower = rest.slice(0, 10).find((r) => has(r.cells, format));
  if (lower) {
    return [
      {
        line,
        message: `Dòng tiêu đề cột phải là dòng đầu tiên có chữ của tệp, nhưng tệp có nó ở dòng ${lower.line}: xoá các dòng phía trên dòng ${lower.line} rồi tải lại`,
      },
    ];
  }

  const renamed = renamedHeadings(cells, keys, format, missing);
  const wanted = missing.map((c) => `${c.name} (${c.meaning})`);
  const parts = [`Thiếu ${missing.length > 1 ? "các cột" : "cột"} ${names(wanted)}`];
  for (const [column, heading] of renamed) parts.push(`tệp có cột “${heading}” — đổi tên cột thành ${column.name}`);
  const unmatched = missing.filter((c) => !renamed.has(c)).map((c) => c.name);
  if (unmatched.length) {
    parts.push(
      `dòng ${line} là dòng tiêu đề của tệp: thêm ${unmatched.length > 1 ? "các cột" : "cột"} ${names(unmatched)}, hoặc đổi tên cột đang có cho đúng như tệp mẫu`,
    );
  }
  return [...problems, { line, message: parts.join("; ") }];
}

/** An optional column whose heading was changed is not read at all: said, without refusing the file. */
function renamedOptional(line: number, cells: string[], keys: string[], format: ReferenceFormat): ImportProblem[] {
  const absent = format.columns.filter((c) => !c.required && !keys.includes(c.name));
  return unknownHeadings(cells, keys, format).flatMap((i) => {
    const column = absent.find((c) => looksLike(cells[i] ?? "", c));
    return column
      ? [
          {
            line,
            message: `cột “${cells[i]}” không được đọc: nếu đó là cột ${column.name} (${column.meaning}), đổi tên cột thành ${column.name}`,
          },
        ]
      : [];
  });
}
