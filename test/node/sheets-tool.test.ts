/**
 * The provisioning tool (`npm run sheets`) run in-process against the local stand-in through Google's own
 * `googleapis` client: if the stand-in did not speak Google's protocol, googleapis would fail here.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { sheets_v4 } from "googleapis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../../standin/server.mjs";
import { createServiceAccount } from "../../standin/service-account.mjs";
import type { Fixture, Permission } from "../../standin/store.mjs";
import { main } from "../../tools/sheets/cli.mjs";
import { parseCsv } from "../../tools/sheets/data.mjs";
import { connect, explain } from "../../tools/sheets/google.mjs";
import { findModelsHeader } from "../../worker/sheets/models";
import { refusalOf } from "./google-refusal";

const SHARED_UNITS = resolve(__dirname, "../../../shared/data/admin-units-2025-07-01.csv");
const PROVINCE = "12"; // Lai Châu: the smallest province, 38 communes
const admin = createServiceAccount("provisioner@antq-admin.iam.gserviceaccount.com");
const reader = createServiceAccount(); // the Worker's service account
const stranger = createServiceAccount("stranger@other.iam.gserviceaccount.com");

let dir: string;
let work: string;
let standin: Standin;

async function run(args: string[], key = "admin.json") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [
      ...args,
      "--key",
      join(work, key),
      "--google",
      standin.url,
      "--token-url",
      `${standin.url}/token`,
      "--reads-per-minute",
      "0",
      "--writes-per-minute",
      "0",
      "--retry-base-ms",
      "20",
    ],
    { out: (s) => out.push(s), err: (s) => err.push(s), env: {} },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Google's client signed in as one of the test's accounts, against the stand-in. */
const client = (key: "admin.json" | "reader.json") =>
  connect({
    keyFile: join(work, key),
    rootUrl: standin.url,
    tokenUrl: `${standin.url}/token`,
    readsPerMinute: 0,
    writesPerMinute: 0,
  });

/**
 * A file as the stand-in keeps it (standin/store.mjs), with what the tool's batchUpdate requests stored there in
 * Google's own shapes.
 */
type StoredFile = Omit<Fixture, "permissions" | "protectedRanges" | "dataValidation" | "formats"> & {
  permissions: Permission[];
  protectedRanges: sheets_v4.Schema$ProtectedRange[];
  dataValidation: { range: sheets_v4.Schema$GridRange; rule: sheets_v4.Schema$DataValidationRule | null }[];
  formats: { range: sheets_v4.Schema$GridRange; cell?: sheets_v4.Schema$CellData }[];
};

const parseStored = (text: string): StoredFile => JSON.parse(text);
const stored = async (id: string) => parseStored(await readFile(join(dir, `${id}.json`), "utf8"));
const sheetFiles = async () => (await readdir(dir)).filter((f) => f.endsWith(".json"));

async function communesOf(province: string) {
  return parseCsv(await readFile(SHARED_UNITS, "utf8")).filter((r) => r.parent_code === province);
}

