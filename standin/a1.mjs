// @ts-check
/**
 * A1 ranges over a file's tabs, as Google reads them (values.batchGet) and writes them (values.update), and the
 * cells of a tab.
 */

/** What an unquoted name that A1 notation reads as cells looks like: `T12`, `Q3`, `A:Z`, `B2:C`, `1:5`. */
const CELLS = /^(?:[A-Za-z]{1,3}\d*(?::[A-Za-z]{1,3}\d*)?|\d+:\d+)$/;
const PLAIN_NAME = /^[\p{L}\p{N}_]+$/u;

/** A tab name as Google writes it in a range: quoted unless plain letters and digits that cannot be read as cells. @param {string} title */
function quoteTitle(title) {
  return PLAIN_NAME.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

/**
 * A1 range → the `ValueRange` Google returns: `'Năm 2025'!A1:Z1000`, `'Năm 2025'`, `Sheet1!B2:C`, `A1:B2`.
 * Parsed as Google parses it (GOOGLE.md "A1 ranges"): an unquoted name that reads as cells (`T12`, `Q3`) is cells of
 * the first tab even when a tab has that name; an unquoted name with spaces, or cells before `!`, does not parse.
 * Ragged rows, trailing empty cells and rows trimmed, `values` absent when empty. Null for a range Google refuses.
 * @param {import("./store.mjs").Fixture} fixture @param {string} range
 */
export function resolveRange(fixture, range) {
  const located = locateRange(fixture, range);
  if (!located) return null;
  const { sheet, box } = located;
  const rows = (sheet.values ?? []).map((r) => r.map((v) => (v === null || v === undefined ? "" : v)));
  const sliced = rows.slice(box.r0, box.r1 === Infinity ? undefined : box.r1 + 1).map((r) => {
    const cut = r.slice(box.c0, box.c1 === Infinity ? undefined : box.c1 + 1);
    while (cut.length && cut[cut.length - 1] === "") cut.pop();
    return cut;
  });
  while (sliced.length && sliced[sliced.length - 1]?.length === 0) sliced.pop();
  const lastRow = box.r1 === Infinity ? Math.max(rows.length, 1) : box.r1 + 1;
  const width = Math.max(1, ...rows.map((r) => r.length));
  const lastCol = box.c1 === Infinity ? Math.max(width, 1) - 1 : box.c1;
  const a1 = `${quoteTitle(sheet.properties.title)}!${letters(box.c0)}${box.r0 + 1}:${letters(lastCol)}${lastRow}`;
  return sliced.length ? { range: a1, majorDimension: "ROWS", values: sliced } : { range: a1, majorDimension: "ROWS" };
}

/**
 * The tab and the box of cells (0-based, `Infinity` for an open end) an A1 range names, parsed as Google parses it;
 * null for a range Google refuses.
 * @param {import("./store.mjs").Fixture} fixture @param {string} range
 */
export function locateRange(fixture, range) {
  const m = /^(?:'((?:[^']|'')+)'|([^!']+?))(?:!(.+))?$/.exec(range.trim());
  if (!m) return null;
  let tabName = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  let cells = m[3];
  if (m[1] === undefined) {
    const bare = m[2] ?? "";
    if (CELLS.test(bare)) {
      if (cells !== undefined) return null;
      cells = bare;
      tabName = fixture.sheets[0]?.properties.title;
    } else if (!PLAIN_NAME.test(bare)) return null;
  }
  const sheet = fixture.sheets.find((s) => s.properties.title.normalize("NFC") === (tabName ?? "").normalize("NFC"));
  if (!sheet) return null;
  let box = { r0: 0, c0: 0, r1: Infinity, c1: Infinity };
  if (cells) {
    const b = parseBox(cells);
    if (!b) return null;
    box = b;
  }
  return { sheet, box };
}

