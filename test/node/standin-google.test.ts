/**
 * The stand-in against Google's own Node client (googleapis): each situation of GOOGLE.md's errors table answered
 * in the API's own body shape, the §8 fixture fields, and A1 ranges parsed as Google parses them. googleapis is the
 * one piece here that this project did not write, so what it makes of an answer is what Google's answer means.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../../standin/server.mjs";
import { createServiceAccount } from "../../standin/service-account.mjs";
import type { Fixture } from "../../standin/store.mjs";
import { connect, type GoogleApi } from "../../tools/sheets/google.mjs";
import { type GoogleError, refusal } from "./google-refusal";

const account = createServiceAccount();
const EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let dir: string;
let standin: Standin;
let api: GoogleApi;

const sheet = (extra: Record<string, unknown> = {}) => ({
  properties: { title: "Biểu xã", locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
  modifiedTime: "2026-01-20T03:15:00Z",
  version: "412",
  sheets: [
    {
      properties: { sheetId: 0, title: "Năm 2025" },
      values: [
        ["Chỉ tiêu", "Năm 2025"],
        ["Số tổ", 12],
      ],
    },
    { properties: { sheetId: 5, title: "T12" }, values: [["Tháng 12"]] },
    { properties: { sheetId: 6, title: "Q3" }, values: [["Quý III"]] },
  ],
  ...extra,
});

async function folder(files: Record<string, unknown>): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "standin-google-"));
  for (const [name, body] of Object.entries(files)) await writeFile(join(d, `${name}.json`), JSON.stringify(body));
  return d;
}

async function client(s: Standin): Promise<GoogleApi> {
  const keyFile = join(dir, "key.json");
  await writeFile(keyFile, JSON.stringify(account));
  return connect({ keyFile, rootUrl: s.url, tokenUrl: `${s.url}/token`, readsPerMinute: 0, writesPerMinute: 0 });
}

const fileGet = (a: GoogleApi, fileId: string, fields = "mimeType,modifiedTime,version,trashed,shortcutDetails") =>
  a.drive.files.get({ fileId, fields, supportsAllDrives: true });
const sheetGet = (a: GoogleApi, spreadsheetId: string) => a.sheets.spreadsheets.get({ spreadsheetId });
const values = (a: GoogleApi, spreadsheetId: string, ranges: string[]) =>
  a.sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges, valueRenderOption: "UNFORMATTED_VALUE" });

beforeAll(async () => {
  dir = await folder({
    ok: sheet(),
    unshared: sheet({ access: "forbidden" }),
    gone: sheet({ access: "not_found" }),
    excel: sheet({ mimeType: EXCEL }),
    shortcut: { properties: { title: "Lối tắt tới biểu xã" }, version: "3", shortcutTo: "ok", sheets: [] },
    trash: sheet({ trashed: true }),
    shared: sheet({ driveId: "0AExampleSharedDrive" }),
    "drive-limited": sheet({ faults: [{ status: 403, reason: "userRateLimitExceeded", api: "drive" }] }),
    "sheets-limited": sheet({ faults: [{ status: 429, api: "sheets" }] }),
    editable: sheet({ serviceAccount: "writer" }),
    cells: sheet({
      properties: { title: "Biểu xã", locale: "en_US", timeZone: "Asia/Ho_Chi_Minh" },
      sheets: [
        {
          properties: { sheetId: 0, title: "Năm 2025" },
          values: [
            ["UBND XÃ"],
            [],
            ["Chỉ tiêu", "", "Năm 2025"],
            ["Số tổ", "", 12, ""],
            ["Tỷ lệ", "", 0.94],
            ["Lỗi", "", "#REF!"],
            ["Đã chốt", "", true],
          ],
        },
        {
          properties: { sheetId: 7, title: "Mô hình" },
          values: [
            ["Loại mô hình", "Số điểm"],
            ["Camera", 3],
          ],
        },
        { properties: { sheetId: 5, title: "T12" }, values: [["Tháng 12"]] },
      ],
    }),
    "edited-by": sheet({ lastModifyingUser: { displayName: "Nguyễn Văn A", emailAddress: "a.nguyen@example.vn" } }),
    "edited-by-hidden": sheet({
      lastModifyingUser: { displayName: "Trần Thị B", emailAddress: "b.tran@example.vn", hidesEmail: true },
    }),
    "write-fails": sheet({
      serviceAccount: "writer",
      faults: [{ status: 503, api: "sheets", call: "spreadsheets.batchUpdate" }],
    }),
    flaky: sheet({
      faults: [
        { status: 500, api: "drive" },
        { status: 503, api: "sheets", retryAfter: 4 },
      ],
    }),
  });
  standin = await startStandin({ dir, serviceAccounts: { [account.client_email]: account.public_key } });
  api = await client(standin);
});
afterAll(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a sheet nobody shared with the service account", () => {
  it("is a 404 notFound on Drive, which cannot tell it from a deleted file", async () => {
    const r = await refusal(fileGet(api, "unshared"));
    expect(r.status).toBe(404);
    expect(r.error).toEqual({
      code: 404,
      message: "File not found: unshared.",
      errors: [
        {
          message: "File not found: unshared.",
          domain: "global",
          reason: "notFound",
          location: "fileId",
          locationType: "parameter",
        },
      ],
    });
    expect(r.message).toBe("File not found: unshared.");
  });

  it("is a 403 PERMISSION_DENIED on Sheets, where a deleted file is a 404 NOT_FOUND", async () => {
    const unshared = await refusal(sheetGet(api, "unshared"));
    expect([unshared.status, unshared.error]).toEqual([
      403,
      { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" },
    ]);
    const gone = await refusal(sheetGet(api, "gone"));
    expect([gone.status, gone.error]).toEqual([
      404,
      { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" },
    ]);
    expect((await refusal(fileGet(api, "gone"))).error?.errors?.[0]?.reason).toBe("notFound");
  });
});

describe("files that are not plain Google Sheets", () => {
  it("an Excel file: Drive tells its type, Sheets answers 400 FAILED_PRECONDITION", async () => {
    const file = await fileGet(api, "excel");
    expect(file.data).toEqual({
      mimeType: EXCEL,
      modifiedTime: "2026-01-20T03:15:00.000Z",
      version: "412",
      trashed: false,
    });
    const r = await refusal(values(api, "excel", ["'Năm 2025'"]));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({
      code: 400,
      status: "FAILED_PRECONDITION",
      message: "This operation is not supported for this document",
    });
    expect(r.error?.errors?.[0]?.reason).toBe("failedPrecondition");
  });

  it("a shortcut: Drive gives its target and its own version; Sheets knows only the target", async () => {
    const file = await fileGet(api, "shortcut");
    expect(file.data).toEqual({
      mimeType: "application/vnd.google-apps.shortcut",
      modifiedTime: "2026-01-01T00:00:00.000Z",
      version: "3",
      trashed: false,
      shortcutDetails: { targetId: "ok", targetMimeType: "application/vnd.google-apps.spreadsheet" },
    });
    expect((await refusal(sheetGet(api, "shortcut"))).status).toBe(404);
    expect((await fileGet(api, "ok")).data.version).toBe("412");
    expect((await sheetGet(api, "ok")).data.properties?.title).toBe("Biểu xã");
  });

  it("a file in the trash: `trashed` only when asked for, and still readable", async () => {
    expect((await fileGet(api, "trash")).data.trashed).toBe(true);
    expect((await fileGet(api, "trash", "version")).data).toEqual({ version: "412" });
    expect((await values(api, "trash", ["'Năm 2025'!A2:B2"])).data.valueRanges?.[0]?.values).toEqual([["Số tổ", 12]]);
  });

  it("a file in a shared drive: Drive finds it only with supportsAllDrives=true; Sheets reads it", async () => {
    expect((await refusal(api.drive.files.get({ fileId: "shared", fields: "version" }))).status).toBe(404);
    expect((await fileGet(api, "shared", "version")).data).toEqual({ version: "412" });
    expect((await sheetGet(api, "shared")).status).toBe(200);
  });

  it("says who edited last when asked, leaving the email out when that user hides it", async () => {
    const editor = async (id: string) =>
      (await fileGet(api, id, "version,lastModifyingUser(displayName,emailAddress)")).data;
    expect(await editor("edited-by")).toEqual({
      version: "412",
      lastModifyingUser: { displayName: "Nguyễn Văn A", emailAddress: "a.nguyen@example.vn" },
    });
    expect(await editor("edited-by-hidden")).toEqual({
      version: "412",
      lastModifyingUser: { displayName: "Trần Thị B" },
    });
    // The whole user, `kind` included, when the mask names the field alone; nothing when it is not asked for.
    expect((await fileGet(api, "edited-by", "lastModifyingUser")).data.lastModifyingUser).toEqual({
      kind: "drive#user",
      displayName: "Nguyễn Văn A",
      emailAddress: "a.nguyen@example.vn",
    });
    expect((await fileGet(api, "edited-by")).data.lastModifyingUser).toBeUndefined();
  });

  it("Drive without `fields` answers its default fields", async () => {
    const file = await api.drive.files.get({ fileId: "ok" });
    expect(file.data).toEqual({
      kind: "drive#file",
      id: "ok",
      name: "Biểu xã",
      mimeType: "application/vnd.google-apps.spreadsheet",
    });
  });
});

describe("quota and outages", () => {
  it("Drive's rate limit is a 403 userRateLimitExceeded, served to Drive calls only, once", async () => {
    expect((await values(api, "drive-limited", ["'Năm 2025'"])).status).toBe(200);
    const r = await refusal(fileGet(api, "drive-limited"));
    expect(r.status).toBe(403);
    expect(r.error?.errors).toEqual([
      { message: "User Rate Limit Exceeded", domain: "usageLimits", reason: "userRateLimitExceeded" },
    ]);
    expect(r.error?.status).toBeUndefined();
    expect((await fileGet(api, "drive-limited")).status).toBe(200);
  });

  it("Sheets' rate limit is a 429 RESOURCE_EXHAUSTED with RATE_LIMIT_EXCEEDED and no Retry-After", async () => {
    const r = await refusal(values(api, "sheets-limited", ["'Năm 2025'"]));
    expect(r.status).toBe(429);
    expect(r.error).toMatchObject({
      code: 429,
      status: "RESOURCE_EXHAUSTED",
      message: expect.stringContaining("Read requests per minute per user"),
    });
    expect(r.error?.details).toEqual([
      expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED" }),
    ]);
    expect(r.header("retry-after")).toBeUndefined();
  });

  it("outages: Drive's backendError, Sheets' UNAVAILABLE with the fixture's Retry-After", async () => {
    const drive = await refusal(fileGet(api, "flaky"));
    expect([drive.status, drive.error?.errors?.[0]?.reason]).toEqual([500, "backendError"]);
    const sheets = await refusal(sheetGet(api, "flaky"));
    expect([sheets.status, sheets.error?.status, sheets.header("retry-after")]).toEqual([503, "UNAVAILABLE", "4"]);
    expect((await sheetGet(api, "flaky")).status).toBe(200);
  });

  it("a missing token: Drive's authError, Sheets' UNAUTHENTICATED", async () => {
    const drive = await fetch(`${standin.url}/drive/v3/files/ok?fields=version`);
    const driveBody = (await drive.json()) as { error?: GoogleError };
    expect([drive.status, driveBody.error?.errors?.[0]?.reason]).toEqual([401, "authError"]);
    const sheets = await fetch(`${standin.url}/v4/spreadsheets/ok`);
    const sheetsBody = (await sheets.json()) as { error?: GoogleError };
    expect([sheets.status, sheetsBody.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
  });
});

describe("Google's read quota (google.json `quota`)", () => {
  it("refuses Sheets reads above the per-user and the per-project limit of the clock minute, and counts each refusal", async () => {
    // Not across a minute's turn: the quota refills each clock minute.
    if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
    const other = createServiceAccount("antq-read-2@local-standin.iam.gserviceaccount.com");
    const d = await folder({
      ok: sheet(),
      google: { quota: { readsPerMinutePerUser: 3, readsPerMinutePerProject: 5 } },
    });
    const s = await startStandin({
      dir: d,
      serviceAccounts: { [account.client_email]: account.public_key, [other.client_email]: other.public_key },
    });
    try {
      const first = await client(s);
      await writeFile(join(dir, "other.json"), JSON.stringify(other));
      const second = await connect({
        keyFile: join(dir, "other.json"),
        rootUrl: s.url,
        tokenUrl: `${s.url}/token`,
        readsPerMinute: 0,
        writesPerMinute: 0,
      });
      for (let i = 0; i < 3; i++) expect((await sheetGet(first, "ok")).status).toBe(200);
      const user = await refusal(sheetGet(first, "ok"));
      expect([user.status, user.error?.status]).toEqual([429, "RESOURCE_EXHAUSTED"]);
      expect(user.error?.message).toContain("'Read requests per minute per user'");
      expect(user.error?.details).toEqual([expect.objectContaining({ reason: "RATE_LIMIT_EXCEEDED" })]);
      // Drive is not Sheets' quota; the other account reads until the project's five are used.
      expect((await fileGet(first, "ok")).status).toBe(200);
      expect((await values(second, "ok", ["'Năm 2025'"])).status).toBe(200);
      expect((await sheetGet(second, "ok")).status).toBe(200);
      const project = await refusal(sheetGet(second, "ok"));
      expect([project.status, project.error?.status]).toEqual([429, "RESOURCE_EXHAUSTED"]);
      expect(project.error?.message).toContain("'Read requests per minute' of service 'sheets.googleapis.com'");
      // The consumer is the folder's project, as Google names it.
      expect(project.error?.message).toMatch(/for consumer 'project_number:\d+'\.$/);
      expect(s.stats).toMatchObject({ quota_exceeded: 2, "sheets.spreadsheets.get": 6, "sheets.values.batchGet": 1 });
    } finally {
      await s.close();
      await rm(d, { recursive: true, force: true });
    }
  }, 70_000);
});

describe("a Cloud project with an API switched off (google.json)", () => {
  it.each([
    ["drive", "Google Drive API"],
    ["sheets", "Google Sheets API"],
  ])("answers every %s call 403, as a project whose API is not enabled", async (off, name) => {
    const d = await folder({ ok: sheet(), google: { disabledApis: [off], projectNumber: "123456789012" } });
    const s = await startStandin({ dir: d, serviceAccounts: { [account.client_email]: account.public_key } });
    try {
      const a = await client(s);
      const drive = fileGet(a, "ok");
      const sheets = sheetGet(a, "ok");
      const [refused, fine] =
        off === "drive" ? [await refusal(drive), await sheets] : [await refusal(sheets), await drive];
      expect(fine.status).toBe(200);
      expect(refused.status).toBe(403);
      expect(refused.error?.message).toMatch(
        new RegExp(`^${name} has not been used in project 123456789012 before or it is disabled`),
      );
      if (off === "drive") expect(refused.error?.errors?.[0]?.reason).toBe("accessNotConfigured");
      else
        expect([refused.error?.status, refused.error?.details?.[0]?.reason]).toEqual([
          "PERMISSION_DENIED",
          "SERVICE_DISABLED",
        ]);
    } finally {
      await s.close();
      await rm(d, { recursive: true, force: true });
    }
  });
});

describe("the token endpoint", () => {
  it.each([
    [
      "a key Google does not hold for the account",
      { ...account, private_key: createServiceAccount().private_key },
      /Invalid JWT Signature/,
    ],
    [
      "a deleted service account",
      { ...createServiceAccount("gone@local-standin.iam.gserviceaccount.com") },
      /account not found/,
    ],
  ])("refuses %s with invalid_grant", async (_, key, message) => {
    const keyFile = join(dir, `key-${Math.random()}.json`);
    await writeFile(keyFile, JSON.stringify(key));
    const a = await connect({ keyFile, rootUrl: standin.url, tokenUrl: `${standin.url}/token`, readsPerMinute: 0 });
    expect((await refusal(fileGet(a, "ok"))).data).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(message),
    });
  });
});

describe("A1 ranges", () => {
  it("reads an unquoted T12 or Q3 as a cell of the first tab, even beside tabs of those names", async () => {
    const { data } = await values(api, "ok", ["T12", "Q3", "B2"]);
    expect(data.valueRanges).toEqual([
      { range: "'Năm 2025'!T12:T12", majorDimension: "ROWS" },
      { range: "'Năm 2025'!Q3:Q3", majorDimension: "ROWS" },
      { range: "'Năm 2025'!B2:B2", majorDimension: "ROWS", values: [[12]] },
    ]);
  });

  it("reads a quoted name as its tab and names such tabs quoted", async () => {
    const { data } = await values(api, "ok", ["'T12'", "'Q3'!A1:A1", "'Năm 2025'!A1"]);
    expect(data.valueRanges).toEqual([
      { range: "'T12'!A1:A1", majorDimension: "ROWS", values: [["Tháng 12"]] },
      { range: "'Q3'!A1:A1", majorDimension: "ROWS", values: [["Quý III"]] },
      { range: "'Năm 2025'!A1:A1", majorDimension: "ROWS", values: [["Chỉ tiêu"]] },
    ]);
  });

  it("refuses an unquoted name with a space, or cells before the `!`, with 400 Unable to parse range", async () => {
    for (const range of ["Năm 2025!A1:B2", "Q3!A:Z"]) {
      const r = await refusal(values(api, "ok", [range]));
      expect([r.status, r.error]).toEqual([
        400,
        { code: 400, message: `Unable to parse range: ${range}`, status: "INVALID_ARGUMENT" },
      ]);
    }
  });
});

describe("one read: properties, tabs and cells in one spreadsheets.get (GOOGLE.md “One read”)", () => {
  const FIELDS =
    "properties(title,locale,timeZone),sheets(properties(sheetId,title,index,hidden),data(startRow,startColumn,rowData(values(effectiveValue,formattedValue))))";

  it("gives the locale, the tabs the ranges touch and their cells, a failed formula as errorValue", async () => {
    const { data } = await api.sheets.spreadsheets.get({
      spreadsheetId: "cells",
      ranges: ["'Năm 2025'!A1:Z300", "'T12'"],
      fields: FIELDS,
    });
    expect(data).toEqual({
      properties: { title: "Biểu xã", locale: "en_US", timeZone: "Asia/Ho_Chi_Minh" },
      sheets: [
        {
          properties: { sheetId: 0, title: "Năm 2025", index: 0 },
          data: [
            {
              rowData: [
                { values: [{ effectiveValue: { stringValue: "UBND XÃ" }, formattedValue: "UBND XÃ" }] },
                {},
                {
                  values: [
                    { effectiveValue: { stringValue: "Chỉ tiêu" }, formattedValue: "Chỉ tiêu" },
                    {},
                    { effectiveValue: { stringValue: "Năm 2025" }, formattedValue: "Năm 2025" },
                  ],
                },
                {
                  values: [
                    { effectiveValue: { stringValue: "Số tổ" }, formattedValue: "Số tổ" },
                    {},
                    { effectiveValue: { numberValue: 12 }, formattedValue: "12" },
                  ],
                },
                {
                  values: [
                    { effectiveValue: { stringValue: "Tỷ lệ" }, formattedValue: "Tỷ lệ" },
                    {},
                    { effectiveValue: { numberValue: 0.94 }, formattedValue: "0.94" },
                  ],
                },
                {
                  values: [
                    { effectiveValue: { stringValue: "Lỗi" }, formattedValue: "Lỗi" },
                    {},
                    {
                      effectiveValue: { errorValue: { type: "REF", message: "Reference does not exist." } },
                      formattedValue: "#REF!",
                    },
                  ],
                },
                {
                  values: [
                    { effectiveValue: { stringValue: "Đã chốt" }, formattedValue: "Đã chốt" },
                    {},
                    { effectiveValue: { boolValue: true }, formattedValue: "TRUE" },
                  ],
                },
              ],
            },
          ],
        },
        {
          properties: { sheetId: 5, title: "T12", index: 2 },
          data: [
            { rowData: [{ values: [{ effectiveValue: { stringValue: "Tháng 12" }, formattedValue: "Tháng 12" }] }] },
          ],
        },
      ],
    });
  });

  it("without ranges gives every tab's cells; a range not at A1 says where it starts; is one read", async () => {
    await fetch(`${standin.url}/__standin/reset`, { method: "POST" });
    const every = await api.sheets.spreadsheets.get({ spreadsheetId: "cells", fields: FIELDS });
    expect(every.data.sheets?.map((s) => [s.properties?.title, s.data?.[0]?.rowData?.length])).toEqual([
      ["Năm 2025", 7],
      ["Mô hình", 2],
      ["T12", 1],
    ]);
    const inner = await api.sheets.spreadsheets.get({
      spreadsheetId: "cells",
      ranges: ["'Mô hình'!B2:C9"],
      fields: FIELDS,
    });
    expect(inner.data.sheets?.[0]?.data).toEqual([
      {
        startRow: 1,
        startColumn: 1,
        rowData: [{ values: [{ effectiveValue: { numberValue: 3 }, formattedValue: "3" }] }],
      },
    ]);
    const stats = (await (await fetch(`${standin.url}/__standin/stats`)).json()) as Record<string, number>;
    expect(stats["sheets.spreadsheets.get"]).toBe(2);
  });

  it("gives no cells without a mask or includeGridData, and only the masked fields", async () => {
    const plain = await api.sheets.spreadsheets.get({ spreadsheetId: "cells", ranges: ["'T12'"] });
    expect(plain.data.sheets?.map((s) => s.data)).toEqual([undefined, undefined, undefined]);
    const grid = await api.sheets.spreadsheets.get({
      spreadsheetId: "cells",
      ranges: ["'T12'"],
      includeGridData: true,
    });
    expect(grid.data.sheets?.map((s) => s.properties?.title)).toEqual(["T12"]);
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData).toHaveLength(1);
    const tabs = await api.sheets.spreadsheets.get({
      spreadsheetId: "cells",
      fields: "properties(locale),sheets.properties(title)",
    });
    expect(tabs.data).toEqual({
      properties: { locale: "en_US" },
      sheets: [
        { properties: { title: "Năm 2025" } },
        { properties: { title: "Mô hình" } },
        { properties: { title: "T12" } },
      ],
    });
  });

  it("refuses a range of a tab that does not exist with 400 Unable to parse range", async () => {
    const r = await refusal(
      api.sheets.spreadsheets.get({ spreadsheetId: "cells", ranges: ["'Năm 2030'"], fields: FIELDS }),
    );
    expect([r.status, r.error]).toEqual([
      400,
      { code: 400, message: "Unable to parse range: 'Năm 2030'", status: "INVALID_ARGUMENT" },
    ]);
  });
});

describe("a sheet the service account may edit (`serviceAccount: writer`)", () => {
  const tab = { addSheet: { properties: { sheetId: 77, title: "Kiểm tra số liệu" } } };
  const write = (id: string, text: string) =>
    api.sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            updateCells: {
              range: { sheetId: 77 },
              rows: [{ values: [{ userEnteredValue: { stringValue: text } }] }],
              fields: "userEnteredValue",
            },
          },
        ],
      },
    });

  it("is editable as Drive's capabilities say; a reader's file is not, and refuses the write", async () => {
    const canEdit = async (id: string) => (await fileGet(api, id, "capabilities(canEdit)")).data;
    expect(await canEdit("editable")).toEqual({ capabilities: { canEdit: true } });
    expect(await canEdit("ok")).toEqual({ capabilities: { canEdit: false } });
    const r = await refusal(
      api.sheets.spreadsheets.batchUpdate({ spreadsheetId: "ok", requestBody: { requests: [tab] } }),
    );
    expect([r.status, r.error?.status]).toEqual([403, "PERMISSION_DENIED"]);
  });

  it("keeps what is written and bumps the version, never to one a test writes by hand; the test's own edit wins", async () => {
    await api.sheets.spreadsheets.batchUpdate({ spreadsheetId: "editable", requestBody: { requests: [tab] } });
    await write("editable", "Không có lỗi");
    const version = async () => (await fileGet(api, "editable", "version")).data.version;
    expect(await version()).toBe("412000002");
    // (Adding the tab and writing it were two edits.)
    const { data } = await values(api, "editable", ["'Kiểm tra số liệu'!A1:B5"]);
    expect(data.valueRanges?.[0]?.values).toEqual([["Không có lỗi"]]);
    // Cleared where the new rows do not reach, as updateCells with a range does.
    await write("editable", "Lần hai");
    expect((await values(api, "editable", ["'Kiểm tra số liệu'!A1:B5"])).data.valueRanges?.[0]?.values).toEqual([
      ["Lần hai"],
    ]);
    // Drive now names the writer as the file's last editor.
    expect((await fileGet(api, "editable", "lastModifyingUser(emailAddress)")).data).toEqual({
      lastModifyingUser: { emailAddress: account.client_email },
    });
    // Kept in the folder's file, as Google keeps it.
    const onDisk: Fixture = JSON.parse(await readFile(join(dir, "editable.json"), "utf8"));
    expect([onDisk.version, onDisk.sheets.length]).toEqual(["412000003", 4]);
    await writeFile(join(dir, "editable.json"), JSON.stringify(sheet({ serviceAccount: "writer", version: "413" })));
    expect(await version()).toBe("413");
    expect((await sheetGet(api, "editable")).data.sheets?.map((x) => x.properties?.title)).toEqual([
      "Năm 2025",
      "T12",
      "Q3",
    ]);
  });

  it("refuses a write with a read-only token: insufficient scopes", async () => {
    const readOnly = await connect({
      keyFile: join(dir, "key.json"),
      rootUrl: standin.url,
      tokenUrl: `${standin.url}/token`,
      scopes: ["https://www.googleapis.com/auth/spreadsheets.readonly"],
      retries: 0,
    });
    const r = await refusal(
      readOnly.sheets.spreadsheets.batchUpdate({ spreadsheetId: "editable", requestBody: { requests: [tab] } }),
    );
    expect([r.status, r.error?.message, r.error?.details?.[0]?.reason]).toEqual([
      403,
      "Request had insufficient authentication scopes.",
      "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    ]);
    // Drive says the same in its own shape.
    const drive = await refusal(
      readOnly.drive.permissions.create({
        fileId: "editable",
        requestBody: { type: "user", role: "reader", emailAddress: "x@example.vn" },
      }),
    );
    expect([drive.status, drive.error?.errors?.[0]?.reason, drive.error?.message]).toEqual([
      403,
      "insufficientPermissions",
      "Request had insufficient authentication scopes.",
    ]);
  });

  it("answers a fault named for one call on that call only", async () => {
    expect((await values(api, "write-fails", ["'Năm 2025'!A1"])).status).toBe(200);
    const r = await refusal(
      api.sheets.spreadsheets.batchUpdate({ spreadsheetId: "write-fails", requestBody: { requests: [tab] } }),
    );
    expect([r.status, r.error?.status]).toEqual([503, "UNAVAILABLE"]);
  });
});