/** A units list with three communes of the province, for the runs that watch every request. */
async function smallUnits() {
  const units = join(work, "small-units.csv");
  const lines = (await readFile(SHARED_UNITS, "utf8")).split("\n");
  await writeFile(
    units,
    `${[lines[0], ...lines.filter((l) => l.split(",")[4] === PROVINCE).slice(0, 3)].join("\n")}\n`,
  );
  return units;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sheets-tool-standin-"));
  work = await mkdtemp(join(tmpdir(), "sheets-tool-work-"));
  for (const [name, account] of Object.entries({
    "admin.json": admin,
    "reader.json": reader,
    "stranger.json": stranger,
  })) {
    await writeFile(join(work, name), JSON.stringify(account));
  }
  standin = await startStandin({
    dir,
    serviceAccounts: { [admin.client_email]: admin.public_key, [reader.client_email]: reader.public_key },
  });
});
afterAll(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe("template", () => {
  it("creates the commune form once: title rows, the header, one row per typed indicator, vi_VN", async () => {
    const first = await run(["template", "--period", "2025"]);
    expect(first.code, first.err).toBe(0);
    const id = /spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(first.out)![1]!;

    const again = await run(["template", "--period", "2025"]);
    expect(again.out).toContain(id);
    expect((await sheetFiles()).length).toBe(1);

    const { sheets } = await client("admin.json");
    const meta = await sheets.spreadsheets.get({ spreadsheetId: id });
    expect(meta.data.properties).toMatchObject({
      title: "Mẫu biểu ANTQ – Năm 2025",
      locale: "vi_VN",
      timeZone: "Asia/Ho_Chi_Minh",
    });
    const values = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Năm 2025'"],
      valueRenderOption: "UNFORMATTED_VALUE",
    });
    const rows = values.data.valueRanges![0]!.values!;
    expect(rows[3]).toEqual(["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Năm 2024", "Năm 2025", "Ghi chú"]);

    const catalog = parseCsv(await readFile(resolve(__dirname, "../../catalog/indicators.csv"), "utf8"));
    const typed = catalog.filter((r) => r.kind !== "ratio");
    const body = rows.slice(4);
    // One row per typed indicator, then the row by which the commune confirms a period.
    expect(body.map((r) => r[2])).toEqual([...typed.map((r) => r.code), "chot_so_lieu"]);
    expect(body[0]).toEqual([1, typed[0]!.label_vi, typed[0]!.code, typed[0]!.unit_vi]);
    expect(body.at(-1)).toEqual([typed.length + 1, "Chốt số liệu", "chot_so_lieu"]);
    expect(body.map((r) => r[2])).not.toContain("residential_area_safe_rate");

    // The models tab (PRODUCT.md §15), found by the Worker by its header, its kind cells offering the catalog's kinds.
    const models = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Mô hình – Năm 2025'"],
      valueRenderOption: "UNFORMATTED_VALUE",
    });
    const modelRows = models.data.valueRanges![0]!.values!;
    expect(findModelsHeader(modelRows)).toMatchObject({ row: 3, kind: 1, points: 2 });
    expect(modelRows[3]).toEqual(["STT", "Loại mô hình", "Số điểm", "Ghi chú"]);
    expect(modelRows.at(-1)?.[1]).toBe("Tổng cộng");
    const f = await stored(id);
    const kinds = f.dataValidation.find((v) => v.range.sheetId === 1 && v.range.startColumnIndex === 1)!;
    expect(kinds.rule!.condition!.values!.map((v) => v.userEnteredValue)).toContain("Camera an ninh");
    expect(kinds.rule!.strict).toBe(false);
  });

  it("protects labels and codes, and validates every value cell by the indicator's kind", async () => {
    const [file] = await sheetFiles();
    const f = await stored(file!.slice(0, -5));
    const codeRows = f.sheets[0]!.values!.slice(4).map((r) => r[2]);
    const rowOf = (code: unknown) => 4 + codeRows.indexOf(code);

    const labels = f.protectedRanges.find((p) => p.range!.startRowIndex === 4)!;
    expect(labels.range).toMatchObject({ startColumnIndex: 0, endColumnIndex: 4, endRowIndex: 4 + codeRows.length });
    expect(labels.warningOnly).toBe(false);
    expect(f.protectedRanges.some((p) => p.range!.startRowIndex === 0 && p.range!.endRowIndex === 4)).toBe(true);

    const ruleOf = (code: unknown) => f.dataValidation.find((v) => v.range.startRowIndex === rowOf(code));
    const count = ruleOf("security_team_count")!;
    expect(count.range).toMatchObject({ startColumnIndex: 4, endColumnIndex: 6 });
    expect(count.rule!.condition!.type).toBe("CUSTOM_FORMULA");
    expect(count.rule!.condition!.values![0]!.userEnteredValue).toMatch(/>=0.*INT\(/);
    expect(count.rule!.strict).toBe(true);
    expect(ruleOf("explosives_kg")!.rule!.condition).toEqual({
      type: "NUMBER_GREATER_THAN_EQ",
      values: [{ userEnteredValue: "0" }],
    });
    expect(ruleOf("commune_safe")!.rule!.condition!.values!.map((v) => v.userEnteredValue)).toEqual(["0", "1"]);
    // Every value row has a rule.
    expect(codeRows.every((c) => ruleOf(c))).toBe(true);
    // “Chốt số liệu”: a checkbox in each period column, and a note on its label saying what ticking does.
    const tick = ruleOf("chot_so_lieu")!;
    expect(tick.range).toMatchObject({
      startColumnIndex: 4,
      endColumnIndex: 6,
      endRowIndex: rowOf("chot_so_lieu") + 1,
    });
    expect(tick.rule!.condition).toEqual({ type: "BOOLEAN" });
    const note = f.notes!.find((n) => n.row === rowOf("chot_so_lieu") && n.column === 1)!;
    expect(note.note).toContain("Đánh dấu ô của kỳ khi số liệu kỳ đó đã đủ và đúng");
    expect(note.note).toContain("bỏ đánh dấu rồi đánh dấu lại");

    const formatOf = (code: string) =>
      f.formats.find((x) => x.range.startRowIndex === rowOf(code) && x.cell!.userEnteredFormat!.numberFormat)!;
    expect(formatOf("security_team_count").cell!.userEnteredFormat!.numberFormat!.pattern).toBe("#,##0");
    expect(formatOf("explosives_kg").cell!.userEnteredFormat!.numberFormat!.pattern).toBe("#,##0.##");
  });
});

