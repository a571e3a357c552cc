// @ts-check
/**
 * The commune form (PRODUCT.md §3 `form` layout) for one period, built as one spreadsheets.create and one
 * spreadsheets.batchUpdate: title rows, the header, one row per typed indicator, protected labels and codes,
 * data validation and Vietnamese number formats on the value cells, and the row “Chốt số liệu” (a checkbox per
 * period) by which the commune confirms a period's figures from the sheet (PRODUCT.md §12); and, with the catalog of
 * model kinds, the tab “Mô hình – Năm 2025” where the commune lists its models by kind (PRODUCT.md §15).
 */
import { periodHeading, previousPeriod } from "./data.mjs";

const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
/** Header row index (0-based): two title rows and a blank row above it. */
const HEADER_ROW = 3;
const FIRST_VALUE_COLUMN = 4;

/** The row by which a commune confirms a period from its sheet: its label, its code, and what ticking does. */
const TICK_LABEL = "Chốt số liệu";
const TICK_CODE = "chot_so_lieu";
const TICK_NOTE =
  "Đánh dấu ô của kỳ khi số liệu kỳ đó đã đủ và đúng: xã chốt số liệu, gửi tỉnh duyệt (còn ô lỗi thì chưa chốt được — " +
  "xem trang “Kiểm tra số liệu”). Bỏ đánh dấu để rút lại khi tỉnh chưa duyệt. Sửa số liệu sau khi chốt thì phải chốt " +
  "lại: bỏ đánh dấu rồi đánh dấu lại.";

/**
 * A range of one sheet, by 0-based rows and columns (end excluded).
 * @param {number} sheetId
 */
const gridOf =
  (sheetId) =>
  (/** @type {number} */ r0, /** @type {number} */ r1, /** @type {number} */ c0, /** @type {number} */ c1) => ({
    sheetId,
    startRowIndex: r0,
    endRowIndex: r1,
    startColumnIndex: c0,
    endColumnIndex: c1,
  });

/** What a cell is given: a number, a formula or text. @param {unknown} v */
const entered = (v) =>
  typeof v === "number"
    ? { numberValue: v }
    : String(v).startsWith("=")
      ? { formulaValue: String(v) }
      : { stringValue: String(v) };

/**
 * A tab's rows written from A1, its title rows and header in bold and wrapped, its label column (B) wide.
 * @param {number} sheetId @param {unknown[][]} rows @param {number} width columns of the title and header
 */
function gridRequests(sheetId, rows, width) {
  return [
    {
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: 0 },
        rows: rows.map((r) => ({ values: r.map((v) => ({ userEnteredValue: entered(v) })) })),
        fields: "userEnteredValue",
      },
    },
    {
      repeatCell: {
        range: gridOf(sheetId)(0, HEADER_ROW + 1, 0, width),
        cell: { userEnteredFormat: { textFormat: { bold: true }, wrapStrategy: "WRAP" } },
        fields: "userEnteredFormat(textFormat,wrapStrategy)",
      },
    },
    {
      updateDimensionProperties: {
        range: { sheetId, dimension: "COLUMNS", startIndex: 1, endIndex: 2 },
        properties: { pixelSize: 380 },
        fields: "pixelSize",
      },
    },
  ];
}

/** Rows for models in the models tab (blank, numbered), then its total. */
const MODEL_ROWS = 30;
const MODELS_NOTE =
  "Mỗi dòng một loại mô hình xã đang duy trì: chọn trong danh sách (hoặc ghi tên loại khác), ghi số điểm. " +
  "Tổng số điểm phải bằng số mô hình tự quản ở trang biểu số liệu.";
/** @param {string} period */
const modelsTabName = (period) => `Mô hình – ${periodHeading(period)}`;

/**
 * The models tab (PRODUCT.md §15): its title, the header the Worker finds it by, numbered rows whose kind cell offers
 * the catalog's kinds (another may be typed) and whose points cell takes whole numbers ≥ 0, and a total.
 * @param {string[]} kinds @param {string} period @param {number} sheetId
 */
