// @ts-check
/**
 * `provision`: one sheet per commune of a province, copied from the period's template, named after the commune,
 * shared as writer with the commune's emails and as reader with the Worker's service account, registered in the
 * Worker and listed in a sources.csv. With `feedback`, the service account is an editor instead and each sheet gets
 * the protected tab “Kiểm tra số liệu” the Worker writes its check results into. Every step looks before it writes,
 * so a second run changes nothing.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { accountIndexFor } from "../../worker/google/rendezvous.mjs";
import { FEEDBACK_TAB, parseCsv, periodHeading, progress, sheetUrl, toCsv } from "./data.mjs";
import { communeSheetName, communeTitle, ensureTemplate, findFilesByName } from "./template.mjs";

/**
 * @typedef {{ province: string, period: string, communes: import("./data.mjs").Unit[],
 *   indicators: import("./data.mjs").Indicator[], modelKinds?: string[], emails: Map<string, string[]>,
 *   serviceAccounts: string[],
 *   folder?: string, notify?: boolean, feedback?: boolean, out: string, worker?: string, apiToken?: string,
 *   log?: (line: string) => void }} ProvisionOptions
 * @typedef {{ unitCode: string, name: string, spreadsheetId: string, gid: number, tab: string, created: boolean,
 *   shared: string[], missingEmails: boolean }} ProvisionedSheet
 */

/** @param {import("./google.mjs").GoogleApi} api @param {ProvisionOptions} options */
export async function provision(api, options) {
  const log = options.log ?? (() => {});
  const template = await ensureTemplate(api, {
    period: options.period,
    indicators: options.indicators,
    modelKinds: options.modelKinds,
  });
  log(`${template.created ? "Đã tạo" : "Dùng lại"} mẫu biểu ${sheetUrl(template.id, template.gid)}`);

  const names = options.communes.map((u) => communeSheetName(u, options.period));
  const existing = await findFilesByName(api, names, options.folder, `Biểu ANTQ ${periodHeading(options.period)}`);
  log(`${options.communes.length} xã/phường; ${existing.size} bảng tính đã có trên Drive`);

  /** @type {ProvisionedSheet[]} */
  const sheets = [];
  const bar = progress(options.communes.length, "Cấp bảng tính");
  for (const unit of options.communes) {
    const name = communeSheetName(unit, options.period);
    let id = existing.get(name.normalize("NFC"));
    const created = !id;
    if (!id) {
      const copy = await api.call("drive", `sao chép mẫu biểu cho ${unit.fullName}`, () =>
        api.drive.files.copy({
          fileId: template.id,
          supportsAllDrives: true,
          fields: "id",
          requestBody: { name, ...(options.folder ? { parents: [options.folder] } : {}) },
        }),
      );
      id = String(copy.data.id);
    }
    // The Worker's account that reads this sheet (the same rendezvous hash as the Worker's, over the same emails).
    const serviceAccount = options.serviceAccounts[accountIndexFor(options.serviceAccounts, id)] ?? "";
    const current = created ? new Map() : await permissionsOf(api, id, unit);
    // The title is written before any sharing, so a sheet not yet shared with the Worker may still lack it
    // (a run stopped half-way); writing it again is harmless.
    if (created || !current.has(serviceAccount.toLowerCase())) {
      const sheetId = id;
      await api.call("write", `ghi tên ${unit.fullName} vào bảng tính`, () =>
        api.sheets.spreadsheets.values.update({
          spreadsheetId: sheetId,
          range: `'${template.tab.replace(/'/g, "''")}'!A1`,
          valueInputOption: "RAW",
          requestBody: { values: [[communeTitle(unit.fullName)]] },
        }),
      );
    }
    const emails = options.emails.get(unit.code) ?? [];
    const grants = [
      ...emails.map((e) => ({ email: e, role: /** @type {const} */ ("writer") })),
      {
        email: serviceAccount,
        role: /** @type {"writer" | "reader"} */ (options.feedback ? "writer" : "reader"),
      },
    ];
    const shared = await share(api, id, unit, current, grants, options.notify ?? false);
    if (options.feedback) await ensureFeedbackTab(api, id, unit, serviceAccount);
    sheets.push({
      unitCode: unit.code,
      name: unit.fullName,
      spreadsheetId: id,
      gid: template.gid,
      tab: template.tab,
      created,
      shared,
      missingEmails: emails.length === 0,
    });
    bar.tick(unit.fullName);
  }

  const rows = sheets.map((s) => ({
    unit_code: s.unitCode,
    sheet: sheetUrl(s.spreadsheetId, s.gid),
    tab: s.tab,
    layout: "form",
  }));
  const written = await writeSourcesCsv(options.out, rows);
  let registered = null;
  if (options.worker) registered = await registerSources(options.worker, options.apiToken, rows);
  return { template, sheets, sourcesCsv: written, registered };
}

/**
 * Adds the feedback tab, protected so that only the service account (and the owner) edits it, when the sheet has none.
 * @param {import("./google.mjs").GoogleApi} api @param {string} spreadsheetId @param {import("./data.mjs").Unit} unit
 * @param {string} serviceAccount
 */