describe("provision", () => {
  let emailsCsv: string;
  let sourcesCsv: string;
  let communes: Record<string, string>[];

  beforeAll(async () => {
    communes = await communesOf(PROVINCE);
    emailsCsv = join(work, "emails.csv");
    sourcesCsv = join(work, "sources.csv");
    const [a, b] = communes;
    await writeFile(
      emailsCsv,
      `unit_code,email\n${a!.code},ca.${a!.code_name}@example.vn;vanphong.${a!.code_name}@example.vn\n${b!.code},ca.${b!.code_name}@example.vn\n`,
    );
  });

  it("gives every commune its own sheet, named after it, shared with its clerks and the Worker's account", async () => {
    const before = (await sheetFiles()).length;
    const res = await run([
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      SHARED_UNITS,
      "--emails",
      emailsCsv,
      "--service-account",
      reader.client_email,
      "--out",
      sourcesCsv,
    ]);
    expect(res.code, res.err + res.out).toBe(0);
    expect((await sheetFiles()).length).toBe(before + communes.length);

    const sources = parseCsv(await readFile(sourcesCsv, "utf8"));
    expect(sources.map((s) => s.unit_code).sort()).toEqual(communes.map((c) => c.code).sort());
    expect(new Set(sources.map((s) => s.sheet)).size).toBe(communes.length);
    expect(
      sources.every(
        (s) =>
          s.layout === "form" &&
          s.tab === "Năm 2025" &&
          /^https:\/\/docs\.google\.com\/spreadsheets\/d\/[\w-]+\/edit#gid=0$/.test(s.sheet!),
      ),
    ).toBe(true);

    const [a, b] = communes;
    const idOf = (code: string | undefined) =>
      /\/d\/([\w-]+)/.exec(sources.find((s) => s.unit_code === code)!.sheet!)![1]!;
    const sheetA = await stored(idOf(a!.code));
    expect(sheetA.properties.title).toBe(`${a!.full_name} (${a!.code}) – Biểu ANTQ Năm 2025`);
    expect(sheetA.sheets[0]!.values![0]).toEqual([`UBND ${a!.full_name!.toLocaleUpperCase("vi-VN")}`]);

    const { drive } = await client("admin.json");
    const perms = (await drive.permissions.list({ fileId: idOf(a!.code) })).data.permissions!;
    expect(
      perms
        .filter((p) => p.role === "writer")
        .map((p) => p.emailAddress)
        .sort(),
    ).toEqual([`ca.${a!.code_name}@example.vn`, `vanphong.${a!.code_name}@example.vn`]);
    expect(perms.find((p) => p.emailAddress === reader.client_email)?.role).toBe("reader");
    const permsB = (await drive.permissions.list({ fileId: idOf(b!.code) })).data.permissions!;
    expect(permsB.filter((p) => p.role === "writer").map((p) => p.emailAddress)).toEqual([
      `ca.${b!.code_name}@example.vn`,
    ]);

    // The Worker's account reads the commune's sheet; an account it was never shared with cannot.
    const asReader = await (await client("reader.json")).sheets.spreadsheets.get({ spreadsheetId: idOf(a!.code) });
    expect(asReader.data.properties?.locale).toBe("vi_VN");
    expect(res.out).toContain(`${communes.length - 2} xã chưa có email`);
  });

  it("is safe to run again: the same sheets are found and reused, nothing is duplicated or re-shared", async () => {
    const files = (await sheetFiles()).sort();
    const csvBefore = await readFile(sourcesCsv, "utf8");
    standin.resetStats();
    const res = await run([
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      SHARED_UNITS,
      "--emails",
      emailsCsv,
      "--service-account",
      reader.client_email,
      "--out",
      sourcesCsv,
    ]);
    expect(res.code, res.err).toBe(0);
    expect((await sheetFiles()).sort()).toEqual(files);
    expect(await readFile(sourcesCsv, "utf8")).toBe(csvBefore);
    expect(standin.stats["drive.files.copy"]).toBeUndefined();
    expect(standin.stats["drive.permissions.create"]).toBeUndefined();
    expect(res.out).toContain(`0 bảng tính mới, ${communes.length} đã có`);
  });

  it("shares a sheet again when a clerk's email is added later, without touching the others", async () => {
    const c = communes[5]!;
    await writeFile(emailsCsv, `${await readFile(emailsCsv, "utf8")}${c.code},moi.${c.code_name}@example.vn\n`);
    standin.resetStats();
    const res = await run([
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      SHARED_UNITS,
      "--emails",
      emailsCsv,
      "--service-account",
      reader.client_email,
      "--out",
      sourcesCsv,
    ]);
    expect(res.code, res.err).toBe(0);
    expect(standin.stats["drive.permissions.create"]).toBe(1);
    expect(res.out).toContain("1 lượt chia sẻ mới");
  });

  it("keeps other provinces' rows when it rewrites sources.csv", async () => {
    const other = join(work, "mixed-sources.csv");
    await writeFile(
      other,
      "unit_code,sheet,tab,layout\n33,https://docs.google.com/spreadsheets/d/province-table/edit#gid=0,Năm 2025,table\n",
    );
    const res = await run([
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      SHARED_UNITS,
      "--service-account",
      reader.client_email,
      "--out",
      other,
    ]);
    expect(res.code, res.err).toBe(0);
    const rows = parseCsv(await readFile(other, "utf8"));
    expect(rows.length).toBe(communes.length + 1);
    expect(rows.find((r) => r.unit_code === "33")?.layout).toBe("table");
  });
});

