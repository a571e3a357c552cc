// @ts-check
/**
 * `check`: before a conference, for every registered source, what the Worker's service account sees — can it read
 * the sheet, the sheet's locale, the header row found, the last edit — and what the administrator should do.
 */

import { FEEDBACK_TAB, parseCsv, progress, sheetUrl, viDateTime } from "./data.mjs";
import { explain } from "./google.mjs";

/**
 * @typedef {{ unitCode: string, unitName: string, spreadsheetId: string, tab: string | null, gid: number | null, layout: string,
 *   serviceAccount?: string | null }} SourceRef  `serviceAccount`: the Worker's account that reads it, when it says
 * @typedef {{ source: SourceRef, readable: boolean, title: string, locale: string, tab: string, header: string,
 *   lastEdit: string | null, lastEditor: string, feedback: string, action: string }} CheckRow
 */

/**
 * The registered, active sources from the Worker (`GET /api/sources[?unit=]`).
 * @param {string} worker @param {string} [token] @param {string} [unit] @returns {Promise<SourceRef[]>}
 */
export async function sourcesFromWorker(worker, token, unit) {
  let res;
  try {
    res = await fetch(new URL(`/api/sources${unit ? `?unit=${encodeURIComponent(unit)}` : ""}`, worker), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (err) {
    throw new Error(`Không kết nối được tới Worker ${worker}: ${/** @type {Error} */ (err).message}`);
  }
  const data = /** @type {any} */ (await res.json().catch(() => null));
  if (!res.ok)
    throw new Error(
      `Worker không trả danh sách nguồn (${res.status}): ${data?.error?.message ?? res.statusText} — dùng --sources <sources.csv>`,
    );
  return (data?.sources ?? [])
    .filter((/** @type {any} */ s) => s.active !== false)
    .map((/** @type {any} */ s) => ({
      unitCode: String(s.unitCode ?? ""),
      unitName: String(s.unitName ?? ""),
      spreadsheetId: String(s.spreadsheetId ?? ""),
      tab: s.tab ?? null,
      gid: s.gid ?? null,
      layout: String(s.layout ?? "form"),
      serviceAccount: s.serviceAccount ?? null,
    }));
}

/** The sources of a §8 sources.csv. @param {string} text @param {Map<string, string>} [names] code → unit name @returns {SourceRef[]} */
export function sourcesFromCsv(text, names = new Map()) {
  return parseCsv(text).flatMap((r) => {
    const sheet = r.sheet ?? "";
    const url = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(sheet);
    const id = url ? url[1] : /^[A-Za-z0-9_-]{3,}$/.test(sheet) ? sheet : null;
    if (!id) return [];
    const gid = /[#?&]gid=(\d+)/.exec(sheet);
    const code = r.unit_code ?? "";
    return [
      {
        unitCode: code,
        unitName: names.get(code) ?? "",
        spreadsheetId: id,
        tab: r.tab || null,
        gid: gid ? Number(gid[1]) : null,
        layout: r.layout || "form",
      },
    ];
  });
}

/** Folded text: lower case, no diacritics, single spaces. @param {unknown} v */
const fold = (v) =>
  String(v ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
const PERIOD_HEADING = /^(nam )?\d{4}$|^6 thang (dau|cuoi) nam \d{4}$|^quy [ivx1-4]+\/\d{4}$|^thang \d{1,2}\/\d{4}$/;

/** The header row of a form or a table, as the Worker looks for it. @param {unknown[][]} rows @param {string} layout */
function findHeader(rows, layout) {
  for (let r = 0; r < rows.length; r++) {
    const cells = (rows[r] ?? []).map(fold);
    const hasLabel =
      layout === "table"
        ? cells.some((c) => c === "ma xa" || c === "ten xa" || c === "ma don vi")
        : cells.includes("chi tieu");
    const periods = (rows[r] ?? []).filter((_, i) => PERIOD_HEADING.test(cells[i] ?? ""));
    if (hasLabel && (layout === "table" || periods.length))
      return { row: r + 1, cells: (rows[r] ?? []).map((c) => String(c ?? "")).filter((c) => c.trim()) };
  }
  return null;
}

/**
 * @param {(source: SourceRef) => import("./google.mjs").GoogleApi} apiFor the Worker's service account that reads
 *   the source (its view is what matters)
 * @param {SourceRef[]} sources
 */
export async function checkSources(apiFor, sources) {
  /** @type {CheckRow[]} */
  const rows = [];
  const bar = progress(sources.length, "Kiểm tra");
  for (const source of sources) {
    rows.push(await checkOne(apiFor(source), source));
    bar.tick(source.unitName || source.unitCode);
  }
  return rows;
}

/** @param {import("./google.mjs").GoogleApi} api @param {SourceRef} source @returns {Promise<CheckRow>} */
async function checkOne(api, source) {
  const id = source.spreadsheetId;
  const row = {
    source,
    readable: false,
    title: "",
    locale: "",
    tab: source.tab ?? "",
    header: "",
    lastEdit: /** @type {string | null} */ (null),
    lastEditor: "",
    feedback: "",
    action: "",
  };
  try {
    const meta = await api.call("read", `đọc bảng tính ${id}`, () =>
      api.sheets.spreadsheets.get({
        spreadsheetId: id,
        fields: "properties(title,locale),sheets.properties(sheetId,title,index)",
      }),
    );
    row.readable = true;
    row.title = String(meta.data.properties?.title ?? "");
    row.locale = String(meta.data.properties?.locale ?? "");
    const tabs = (meta.data.sheets ?? []).map((s) => ({
      gid: Number(s.properties?.sheetId ?? 0),
      title: String(s.properties?.title ?? ""),
    }));
    const tab = source.tab
      ? tabs.find((t) => t.title.normalize("NFC") === source.tab?.normalize("NFC"))
      : source.gid !== null
        ? tabs.find((t) => t.gid === source.gid)
        : tabs[0];
    const file = await api.call("drive-read", `xem lần sửa cuối của ${id}`, () =>
      api.drive.files.get({
        fileId: id,
        fields: "modifiedTime,version,trashed,capabilities(canEdit),lastModifyingUser(displayName,emailAddress)",
        supportsAllDrives: true,
      }),
    );
    row.lastEdit = file.data.modifiedTime ?? null;
    // Who the Worker will record a “Chốt số liệu” tick as (the email is left out when that user hides it).
    const editor = file.data.lastModifyingUser;
    row.lastEditor = editor?.emailAddress || editor?.displayName || "";
    // Feedback into the sheet (SHEETS_FEEDBACK) needs the service account as an editor.
    row.feedback = file.data.capabilities?.canEdit
      ? tabs.some((t) => t.title === FEEDBACK_TAB)
        ? "bật"
        : `bật (trang “${FEEDBACK_TAB}” được tạo ở lần đồng bộ tới)`
      : `tắt: ${api.email} chỉ có quyền Người xem`;
    if (file.data.trashed) {
      row.action = "Bảng tính đang trong thùng rác: mở Drive › Thùng rác › Khôi phục từ thùng rác";
      return row;
    }
    if (!tab) {
      row.action = `Không có trang “${source.tab ?? `gid=${source.gid}`}”: sửa cột tab trong sources.csv hoặc đổi lại tên trang`;
      return row;
    }
    row.tab = tab.title;
    const quoted = `'${tab.title.replace(/'/g, "''")}'`;
    const values = await api.call("read", `đọc dòng tiêu đề của ${id}`, () =>
      api.sheets.spreadsheets.values.batchGet({
        spreadsheetId: id,
        ranges: [`${quoted}!A1:Z30`],
        majorDimension: "ROWS",
        valueRenderOption: "UNFORMATTED_VALUE",
      }),
    );
    const header = findHeader(/** @type {unknown[][]} */ (values.data.valueRanges?.[0]?.values ?? []), source.layout);
    row.header = header ? `dòng ${header.row}: ${header.cells.join(" | ")}` : "";
    /** @type {string[]} */
    const todo = [];
    if (!header)
      todo.push(
        source.layout === "table"
          ? "Thêm dòng tiêu đề có cột “Mã xã” hoặc “Tên xã”"
          : "Thêm dòng tiêu đề có cột “Chỉ tiêu” và cột kỳ báo cáo (vd. “Năm 2025”)",
      );
    if (row.locale !== "vi_VN")
      todo.push("Đổi ngôn ngữ bảng tính sang Việt Nam (Tệp › Cài đặt) để “33.100” không thành 33,1");
    row.action = todo.join("; ") || "Sẵn sàng";
  } catch (err) {
    const target = await shortcutTarget(api, id, err);
    if (target) return { ...(await checkOne(api, { ...source, spreadsheetId: target })), source };
    const e = explain(err, "", api.email);
    const status = /** @type {{ status?: number | null }} */ (e).status;
    row.action =
      status === 403
        ? `Chưa chia sẻ cho ${api.email}: mở bảng tính › Chia sẻ › thêm ${api.email} quyền Người xem`
        : status === 404
          ? "Không tìm thấy bảng tính: kiểm tra lại đường dẫn, hoặc bảng tính đã bị xóa"
          : e.message.replace(/^: /, "");
  }
  return row;
}

/**
 * Sheets answers 404 for a Drive shortcut; Drive tells its target, which is what the Worker reads.
 * @param {import("./google.mjs").GoogleApi} api @param {string} id @param {any} err @returns {Promise<string | null>}
 */
async function shortcutTarget(api, id, err) {
  if ((err?.status ?? err?.response?.status) !== 404) return null;
  const file = await api
    .call("drive-read", `xem tệp ${id}`, () =>
      api.drive.files.get({ fileId: id, fields: "mimeType,shortcutDetails", supportsAllDrives: true }),
    )
    .catch(() => null);
  return file?.data.mimeType === "application/vnd.google-apps.shortcut"
    ? (file.data.shortcutDetails?.targetId ?? null)
    : null;
}

/** The table for the terminal (and the same rows for --csv). @param {CheckRow[]} rows */
export function checkTable(rows) {
  const head = [
    "Mã",
    "Đơn vị",
    "Đọc được",
    "Ngôn ngữ",
    "Trang",
    "Dòng tiêu đề",
    "Sửa lần cuối",
    "Người sửa cuối",
    "Phản hồi vào bảng tính",
    "Việc cần làm",
    "Bảng tính",
  ];
  const body = rows.map((r) => [
    r.source.unitCode,
    r.source.unitName || r.title,
    r.readable ? "có" : "KHÔNG",
    r.locale,
    r.tab,
    r.header || (r.readable ? "KHÔNG THẤY" : ""),
    viDateTime(r.lastEdit),
    r.lastEditor,
    r.feedback,
    r.action,
    sheetUrl(r.source.spreadsheetId, r.source.gid),
  ]);
  return { head, body };
}

/**
 * Fixed-width text of a table for a terminal; a long cell wraps onto more lines at its spaces (a word longer than the
 * column, such as an email, stands whole), so nothing an administrator must read or copy is cut.
 * @param {{ head: string[], body: string[][] }} table @param {number} [max] the widest a column gets
 */
export function formatTable(table, max = 60) {
  const rows = [table.head, ...table.body];
  const widths = table.head.map((_, i) => Math.min(max, Math.max(...rows.map((r) => (r[i] ?? "").length))));
  const wrap = (/** @type {string} */ text, /** @type {number} */ width) => {
    /** @type {string[]} */
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    return [...lines, line];
  };
  const render = (/** @type {string[]} */ r) => {
    const cells = widths.map((w, i) => wrap(r[i] ?? "", w));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, n) =>
      cells
        .map((c, i) => (c[n] ?? "").padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    ).join("\n");
  };
  const [head, ...body] = rows.map(render);
  return [head, widths.map((w) => "-".repeat(w)).join("  "), ...body].join("\n");
}