function modelsRequests(kinds, period, sheetId) {
  const first = HEADER_ROW + 1;
  const total = first + MODEL_ROWS;
  const rows = [
    [`DANH SÁCH MÔ HÌNH TỰ QUẢN VỀ AN NINH TRẬT TỰ – ${periodHeading(period).toLocaleUpperCase("vi-VN")}`],
    [MODELS_NOTE],
    [],
    ["STT", "Loại mô hình", "Số điểm", "Ghi chú"],
    ...Array.from({ length: MODEL_ROWS }, (_, i) => [i + 1]),
    ["", "Tổng cộng", `=SUM(C${first + 1}:C${total})`],
  ];
  const grid = gridOf(sheetId);
  return [
    {
      updateSheetProperties: {
        properties: { sheetId, title: modelsTabName(period), gridProperties: { frozenRowCount: HEADER_ROW + 1 } },
        fields: "title,gridProperties.frozenRowCount",
      },
    },
    ...gridRequests(sheetId, rows, 4),
    {
      setDataValidation: {
        range: grid(first, total, 1, 2),
        rule: {
          condition: { type: "ONE_OF_LIST", values: kinds.map((k) => ({ userEnteredValue: k })) },
          inputMessage: "Chọn loại mô hình trong danh sách; loại khác thì ghi tên",
          strict: false,
          showCustomUi: true,
        },
      },
    },
    {
      setDataValidation: {
        range: grid(first, total, 2, 3),
        rule: {
          condition: {
            type: "CUSTOM_FORMULA",
            values: [
              { userEnteredValue: `=AND(ISNUMBER(C${first + 1}),C${first + 1}>=0,C${first + 1}=INT(C${first + 1}))` },
            ],
          },
          inputMessage: "Số điểm: số nguyên không âm",
          strict: true,
        },
      },
    },
    {
      repeatCell: {
        range: grid(first, total + 1, 2, 3),
        cell: { userEnteredFormat: { numberFormat: { type: "NUMBER", pattern: "#,##0" } } },
        fields: "userEnteredFormat.numberFormat",
      },
    },
    {
      addProtectedRange: {
        protectedRange: {
          range: grid(0, HEADER_ROW + 1, 0, 4),
          description: "Tiêu đề danh sách mô hình — không sửa",
          warningOnly: false,
        },
      },
    },
    {
      addProtectedRange: {
        protectedRange: { range: grid(total, total + 1, 0, 4), description: "Dòng tổng cộng", warningOnly: false },
      },
    },
  ];
}

/** @param {string} period */
const templateName = (period) => `Mẫu biểu ANTQ – ${periodHeading(period)}`;
/** @param {{ code: string, fullName: string }} unit @param {string} period */
export const communeSheetName = (unit, period) =>
  `${unit.fullName} (${unit.code}) – Biểu ANTQ ${periodHeading(period)}`;
/** @param {string} fullName */
export const communeTitle = (fullName) => `UBND ${fullName.toLocaleUpperCase("vi-VN")}`;

/**
 * The grid of the form: title rows, header and indicator rows.
 * @param {import("./data.mjs").Indicator[]} indicators @param {string} period
 */
function templateRows(indicators, period) {
  const periods = [previousPeriod(period), period].map(periodHeading);
  return [
    ["UBND XÃ/PHƯỜNG ………………"],
    [`BIỂU SỐ LIỆU PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC – ${periodHeading(period).toLocaleUpperCase("vi-VN")}`],
    [],
    ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", ...periods, "Ghi chú"],
    ...indicators.map((ind, i) => [i + 1, ind.label, ind.code, ind.unit]),
    [indicators.length + 1, TICK_LABEL, TICK_CODE],
  ];
}

/**
 * A cell's rule: counts are non-negative integers, flags 0 or 1, amounts non-negative numbers. Formulas use
 * the API's comma-separated syntax whatever the sheet's locale.
 * @param {import("./data.mjs").Indicator} ind @param {string} cell top-left cell of the row's value range, e.g. E5
 */