describe("stand-in write endpoints, as Google answers them", () => {
  /** Google's status and message for a call: 200 when it answered, or what it refused with. */
  const status = (p: Promise<unknown>): Promise<[number | undefined, string | undefined]> =>
    p.then(
      () => [200, undefined],
      (e: unknown) => {
        const refused = refusalOf(e);
        return [refused.status, refused.error?.message];
      },
    );

  it("lists only the files shared with the caller, page by page", async () => {
    const { drive } = await client("reader.json");
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const res = await drive.files.list({
        q: "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false",
        pageSize: 10,
        pageToken,
        fields: "nextPageToken,files(id,name)",
      });
      names.push(...res.data.files!.map((f) => f.name!));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(names.length).toBe((await communesOf(PROVINCE)).length);
    expect(names.some((n) => n.startsWith("Mẫu biểu"))).toBe(false);
    expect(await status(drive.files.list({ q: "name ~ 'x'" }))).toEqual([400, "Invalid Value"]);
  });

  it("refuses edits from a reader and malformed requests with Google's statuses", async () => {
    const sources = parseCsv(await readFile(join(work, "sources.csv"), "utf8"));
    const id = /\/d\/([\w-]+)/.exec(sources[0]!.sheet!)![1]!;
    const asReader = await client("reader.json");
    expect(
      await status(
        asReader.sheets.spreadsheets.values.update({
          spreadsheetId: id,
          range: "'Năm 2025'!F5",
          valueInputOption: "RAW",
          requestBody: { values: [[1]] },
        }),
      ),
    ).toEqual([403, "The caller does not have permission"]);
    expect(
      (
        await status(
          asReader.drive.permissions.create({
            fileId: id,
            requestBody: { type: "user", role: "writer", emailAddress: "x@example.vn" },
          }),
        )
      )[0],
    ).toBe(403);
    const asOwner = await client("admin.json");
    expect(
      (
        await status(
          asOwner.sheets.spreadsheets.values.update({
            spreadsheetId: id,
            range: "'Năm 2025'!F5",
            requestBody: { values: [[1]] },
          }),
        )
      )[1],
    ).toBe("'valueInputOption' is required but not specified");
    expect(
      (
        await status(
          asOwner.sheets.spreadsheets.batchUpdate({
            spreadsheetId: id,
            requestBody: { requests: [{ deleteSheet: { sheetId: 0 } }] },
          }),
        )
      )[0],
    ).toBe(400);
    expect(
      (
        await status(
          asOwner.sheets.spreadsheets.batchUpdate({
            spreadsheetId: id,
            requestBody: { requests: [{ setDataValidation: { range: { sheetId: 99 } } }] },
          }),
        )
      )[1],
    ).toBe("Invalid requests[0].setDataValidation: No grid with id: 99");
    expect(
      await status(
        asOwner.sheets.spreadsheets.batchUpdate({ spreadsheetId: "no-such-sheet", requestBody: { requests: [] } }),
      ),
    ).toEqual([404, "Requested entity was not found."]);
  });

  it("bumps the version Drive reports on every edit, and reads typed text by the sheet's locale", async () => {
    const sources = parseCsv(await readFile(join(work, "sources.csv"), "utf8"));
    const id = /\/d\/([\w-]+)/.exec(sources[1]!.sheet!)![1]!;
    const { drive, sheets } = await client("admin.json");
    const before = (await drive.files.get({ fileId: id, fields: "version,modifiedTime" })).data;
    const res = await sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Năm 2025'!E5",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["12", "33.100"]] },
    });
    expect(res.data).toMatchObject({ spreadsheetId: id, updatedRange: "'Năm 2025'!E5:F5", updatedCells: 2 });
    const after = (await drive.files.get({ fileId: id, fields: "version,modifiedTime" })).data;
    expect(Number(after.version)).toBeGreaterThan(Number(before.version));
    const read = await sheets.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Năm 2025'!E5:F5"],
      valueRenderOption: "UNFORMATTED_VALUE",
    });
    // In a vi_VN sheet “33.100” typed is thirty-three thousand one hundred, as in Google Sheets.
    expect(read.data.valueRanges![0]!.values).toEqual([[12, 33100]]);
  });
});