async function ensureFeedbackTab(api, spreadsheetId, unit, serviceAccount) {
  const meta = await api.call("read", `xem các trang của bảng tính ${unit.fullName}`, () =>
    api.sheets.spreadsheets.get({ spreadsheetId, fields: "sheets.properties(sheetId,title)" }),
  );
  const sheets = meta.data.sheets ?? [];
  if (sheets.some((s) => s.properties?.title === FEEDBACK_TAB)) return;
  const used = new Set(sheets.map((s) => Number(s.properties?.sheetId)));
  let sheetId = 770_077_000;
  while (used.has(sheetId)) sheetId++;
  await api.call("write", `tạo trang “${FEEDBACK_TAB}” cho ${unit.fullName}`, () =>
    api.sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: {
        requests: [
          { addSheet: { properties: { sheetId, title: FEEDBACK_TAB, index: sheets.length } } },
          {
            addProtectedRange: {
              protectedRange: {
                range: { sheetId },
                description: "Kết quả kiểm tra do hệ thống ghi: chỉ tài khoản đồng bộ được sửa",
                warningOnly: false,
                editors: { users: [serviceAccount] },
              },
            },
          },
          {
            updateCells: {
              start: { sheetId, rowIndex: 0, columnIndex: 0 },
              rows: [
                {
                  values: [
                    { userEnteredValue: { stringValue: "Chưa kiểm tra: kết quả hiện ở đây sau lần đồng bộ đầu tiên" } },
                  ],
                },
              ],
              fields: "userEnteredValue",
            },
          },
        ],
      },
    }),
  );
}

/** Who a sheet is shared with: email → role. @param {import("./google.mjs").GoogleApi} api @param {string} fileId @param {import("./data.mjs").Unit} unit */
async function permissionsOf(api, fileId, unit) {
  const list = await api.call("drive-read", `xem quyền chia sẻ của ${unit.fullName}`, () =>
    api.drive.permissions.list({ fileId, supportsAllDrives: true, fields: "permissions(id,type,role,emailAddress)" }),
  );
  /** @type {Map<string, string>} */
  const current = new Map();
  for (const p of list.data.permissions ?? [])
    if (p.emailAddress) current.set(p.emailAddress.toLowerCase(), String(p.role));
  return current;
}

/**
 * Shares a sheet with each grantee that does not have at least that role yet.
 * @param {import("./google.mjs").GoogleApi} api @param {string} fileId @param {import("./data.mjs").Unit} unit
 * @param {Map<string, string>} current @param {{ email: string, role: "writer" | "reader" }[]} grants
 * @param {boolean} notify
 */
async function share(api, fileId, unit, current, grants, notify) {
  const rank = (/** @type {string | undefined} */ r) =>
    ({ reader: 1, commenter: 2, writer: 3, fileOrganizer: 4, organizer: 5, owner: 6 })[r ?? ""] ?? 0;
  /** @type {string[]} */
  const added = [];
  for (const g of grants) {
    if (rank(current.get(g.email.toLowerCase())) >= rank(g.role)) continue;
    const sendMail = notify && g.role === "writer";
    await api.call("drive", `chia sẻ bảng tính của ${unit.fullName} cho ${g.email}`, () =>
      api.drive.permissions.create({
        fileId,
        supportsAllDrives: true,
        sendNotificationEmail: sendMail,
        ...(sendMail
          ? {
              emailMessage: `Biểu số liệu phong trào toàn dân bảo vệ ANTQ của ${unit.fullName}: nhập số liệu vào các ô của cột kỳ báo cáo.`,
            }
          : {}),
        fields: "id,role",
        requestBody: { type: "user", role: g.role, emailAddress: g.email },
      }),
    );
    added.push(`${g.email} (${g.role})`);
  }
  return added;
}

/**
 * Writes sources.csv, keeping rows of other units already in it (several provinces can share one file).
 * @param {string} file @param {{ unit_code: string, sheet: string, tab: string, layout: string }[]} rows
 */
async function writeSourcesCsv(file, rows) {
  const ours = new Set(rows.map((r) => r.unit_code));
  const kept = existsSync(file)
    ? parseCsv(await readFile(file, "utf8")).filter((r) => r.unit_code && !ours.has(r.unit_code))
    : [];
  const all = [
    ...kept.map((r) => ({
      unit_code: r.unit_code ?? "",
      sheet: r.sheet ?? "",
      tab: r.tab ?? "",
      layout: r.layout || "form",
    })),
    ...rows,
  ];
  await writeFile(
    file,
    toCsv([["unit_code", "sheet", "tab", "layout"], ...all.map((r) => [r.unit_code, r.sheet, r.tab, r.layout])]),
  );
  return { file, rows: all.length };
}

/**
 * The Worker's bulk import (`POST /api/admin/sources`, CSV). Without a token the Worker must be in development mode.
 * @param {string} worker @param {string | undefined} token @param {{ unit_code: string, sheet: string, tab: string, layout: string }[]} rows
 */
async function registerSources(worker, token, rows) {
  const body = toCsv([
    ["unit_code", "sheet", "tab", "layout"],
    ...rows.map((r) => [r.unit_code, r.sheet, r.tab, r.layout]),
  ]);
  let res;
  try {
    res = await fetch(new URL("/api/admin/sources", worker), {
      method: "POST",
      headers: { "content-type": "text/csv; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch (err) {
    throw new Error(`Không kết nối được tới Worker ${worker}: ${/** @type {Error} */ (err).message}`);
  }
  const data = /** @type {any} */ (await res.json().catch(() => null));
  if (!res.ok)
    throw new Error(`Worker từ chối đăng ký nguồn (${res.status}): ${data?.error?.message ?? res.statusText}`);
  return { imported: Number(data?.imported ?? rows.length) };
}