function validationRule(ind, cell) {
  if (ind.kind === "flag") {
    return {
      condition: { type: "ONE_OF_LIST", values: [{ userEnteredValue: "0" }, { userEnteredValue: "1" }] },
      inputMessage: "Nhập 1 nếu đạt, 0 nếu chưa đạt",
      strict: true,
      showCustomUi: true,
    };
  }
  if (ind.integer) {
    return {
      condition: {
        type: "CUSTOM_FORMULA",
        values: [{ userEnteredValue: `=AND(ISNUMBER(${cell}),${cell}>=0,${cell}=INT(${cell}))` }],
      },
      inputMessage: `Số nguyên không âm (${ind.unit})`,
      strict: true,
    };
  }
  return {
    condition: { type: "NUMBER_GREATER_THAN_EQ", values: [{ userEnteredValue: "0" }] },
    inputMessage: `Số không âm (${ind.unit}), dấu phẩy là dấu thập phân`,
    strict: true,
  };
}

/**
 * The batchUpdate requests that turn an empty sheet into the form.
 * @param {import("./data.mjs").Indicator[]} indicators @param {string} period @param {number} sheetId
 */
function templateRequests(indicators, period, sheetId) {
  const rows = templateRows(indicators, period);
  const lastColumn = FIRST_VALUE_COLUMN + 2; // two period columns, then “Ghi chú”
  const firstRow = HEADER_ROW + 1;
  const endRow = firstRow + indicators.length;
  // The “Chốt số liệu” row, below the indicators.
  const tickRow = endRow;
  const grid = gridOf(sheetId);
  /** @type {object[]} */
  const requests = [
    {
      updateSpreadsheetProperties: {
        properties: { locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
        fields: "locale,timeZone",
      },
    },
    {
      updateSheetProperties: {
        properties: { sheetId, title: periodHeading(period), gridProperties: { frozenRowCount: HEADER_ROW + 1 } },
        fields: "title,gridProperties.frozenRowCount",
      },
    },
    ...gridRequests(sheetId, rows, lastColumn + 1),
    { mergeCells: { range: grid(0, 1, 0, lastColumn + 1), mergeType: "MERGE_ALL" } },
    { mergeCells: { range: grid(1, 2, 0, lastColumn + 1), mergeType: "MERGE_ALL" } },
    // Labels, codes and units are the contract with the Worker's reader: only the owner may change them.
    {
      addProtectedRange: {
        protectedRange: {
          range: grid(0, HEADER_ROW + 1, 0, lastColumn + 1),
          description: "Tiêu đề biểu — không sửa",
          warningOnly: false,
        },
      },
    },
    {
      addProtectedRange: {
        protectedRange: {
          range: grid(firstRow, tickRow + 1, 0, FIRST_VALUE_COLUMN),
          description: "Chỉ tiêu, mã, đơn vị tính — không sửa",
          warningOnly: false,
        },
      },
    },
  ];
  indicators.forEach((ind, i) => {
    const r = firstRow + i;
    const cell = `${String.fromCharCode(65 + FIRST_VALUE_COLUMN)}${r + 1}`;
    const range = grid(r, r + 1, FIRST_VALUE_COLUMN, FIRST_VALUE_COLUMN + 2);
    requests.push({ setDataValidation: { range, rule: validationRule(ind, cell) } });
    // In a vi_VN sheet “#,##0” shows 33.100 and “#,##0.##” shows 5,4.
    const pattern = ind.integer ? "#,##0" : "#,##0.##";
    requests.push({
      repeatCell: {
        range,
        cell: { userEnteredFormat: { numberFormat: { type: "NUMBER", pattern } } },
        fields: "userEnteredFormat.numberFormat",
      },
    });
  });
  // A checkbox per period column: ticked is TRUE, which the Worker reads as the commune confirming that period.
  requests.push(
    {
      setDataValidation: {
        range: grid(tickRow, tickRow + 1, FIRST_VALUE_COLUMN, FIRST_VALUE_COLUMN + 2),
        rule: { condition: { type: "BOOLEAN" }, inputMessage: TICK_NOTE, strict: true },
      },
    },
    {
      updateCells: {
        start: { sheetId, rowIndex: tickRow, columnIndex: 1 },
        rows: [{ values: [{ note: TICK_NOTE, userEnteredFormat: { textFormat: { bold: true } } }] }],
        fields: "note,userEnteredFormat.textFormat.bold",
      },
    },
  );
  return requests;
}

/**
 * Finds the template for a period by name, or creates it.
 * @param {import("./google.mjs").GoogleApi} api
 * @param {{ period: string, indicators: import("./data.mjs").Indicator[], modelKinds?: string[] }} options
 * @returns {Promise<{ id: string, gid: number, tab: string, created: boolean }>}
 */
export async function ensureTemplate(api, options) {
  const name = templateName(options.period);
  const existing = await findFilesByName(api, [name]);
  const found = existing.get(name);
  if (found) {
    const meta = await api.call("read", `đọc mẫu biểu “${name}”`, () =>
      api.sheets.spreadsheets.get({ spreadsheetId: found, fields: "sheets.properties(sheetId,title)" }),
    );
    const first = meta.data.sheets?.[0]?.properties;
    return {
      id: found,
      gid: Number(first?.sheetId ?? 0),
      tab: String(first?.title ?? periodHeading(options.period)),
      created: false,
    };
  }
  const created = await api.call("write", `tạo mẫu biểu “${name}”`, () =>
    api.sheets.spreadsheets.create({
      requestBody: {
        properties: { title: name, locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
        sheets: [
          { properties: { sheetId: 0, title: periodHeading(options.period) } },
          ...(options.modelKinds?.length ? [{ properties: { sheetId: 1, title: modelsTabName(options.period) } }] : []),
        ],
      },
      fields: "spreadsheetId,sheets.properties(sheetId,title)",
    }),
  );
  const id = String(created.data.spreadsheetId);
  const gid = Number(created.data.sheets?.[0]?.properties?.sheetId ?? 0);
  await api.call("write", `định dạng mẫu biểu “${name}”`, () =>
    api.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          ...templateRequests(options.indicators, options.period, gid),
          ...(options.modelKinds?.length ? modelsRequests(options.modelKinds, options.period, 1) : []),
        ],
      },
    }),
  );
  return { id, gid, tab: periodHeading(options.period), created: true };
}