describe("check", () => {
  it("tells the administrator, per source, whether the Worker can read it, its locale, header and last edit", async () => {
    const sources = parseCsv(await readFile(join(work, "sources.csv"), "utf8"));
    const good = sources[0]!;
    // The template was never shared with the Worker's account.
    const templates = [];
    for (const f of await sheetFiles())
      if ((await stored(f.slice(0, -5))).properties.title.startsWith("Mẫu biểu")) templates.push(f.slice(0, -5));
    await writeFile(
      join(dir, "english-sheet.json"),
      JSON.stringify({
        properties: { title: "Bảng tự làm", locale: "en_US" },
        modifiedTime: "2026-03-01T01:30:00Z",
        version: "3",
        sheets: [{ properties: { sheetId: 0, title: "Sheet1" }, values: [["Số liệu"], ["Số tổ", 12]] }],
      }),
    );
    const list = join(work, "check-sources.csv");
    await writeFile(
      list,
      [
        "unit_code,sheet,tab,layout",
        `${good.unit_code},${good.sheet},${good.tab},form`,
        `${sources[1]!.unit_code},${templates[0]},,form`,
        `${sources[2]!.unit_code},no-such-sheet-id,,form`,
        `${sources[3]!.unit_code},english-sheet,,form`,
      ].join("\n"),
    );
    const csvOut = join(work, "check.csv");
    const res = await run(
      ["check", "--sources", list, "--units", SHARED_UNITS, "--csv", csvOut, "--strict"],
      "reader.json",
    );
    expect(res.code, res.err).toBe(2);
    const table = parseCsv(await readFile(csvOut, "utf8"));
    const [ok, unshared, missing, english] = table;
    expect(ok).toMatchObject({
      mã: good.unit_code,
      "đọc được": "có",
      "ngôn ngữ": "vi_VN",
      trang: "Năm 2025",
      "việc cần làm": "Sẵn sàng",
      // Shared as a reader: the Worker reads it but cannot write its check results into it.
      "phản hồi vào bảng tính": `tắt: ${reader.client_email} chỉ có quyền Người xem`,
    });
    expect(ok!["dòng tiêu đề"]).toContain("dòng 4: STT | Chỉ tiêu | Mã | Đơn vị tính | Năm 2024 | Năm 2025");
    expect(ok!["sửa lần cuối"]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    // Provisioned by the administrator's account, the last to write into it.
    expect(ok!["người sửa cuối"]).toBe(admin.client_email);
    expect(unshared).toMatchObject({ "đọc được": "KHÔNG" });
    expect(unshared!["việc cần làm"]).toContain(`thêm ${reader.client_email} quyền Người xem`);
    expect(missing!["việc cần làm"]).toContain("Không tìm thấy bảng tính");
    expect(english).toMatchObject({
      "đọc được": "có",
      "ngôn ngữ": "en_US",
      "dòng tiêu đề": "KHÔNG THẤY",
      "sửa lần cuối": "01/03/2026 08:30",
      "người sửa cuối": "",
    });
    expect(english!["việc cần làm"]).toMatch(/Chỉ tiêu.*Việt Nam/);
    expect(english!["phản hồi vào bảng tính"]).toBe(`tắt: ${reader.client_email} chỉ có quyền Người xem`);
    expect(res.out).toContain("1/4 nguồn sẵn sàng; 2 không đọc được; 1 cần sửa.");
  });
});

describe("quotas and errors", () => {
  it("paces Sheets writes under the quota, and retries a 429 when it is exceeded", async () => {
    const quotaDir = await mkdtemp(join(tmpdir(), "sheets-tool-quota-"));
    const limited = await startStandin({
      dir: quotaDir,
      serviceAccounts: { [admin.client_email]: admin.public_key },
      writeQuota: { limit: 2, windowMs: 1000 },
    });
    const units = await smallUnits();
    const base = [
      "--key",
      join(work, "admin.json"),
      "--google",
      limited.url,
      "--token-url",
      `${limited.url}/token`,
      "--units",
      units,
      "--service-account",
      reader.client_email,
      "--retry-base-ms",
      "200",
      "--reads-per-minute",
      "0",
    ];
    try {
      const log: string[] = [];
      const io = { out: (s: string) => log.push(s), err: (s: string) => log.push(s), env: {} };
      // Unpaced: 2 template writes + 3 title writes in a burst meet the quota; the tool waits and retries.
      const burst = await main(
        [
          "provision",
          "--province",
          PROVINCE,
          "--period",
          "2025",
          "--out",
          join(quotaDir, "a.csv"),
          "--writes-per-minute",
          "0",
          ...base,
        ],
        io,
      );
      expect(burst, log.join("\n")).toBe(0);
      expect(log.join("\n")).toMatch(/Google trả lời 429/);
      expect(log.join("\n")).toMatch(/\d+ yêu cầu tới Google \([1-9]\d* lần thử lại\)/);

      // Paced at 100 a minute (one every 0,6 s), the same writes never meet a quota of 2 a second.
      log.length = 0;
      await new Promise((r) => setTimeout(r, 1100)); // let the burst's window pass
      const started = Date.now();
      const paced = await main(
        [
          "provision",
          "--province",
          PROVINCE,
          "--period",
          "2025-H1",
          "--out",
          join(quotaDir, "b.csv"),
          "--writes-per-minute",
          "100",
          ...base,
        ],
        io,
      );
      expect(paced, log.join("\n")).toBe(0);
      expect(log.join("\n")).toContain("(0 lần thử lại)");
      expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 600 - 50);
    } finally {
      await limited.close();
      await rm(quotaDir, { recursive: true, force: true });
    }
  }, 30_000);

  it("finishes on the next run what a run stopped by the quota left half done", async () => {
    const quotaDir = await mkdtemp(join(tmpdir(), "sheets-tool-stop-"));
    const limited = await startStandin({
      dir: quotaDir,
      serviceAccounts: { [admin.client_email]: admin.public_key },
      writeQuota: { limit: 4, windowMs: 1500 },
    });
    const units = await smallUnits();
    const base = [
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--key",
      join(work, "admin.json"),
      "--google",
      limited.url,
      "--token-url",
      `${limited.url}/token`,
      "--units",
      units,
      "--service-account",
      reader.client_email,
      "--out",
      join(quotaDir, "s.csv"),
      "--reads-per-minute",
      "0",
      "--writes-per-minute",
      "0",
    ];
    try {
      const log: string[] = [];
      const io = { out: (s: string) => log.push(s), err: (s: string) => log.push(s), env: {} };
      // Template (2 writes) and two titles fit in the quota; the third commune's title does not, and no retry is allowed.
      expect(await main([...base, "--retries", "0"], io)).toBe(1);
      expect(log.join("\n")).toMatch(/Lỗi: ghi tên .* vào bảng tính: vượt hạn mức/);
      const files = (await readdir(quotaDir)).filter((f) => f.endsWith(".json"));
      expect(files.length).toBe(4);
      await new Promise((r) => setTimeout(r, 1600));
      log.length = 0;
      expect(await main([...base, "--retries", "0"], io), log.join("\n")).toBe(0);
      expect((await readdir(quotaDir)).filter((f) => f.endsWith(".json")).sort()).toEqual(files.sort());
      const sheets = await Promise.all(files.map(async (f) => parseStored(await readFile(join(quotaDir, f), "utf8"))));
      const communeSheets = sheets.filter((f) => !f.properties.title.startsWith("Mẫu biểu"));
      expect(communeSheets.every((f) => /^UBND /.test(String(f.sheets[0]!.values![0]![0])))).toBe(true);
      expect(
        communeSheets.every((f) =>
          f.permissions.some((p) => p.emailAddress === reader.client_email && p.role === "reader"),
        ),
      ).toBe(true);
    } finally {
      await limited.close();
      await rm(quotaDir, { recursive: true, force: true });
    }
  }, 30_000);

  it("says in Vietnamese when Google refuses the key", async () => {
    const res = await run(["template", "--period", "2025"], "stranger.json");
    expect(res.code).toBe(1);
    expect(res.err).toContain("Google không còn tài khoản dịch vụ stranger@other.iam.gserviceaccount.com");
    expect(res.err).toContain("(Google: Invalid grant: account not found)");
  });

  it("says in Vietnamese when Google cannot be reached, and when an option is wrong", async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {} };
    const code = await main(
      [
        "template",
        "--period",
        "2025",
        "--key",
        join(work, "admin.json"),
        "--google",
        "http://127.0.0.1:9/",
        "--token-url",
        "http://127.0.0.1:9/token",
      ],
      io,
    );
    expect(code).toBe(1);
    expect(out.join("\n")).toContain("không kết nối được tới Google");
    expect((await run(["provision", "--province", "Phú Thọ", "--period", "2025"])).err).toContain(
      "phải là mã tỉnh 2 chữ số",
    );
    expect((await run(["template", "--period", "2025-13"])).err).toContain("--period “2025-13” không hợp lệ");
    expect(existsSync(SHARED_UNITS)).toBe(true);
  });

  it.each([
    [
      403,
      {
        error: {
          code: 403,
          message: "Google Sheets API has not been used in project 1 before or it is disabled.",
          status: "PERMISSION_DENIED",
          details: [{ reason: "SERVICE_DISABLED" }],
        },
      },
      "chưa bật Google Sheets API",
    ],
    [
      403,
      {
        error: {
          code: 403,
          message: "The user's Drive storage quota has been exceeded.",
          errors: [{ reason: "storageQuotaExceeded" }],
        },
      },
      "không có dung lượng Drive",
    ],
    [
      403,
      { error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" } },
      "không có quyền với tệp này",
    ],
    [404, { error: { code: 404, message: "File not found: abc.", status: "NOT_FOUND" } }, "không tìm thấy tệp"],
    [429, { error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } }, "vượt hạn mức"],
    [
      503,
      { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } },
      "Google đang lỗi tạm thời",
    ],
    [
      400,
      { error: { code: 400, message: "Unable to parse range: 'X'!A1", status: "INVALID_ARGUMENT" } },
      "Google từ chối yêu cầu (400)",
    ],
  ])("explains a %i from Google in Vietnamese", (status, data, words) => {
    const e = explain({ response: { status, data } }, "sao chép mẫu biểu", "sa@x.iam.gserviceaccount.com", 6);
    expect(e.message).toContain(words);
    expect(e.message).toContain("sao chép mẫu biểu");
    expect(e.message).toContain(`(Google: ${data.error.message})`);
  });
});

