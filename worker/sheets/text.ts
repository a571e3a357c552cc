/** Text as clerks type it, reduced to what matters for matching: no case, diacritics, punctuation or extra spaces. */
export function foldText(value: unknown): string {
  return String(value ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** A1 notation with its tab, quoted as Google quotes it: `'Năm 2025'!E7`. */
export function a1(tab: string, rowIndex: number, columnIndex: number): string {
  return `${quoteTab(tab)}!${columnLetters(columnIndex)}${rowIndex + 1}`;
}

/** Always quoted: an unquoted `T12` or `Q3` is a cell to Google, and quoting is never wrong (GOOGLE.md "A1 ranges"). */
function quoteTab(tab: string): string {
  return `'${tab.replace(/'/g, "''")}'`;
}

export function columnLetters(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A label inside a sentence: “Số tổ bảo vệ ANTT” → “số tổ bảo vệ ANTT” (short forms keep their capitals). */
export function inSentence(label: string): string {
  return label.charAt(0).toLocaleLowerCase("vi") + label.slice(1);
}

/** The sheet's address in Google Sheets, on its tab. */
export function sheetUrl(spreadsheetId: string, gid: number | null): string {
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/edit#gid=${gid ?? 0}`;
}