/** @param {string} cells */
function parseBox(cells) {
  const m = /^([A-Z]+)?(\d+)?(?::([A-Z]+)?(\d+)?)?$/.exec(cells.toUpperCase());
  if (!m || (!m[1] && !m[2])) return null;
  const col = (/** @type {string | undefined} */ s) => (s ? column(s) : undefined);
  const single = m[3] === undefined && m[4] === undefined && !cells.includes(":");
  const c0 = col(m[1]) ?? 0;
  const r0 = m[2] ? Number(m[2]) - 1 : 0;
  if (single) return { r0, c0, r1: r0, c1: c0 };
  return { r0, c0, r1: m[4] ? Number(m[4]) - 1 : Infinity, c1: col(m[3]) ?? Infinity };
}

/** `A` → 0, `AA` → 26. @param {string} name */
function column(name) {
  return [...name].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

/** 0 → `A`, 26 → `AA`. @param {number} index */
function letters(index) {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * values.update: writes a block at an A1 range. USER_ENTERED reads a number typed as text by the sheet's locale,
 * as the Sheets UI does (“33.100” is 33100 in vi_VN, 33.1 in en_US); anything else stays text.
 * Returns what Google reports of the write, or the message of a 400.
 * @param {import("./store.mjs").Fixture} f @param {string} range @param {unknown} values @param {string} input @param {string} locale
 */
export function writeValues(f, range, values, input, locale) {
  const m =
    /^(?:'((?:[^']|'')+)'|([^!']+?))!([A-Z]+)(\d+)(?::[A-Z]+\d*)?$/.exec(range.trim()) ??
    /^()()([A-Z]+)(\d+)(?::[A-Z]+\d*)?$/.exec(range.trim());
  if (!m) return `Unable to parse range: ${range}`;
  const title = m[1] ? m[1].replace(/''/g, "'") : m[2] || f.sheets[0]?.properties.title;
  const s = f.sheets.find((x) => x.properties.title.normalize("NFC") === String(title).normalize("NFC"));
  if (!s) return `Unable to parse range: ${range}`;
  if (!Array.isArray(values)) return "Invalid values: expected a list of rows";
  const col0 = column(m[3] ?? "A");
  const row0 = Number(m[4]) - 1;
  let cells = 0;
  let width = 0;
  values.forEach((row, i) => {
    if (!Array.isArray(row)) return;
    width = Math.max(width, row.length);
    row.forEach((v, j) => {
      if (v === null || v === undefined) return;
      const typed = input === "USER_ENTERED" && typeof v === "string" ? (typedNumber(v, locale) ?? v) : v;
      setCell(s, row0 + i, col0 + j, typed);
      cells++;
    });
  });
  // values.update names the tab quoted unless it is plain ASCII, unlike a read's range.
  const quoted = /^[A-Za-z0-9_]+$/.test(s.properties.title)
    ? s.properties.title
    : `'${s.properties.title.replace(/'/g, "''")}'`;
  return {
    updatedRange: `${quoted}!${letters(col0)}${row0 + 1}:${letters(col0 + Math.max(width, 1) - 1)}${row0 + Math.max(values.length, 1)}`,
    updatedRows: values.length,
    updatedColumns: width,
    updatedCells: cells,
  };
}

/** A plain number as typed in a sheet of that locale, or null. @param {string} text @param {string} locale */
function typedNumber(text, locale) {
  const s = text.trim();
  const comma = /^(vi|de|fr|es|it|pt|ru|id|nl)/.test(locale);
  const [group, decimal] = comma ? [".", ","] : [",", "."];
  const esc = (/** @type {string} */ c) => (c === "." ? "\\." : c);
  const re = new RegExp(`^-?(?:\\d{1,3}(?:${esc(group)}\\d{3})+|\\d+)(?:${esc(decimal)}\\d+)?$`);
  if (!re.test(s)) return null;
  return Number(s.split(group).join("").replace(decimal, "."));
}

/** Sets one cell of a tab, growing its rows and columns as needed. @param {{ values?: unknown[][] }} s @param {number} r @param {number} c @param {unknown} value */
export function setCell(s, r, c, value) {
  s.values ??= [];
  const rows = s.values;
  while (rows.length <= r) rows.push([]);
  const row = /** @type {unknown[]} */ (rows[r]);
  while (row.length <= c) row.push("");
  row[c] = value;
}