describe("feedback into the communes' sheets", () => {
  let sourcesCsv: string;
  beforeAll(() => {
    sourcesCsv = join(work, "sources.csv");
  });
  it("with --feedback, shares the Worker's account as editor and adds the protected tab for its check results, once", async () => {
    const args = [
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      SHARED_UNITS,
      "--service-account",
      reader.client_email,
      "--out",
      sourcesCsv,
      "--feedback",
    ];
    standin.resetStats();
    const res = await run(args);
    expect(res.code, res.err).toBe(0);
    const sources = parseCsv(await readFile(sourcesCsv, "utf8"));
    const id = /\/d\/([\w-]+)/.exec(sources[0]!.sheet!)![1]!;
    const { drive } = await client("admin.json");
    const perms = (await drive.permissions.list({ fileId: id })).data.permissions!;
    expect(perms.find((p) => p.emailAddress === reader.client_email)?.role).toBe("writer");
    const sheet = await stored(id);
    const tab = sheet.sheets.find((t) => t.properties.title === "Kiểm tra số liệu")!;
    expect(tab.values![0]![0]).toMatch(/^Chưa kiểm tra/);
    expect(sheet.protectedRanges.filter((r) => r.range!.sheetId === tab.properties.sheetId)).toEqual([
      expect.objectContaining({
        range: { sheetId: tab.properties.sheetId },
        warningOnly: false,
        editors: { users: [reader.client_email] },
      }),
    ]);
    expect(standin.stats["sheets.spreadsheets.batchUpdate"]).toBe(sources.length);

    standin.resetStats();
    expect((await run(args)).code).toBe(0);
    expect(standin.stats["sheets.spreadsheets.batchUpdate"]).toBeUndefined();
    expect(standin.stats["drive.permissions.create"]).toBeUndefined();

    const list = join(work, "feedback-sources.csv");
    await writeFile(list, `unit_code,sheet,tab,layout\n${sources[0]!.unit_code},${sources[0]!.sheet},Năm 2025,form\n`);
    const csvOut = join(work, "feedback-check.csv");
    const checked = await run(["check", "--sources", list, "--units", SHARED_UNITS, "--csv", csvOut], "reader.json");
    expect(checked.code, checked.err).toBe(0);
    expect(parseCsv(await readFile(csvOut, "utf8"))[0]).toMatchObject({ "phản hồi vào bảng tính": "bật" });
  });
});
