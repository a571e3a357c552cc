// @ts-check
/**
 * Sheets' spreadsheets.batchUpdate requests, applied to a file: the kinds the provisioning tool and the Worker's
 * check results send (properties, tabs, cells, formats, merges, validation, protected ranges), each refused as
 * Google refuses it.
 */
import { setCell } from "./a1.mjs";

const VALIDATION_TYPES = [
  "NUMBER_GREATER_THAN_EQ",
  "NUMBER_BETWEEN",
  "ONE_OF_LIST",
  "CUSTOM_FORMULA",
  "NUMBER_GREATER",
  "TEXT_CONTAINS",
  "BOOLEAN",
];

/**
 * One request applied to the file; returns its reply, or an error suffix for “Invalid requests[i]…” when Google
 * would refuse it.
 * @param {import("./store.mjs").Fixture} f @param {any} request a caller's JSON @returns {Record<string, unknown> | string}
 */
export function applyRequest(f, request) {
  const kinds = Object.keys(request ?? {});
  if (kinds.length !== 1) return ": request must set exactly one kind";
  const kind = kinds[0] ?? "";
  const r = request[kind];
  const sheet = (/** @type {unknown} */ sheetId) => f.sheets.find((s) => s.properties.sheetId === Number(sheetId ?? 0));
  const noGrid = (/** @type {unknown} */ sheetId) => `.${kind}: No grid with id: ${Number(sheetId ?? 0)}`;
  switch (kind) {
    case "updateSpreadsheetProperties": {
      for (const field of fieldList(r.fields, r.properties)) {
        if (!["title", "locale", "timeZone", "autoRecalc", "defaultFormat"].includes(field))
          return `.${kind}: unknown field ${field}`;
        /** @type {Record<string, unknown>} */ (f.properties)[field] = r.properties?.[field];
      }
      return {};
    }
    case "updateSheetProperties": {
      const s = sheet(r.properties?.sheetId);
      if (!s) return noGrid(r.properties?.sheetId);
      const props = s.properties;
      for (const field of fieldList(r.fields, r.properties)) {
        const [head = "", sub] = field.split(".");
        if (sub)
          props[head] = {
            .../** @type {object | undefined} */ (props[head] ?? {}),
            [sub]: r.properties?.[head]?.[sub],
          };
        else props[head] = r.properties?.[head];
      }
      return {};
    }
    case "addSheet": {
      const props = r.properties ?? {};
      const title = String(props.title ?? `Sheet${f.sheets.length + 1}`);
      if (f.sheets.some((x) => x.properties.title.normalize("NFC") === title.normalize("NFC")))
        return `.${kind}: A sheet with the name "${title}" already exists. Please enter another name.`;
      const sheetId = props.sheetId === undefined ? 100000 + f.sheets.length : Number(props.sheetId);
      if (f.sheets.some((x) => x.properties.sheetId === sheetId)) return `.${kind}: Duplicate sheet ID: ${sheetId}`;
      const added = {
        sheetId,
        title,
        index: Math.min(Number(props.index ?? f.sheets.length), f.sheets.length),
        sheetType: "GRID",
        gridProperties: { rowCount: 1000, columnCount: 26, ...(props.gridProperties ?? {}) },
      };
      f.sheets.splice(added.index, 0, { properties: added, values: [] });
      for (const [i, x] of f.sheets.entries()) x.properties.index = i;
      return { addSheet: { properties: added } };
    }
    case "updateCells": {
      const target = r.start ?? r.range;
      const s = sheet(target?.sheetId);
      if (!s) return noGrid(target?.sheetId);
      const row0 = Number(target?.rowIndex ?? target?.startRowIndex ?? 0);
      const col0 = Number(target?.columnIndex ?? target?.startColumnIndex ?? 0);
      const fields = String(r.fields ?? "");
      if (!fields) return `.${kind}: At least one field must be specified in 'fields'.`;
      const values = fields.includes("userEnteredValue") || fields === "*";
      // With a `range`, what the rows do not cover inside it is cleared (of the fields named), as Google does.
      if (r.range && values) {
        const rowEnd = r.range.endRowIndex ?? Number.POSITIVE_INFINITY;
        const colEnd = r.range.endColumnIndex ?? Number.POSITIVE_INFINITY;
        s.values = (s.values ?? []).map((row, i) =>
          i < row0 || i >= rowEnd ? row : row.map((v, j) => (j < col0 || j >= colEnd ? v : "")),
        );
      }
      for (const [i, row] of (r.rows ?? []).entries()) {
        for (const [j, cell] of (row.values ?? []).entries()) {
          if (values) setCell(s, row0 + i, col0 + j, cellValue(cell.userEnteredValue));
        }
      }
      // A note shows when the cell is pointed at (the template's “Chốt số liệu” says what ticking does).
      if (fields.includes("note") || fields === "*") {
        f.notes ??= [];
        for (const [i, row] of (r.rows ?? []).entries())
          for (const [j, cell] of (row.values ?? []).entries())
            if (typeof cell?.note === "string")
              f.notes.push({ sheetId: s.properties.sheetId, row: row0 + i, column: col0 + j, note: cell.note });
      }
      if (fields.includes("userEnteredFormat")) {
        f.formats ??= [];
        f.formats.push({
          range: { sheetId: s.properties.sheetId, startRowIndex: row0, startColumnIndex: col0 },
          rows: r.rows,
          fields,
        });
      }
      return {};
    }
    case "repeatCell": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      f.formats ??= [];
      f.formats.push({ range: r.range, cell: r.cell, fields: r.fields });
      return {};
    }
    case "mergeCells": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      f.merges ??= [];
      f.merges.push({ range: r.range, mergeType: r.mergeType ?? "MERGE_ALL" });
      return {};
    }
    case "updateDimensionProperties": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      return {};
    }
    case "setDataValidation": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      const type = r.rule?.condition?.type;
      if (r.rule && !VALIDATION_TYPES.includes(type)) return `.${kind}.rule.condition.type: invalid value ${type}`;
      f.dataValidation ??= [];
      f.dataValidation.push({ range: r.range, rule: r.rule ?? null });
      return {};
    }
    case "addProtectedRange": {
      const pr = r.protectedRange ?? {};
      if (!sheet(pr.range?.sheetId)) return noGrid(pr.range?.sheetId);
      const protectedRangeId = ((f.protectedRanges ?? []).length + 1) * 1000 + Math.floor(Math.random() * 1000);
      const stored = { ...pr, protectedRangeId, editors: pr.editors ?? { users: f.owner ? [f.owner] : [] } };
      f.protectedRanges ??= [];
      f.protectedRanges.push(stored);
      return { addProtectedRange: { protectedRange: stored } };
    }
    default:
      return `: Unknown name "${kind}" at 'requests[0]': Cannot find field.`;
  }
}

/** `fields` of an update request: a comma list, or `*` for every field given. @param {unknown} fields @param {Record<string, unknown> | undefined} given */
function fieldList(fields, given) {
  const s = String(fields ?? "");
  return s === "*"
    ? Object.keys(given ?? {})
    : s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
}

/** A cell's `userEnteredValue` as the file keeps it. @param {any} v @returns {unknown} */
function cellValue(v) {
  if (!v) return "";
  if ("numberValue" in v) return Number(v.numberValue);
  if ("boolValue" in v) return Boolean(v.boolValue);
  if ("formulaValue" in v) return String(v.formulaValue);
  return String(v.stringValue ?? "");
}
