/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM. Each row keeps the line of the file it starts
 * on, counting blank lines and the line breaks inside quoted fields, so an error names the line a person sees.
 */
import { AppError } from "../errors";

export type TableRow = { line: number; cells: string[] };

export function parseCsvRows(text: string): TableRow[] {
  const rows: TableRow[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRow = () => {
    cells.push(field);
    rows.push({ line: start, cells });
    cells = [];
    field = "";
  };
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "\r" && s[i + 1] === "\n") continue;
    const newline = ch === "\n" || ch === "\r";
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += newline ? "\n" : ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(field);
      field = "";
    } else if (newline) endRow();
    else field += ch;
    if (newline) {
      line++;
      if (!quoted) start = line;
    }
  }
  if (quoted) {
    throw new AppError(
      "bad_request",
      `Dòng ${start}: dấu ngoặc kép (") mở mà không đóng, nên phần còn lại của tệp dính vào một ô — thêm dấu ngoặc kép đóng rồi tải lại`,
    );
  }
  if (field !== "" || cells.length) endRow();
  return rows;
}
