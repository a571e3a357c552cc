// @ts-check
/**
 * Sheets' grid data (GOOGLE.md "One read"): the cells of a tab as `spreadsheets.get` gives them with a `fields` mask
 * or `includeGridData` — each cell's `effectiveValue` (one of `numberValue`, `stringValue`, `boolValue`, `errorValue`)
 * and `formattedValue`; an empty cell or row `{}`; trailing empty cells and rows left out; `startRow`/`startColumn`
 * left out when 0, as proto3 leaves out its defaults.
 */

/** The error texts UNFORMATTED_VALUE gives for a formula that failed, and the `errorValue.type` of each. */
const ERROR_TYPES = new Map([
  ["#ERROR!", "ERROR"],
  ["#NULL!", "NULL_VALUE"],
  ["#DIV/0!", "DIVIDE_BY_ZERO"],
  ["#VALUE!", "VALUE"],
  ["#REF!", "REF"],
  ["#NAME?", "NAME"],
  ["#NUM!", "NUM"],
  ["#N/A", "N_A"],
  ["Loading...", "LOADING"],
]);

/** What Google says of each failed formula, in English (a sheet's own locale would translate it). */
const ERROR_MESSAGES = new Map([
  ["REF", "Reference does not exist."],
  ["N_A", "Value not available."],
  ["DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero."],
  ["VALUE", "Function expects number values."],
  ["NAME", "Unknown function."],
  ["NUM", "Result is not a number."],
  ["ERROR", "Formula parse error."],
  ["NULL_VALUE", "Null value."],
  ["LOADING", "Loading..."],
]);

/** One cell as grid data. @param {unknown} value @returns {Record<string, unknown>} */
function cellData(value) {
  if (value === null || value === undefined || value === "") return {};
  if (typeof value === "number") return { effectiveValue: { numberValue: value }, formattedValue: String(value) };
  if (typeof value === "boolean")
    return { effectiveValue: { boolValue: value }, formattedValue: value ? "TRUE" : "FALSE" };
  const text = String(value);
  const type = ERROR_TYPES.get(text);
  if (type)
    return { effectiveValue: { errorValue: { type, message: ERROR_MESSAGES.get(type) } }, formattedValue: text };
  return { effectiveValue: { stringValue: text }, formattedValue: text };
}

/**
 * The `GridData` of a box of a tab's cells (0-based, `Infinity` for an open end).
 * @param {import("./store.mjs").FixtureSheet} sheet @param {{ r0: number, c0: number, r1: number, c1: number }} box
 */
export function gridData(sheet, box) {
  const rows = (sheet.values ?? []).slice(box.r0, box.r1 === Infinity ? undefined : box.r1 + 1).map((r) => {
    const cells = r.slice(box.c0, box.c1 === Infinity ? undefined : box.c1 + 1).map(cellData);
    while (cells.length && Object.keys(cells[cells.length - 1] ?? {}).length === 0) cells.pop();
    return cells.length ? { values: cells } : {};
  });
  while (rows.length && Object.keys(rows[rows.length - 1] ?? {}).length === 0) rows.pop();
  return {
    ...(box.r0 ? { startRow: box.r0 } : {}),
    ...(box.c0 ? { startColumn: box.c0 } : {}),
    ...(rows.length ? { rowData: rows } : {}),
  };
}