/**
 * Spreadsheets visible to the tool whose name is one of `names` → name → id (the oldest wins, so a
 * duplicate made by hand does not change which sheet is registered). One Drive list call per 1,000 files.
 * @param {import("./google.mjs").GoogleApi} api @param {string[]} names @param {string} [folder] @param {string} [contains]
 */
export async function findFilesByName(api, names, folder, contains) {
  const quote = (/** @type {string} */ s) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const nameClause =
    contains !== undefined
      ? `name contains ${quote(contains)}`
      : names.length === 1
        ? `name = ${quote(names[0] ?? "")}`
        : null;
  const q = [
    nameClause,
    `mimeType = '${SPREADSHEET_MIME}'`,
    "trashed = false",
    folder ? `${quote(folder)} in parents` : null,
  ]
    .filter(Boolean)
    .join(" and ");
  const wanted = new Set(names.map((n) => n.normalize("NFC")));
  /** @type {Map<string, { id: string, createdTime: string }>} */
  const found = new Map();
  /** @type {string | undefined} */
  let pageToken;
  do {
    const token = pageToken;
    /** @type {import("googleapis").drive_v3.Schema$FileList} */
    const data = (
      await api.call("drive-read", "tìm bảng tính đã có trên Drive", () =>
        api.drive.files.list({
          q,
          pageSize: 1000,
          pageToken: token,
          fields: "nextPageToken,files(id,name,createdTime)",
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          spaces: "drive",
        }),
      )
    ).data;
    for (const f of data.files ?? []) {
      const name = String(f.name ?? "").normalize("NFC");
      if (!wanted.has(name) || !f.id) continue;
      const prev = found.get(name);
      const createdTime = String(f.createdTime ?? "");
      if (!prev || createdTime < prev.createdTime) found.set(name, { id: f.id, createdTime });
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return new Map([...found].map(([k, v]) => [k, v.id]));
}
