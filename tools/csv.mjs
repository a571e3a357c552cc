// @ts-check
/** CSV for the Node-side tools, the demo generator and the benchmark (the Worker has its own in worker/reference/csv.ts). */

/** RFC 4180 CSV (quotes, doubled quotes, CRLF, a BOM) into objects keyed by the header row. @param {string} text */
export function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header = [], ...body] = rows.filter((r) => r.some((c) => c.trim() !== ""));
  const keys = header.map((h) => h.trim().toLowerCase());
  return body.map(
    (r) =>
      /** @type {Record<string, string>} */ (
        Object.fromEntries(keys.map((k, i) => [k, (r[i] ?? "").trim().normalize("NFC")]))
      ),
  );
}

/** @param {(string | number | null | undefined)[][]} rows */
export function toCsv(rows) {
  const cell = (/** @type {string | number | null | undefined} */ v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}
