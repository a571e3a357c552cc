/**
 * What a province meets in its first week against real Google (GOOGLE.md "Errors", "Values", "A1 ranges"), end to
 * end: the sync, the stand-in answering as Google does, local D1 and the API a leader reads. Each source gets its
 * own cause in Vietnamese, and every failed source keeps its last good values.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearTokenCache } from "../../worker/google/token";
import { QUOTA_REFILL_MS, runSync } from "../../worker/sync/run";
import {
  client,
  type Fixture,
  formSheet,
  ok,
  putProjectSettings,
  putSheet,
  registerSources,
  resetDatabase,
  resetStandinStats,
  seedReference,
  standinStats,
  syncNow,
} from "./helpers";

const SERVICE_ACCOUNT = JSON.parse(env.GOOGLE_SERVICE_ACCOUNT!).client_email as string;
const EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A commune's form: teams, members and residential areas for 2025. */
const commune = (name: string, teams: unknown, members: unknown, areas: unknown, extra: Partial<Fixture> = {}) =>
  formSheet(
    name,
    ["Năm 2025"],
    [
      ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", teams],
      ["security_team_members", "Số thành viên tổ bảo vệ an ninh trật tự", members],
      ["residential_area_total", "Tổng số khu dân cư", areas],
    ],
    extra,
  );

async function sources() {
  const { sources } = await ok(client.sources.$get({ query: { unit: "33" } }));
  return Object.fromEntries(sources.map((s) => [s.unitCode, s]));
}

async function figure(code: string, unit = "33") {
  const summary = await ok(client.summary.$get({ query: { unit, period: "2025" } }));
  return summary.indicators.find((i) => i.code === code);
}

async function stored(unit: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT indicator_code AS code, value FROM indicator_values WHERE unit_code = ? AND period = '2025'",
  )
    .bind(unit)
    .all<{ code: string; value: number }>();
  return Object.fromEntries(results.map((r) => [r.code, r.value]));
}

beforeEach(async () => {
  await resetDatabase();
  await seedReference();
  await resetStandinStats();
  await putProjectSettings(null);
});

describe("a province's first week, every situation at once", () => {
  beforeEach(async () => {
    await putSheet("wk-good", commune("Xã Bắc Đông Quan", 12, 39, 14));
    await putSheet("wk-unshared", commune("Phường Phố Hiến", 20, 70, 25, { access: "forbidden" }));
    await putSheet("wk-excel", commune("Phường Hồng Châu", 30, 90, 35, { mimeType: EXCEL }));
    await putSheet("wk-target", commune("Phường Sơn Nam", 7, 23, 9, { version: "40" }));
    await putSheet("wk-shortcut", {
      properties: { title: "Lối tắt – Sơn Nam" },
      version: "2",
      shortcutTo: "wk-target",
      sheets: [],
    });
    await putSheet("wk-trash", commune("Phường Mỹ Hào", 5, 16, 6, { trashed: true }));
    await registerSources(
      [
        "unit_code,sheet,tab,layout",
        "12745,https://docs.google.com/spreadsheets/d/wk-good/edit#gid=0,,form",
        "11953,wk-unshared,,form",
        "11980,https://docs.google.com/spreadsheets/d/wk-excel/edit?rtpof=true&sd=true,,form",
        "11983,wk-shortcut,,form",
        "12103,wk-trash,,form",
      ].join("\n"),
    );
  });

  it("counts only what could be read, and gives each failed source its own cause and what to do", async () => {
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesRead: 2, sourcesFailed: 3, status: "partial" });
    expect(await figure("security_team_count")).toMatchObject({ value: 12 + 7, reporting: 2 });
    expect(await figure("security_team_members")).toMatchObject({ value: 39 + 23, reporting: 2 });

    const s = await sources();
    expect(s["12745"]).toMatchObject({ lastStatus: "ok" });
    expect(s["11983"]).toMatchObject({ lastStatus: "ok" });
    expect(s["11953"]).toMatchObject({ lastErrorCode: "forbidden" });
    expect(s["11953"]!.lastError).toContain(`bấm “Chia sẻ”, thêm ${SERVICE_ACCOUNT} với quyền “Người xem”`);
    expect(s["11980"]).toMatchObject({ lastErrorCode: "excel" });
    expect(s["11980"]!.lastError).toContain(
      "Mở tệp → Tệp → Lưu dưới dạng Google Trang tính, rồi đăng ký đường dẫn mới",
    );
    expect(s["12103"]).toMatchObject({ lastErrorCode: "trashed" });
    expect(s["12103"]!.lastError).toContain("Khôi phục từ thùng rác");
    // Said in Vietnamese only: nothing of Google's English where the cause is known.
    for (const failed of ["11953", "11980", "12103"]) expect(s[failed]!.lastError).not.toContain("Google: ");
  });

  it("tells a sheet nobody shared from one that does not exist with one Sheets call, and reads no Excel file", async () => {
    await registerSources("unit_code,sheet,tab,layout\n12745,wk-no-such-sheet,,form\n");
    await resetStandinStats();
    const run = await runSync(env, { trigger: "manual", concurrency: 1 });
    expect(run).toMatchObject({ sourcesRead: 2, sourcesFailed: 4 });
    const missing = (await ok(client.sources.$get({ query: { unit: "33" } }))).sources.find((x) =>
      x.url.includes("wk-no-such-sheet"),
    );
    expect(missing).toMatchObject({ lastErrorCode: "not_found" });
    expect(missing!.lastError).toMatch(/^Không tìm thấy bảng tính: đường dẫn sai hoặc bảng tính đã bị xóa hẳn/);
    expect((await sources())["11953"]).toMatchObject({ lastErrorCode: "forbidden" });
    const stats = await standinStats();
    // Drive once per source and once for the shortcut's target; Sheets: one probe for each Drive 404 (unshared,
    // missing) and one read of each readable sheet (its tabs and cells at once). The Excel and trashed files cost no
    // Sheets call.
    expect(stats["drive.files.get"]).toBe(6 + 1);
    expect(stats["sheets.spreadsheets.get"]).toBe(2 + 2);
    expect(stats["sheets.values.batchGet"]).toBeUndefined();
  });

  it("warns at once when a registered URL is an Office file opened in Sheets", async () => {
    const res = await client.admin.sources.$post(
      { query: {} },
      {
        init: {
          headers: { "content-type": "text/csv" },
          body: "unit_code,sheet,tab,layout\n11980,https://docs.google.com/spreadsheets/d/wk-excel/edit?rtpof=true&sd=true,,form\n",
        },
      },
    );
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.warnings).toEqual([
      { line: 2, message: expect.stringMatching(/tệp Excel.*Mở tệp → Tệp → Lưu dưới dạng Google Trang tính/) },
    ]);
  });

  it("follows a shortcut: the target's version decides, not the shortcut's", async () => {
    await syncNow();
    expect(await syncNow()).toMatchObject({ sourcesRead: 0, sourcesSkipped: 2 });
    await putSheet("wk-target", commune("Phường Sơn Nam", 8, 25, 9, { version: "41" }));
    expect(await syncNow()).toMatchObject({ sourcesRead: 1, sourcesSkipped: 1 });
    expect(await stored("11983")).toMatchObject({ security_team_count: 8, security_team_members: 25 });
  });

  it("keeps the last good values of a sheet moved to the trash, and reads it again once restored", async () => {
    await putSheet("wk-trash", commune("Phường Mỹ Hào", 5, 16, 6, { version: "1" }));
    await syncNow();
    const good = await stored("12103");
    expect(good).toMatchObject({ security_team_count: 5 });
    await putSheet("wk-trash", commune("Phường Mỹ Hào", 6, 19, 6, { version: "2", trashed: true }));
    await syncNow();
    expect(await stored("12103")).toEqual(good);
    expect((await sources())["12103"]).toMatchObject({ lastErrorCode: "trashed" });
    await putSheet("wk-trash", commune("Phường Mỹ Hào", 6, 19, 6, { version: "3" }));
    await syncNow();
    expect(await stored("12103")).toMatchObject({ security_team_count: 6, security_team_members: 19 });
  });
});

describe("a formula that fails", () => {
  it("is an error at its cell and keeps the cell's last good value, until the formula works again", async () => {
    await putSheet("fx-sheet", commune("Xã Bắc Đông Quan", 12, 39, 14, { version: "1" }));
    await registerSources("unit_code,sheet,tab,layout\n12745,fx-sheet,,form\n");
    await syncNow();
    await putSheet("fx-sheet", commune("Xã Bắc Đông Quan", 12, "#REF!", "Loading...", { version: "2" }));
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesRead: 1, valuesRemoved: 0 });
    expect(await stored("12745")).toEqual({
      security_team_count: 12,
      security_team_members: 39,
      residential_area_total: 14,
    });
    expect(await figure("security_team_members")).toMatchObject({ value: 39, reporting: 1 });
    const { issues } = await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }));
    const formula = issues.filter((i) => i.code === "formula_error");
    expect(formula.map((i) => [i.cell, i.raw, i.severity])).toEqual([
      ["'Năm 2025'!E5", "#REF!", "error"],
      ["'Năm 2025'!E6", "Loading...", "error"],
    ]);
    expect(formula[0]!.message).toBe(
      "Ô E5: công thức lỗi (‘#REF!’) — sửa công thức hoặc nhập số trực tiếp; số liệu đã nhận trước đó vẫn được giữ cho đến khi ô có số",
    );
    // A clerk's typing is not a formula: it replaces nothing and is reported as before.
    await putSheet("fx-sheet", commune("Xã Bắc Đông Quan", "3,5", 41, 14, { version: "3" }));
    await syncNow();
    expect(await stored("12745")).toEqual({ security_team_members: 41, residential_area_total: 14 });
    const after = (await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }))).issues;
    expect(after.map((i) => i.code)).toContain("not_integer");
    expect(after.map((i) => i.code)).not.toContain("formula_error");
  });
});

describe("a sheet left in another locale", () => {
  it("flags its figures as possibly misread, on the source and on every figure they feed", async () => {
    await putSheet(
      "loc-en",
      commune("Xã Bắc Đông Quan", 5, 33.1, 14, { properties: { title: "Xã Bắc Đông Quan", locale: "en_US" } }),
    );
    await putSheet(
      "loc-vi",
      commune("Phường Phố Hiến", 20, 70, 25, { properties: { title: "Phường Phố Hiến", locale: "vi" } }),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,loc-en,,form\n11953,loc-vi,,form\n");
    await syncNow();
    expect(await figure("security_team_count")).toMatchObject({ value: 25, doubtful: true });
    expect(await figure("security_team_count", "11953")).toMatchObject({ value: 20, doubtful: false });
    const { rows } = await ok(
      client.breakdown.$get({ query: { unit: "33", period: "2025", indicator: "security_team_count" } }),
    );
    expect(rows.filter((r) => r.doubtful).map((r) => r.unit.code)).toEqual(["12745"]);
    const { issues } = await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }));
    const locale = issues.filter((i) => i.code === "locale");
    expect(locale).toHaveLength(1);
    expect(locale[0]).toMatchObject({ unitCode: "12745", severity: "warning", raw: "en_US" });
    expect(locale[0]!.message).toContain("Google có thể đã lưu “5.000” thành 5");
  });
});

describe("tab names that read as cells", () => {
  it("reads a tab named T12 or Q3, since every range is quoted", async () => {
    const sheet = commune("Xã Bắc Đông Quan", 12, 39, 14);
    const values = sheet.sheets[0]!.values!;
    await putSheet("tab-cells", {
      ...sheet,
      sheets: [
        { properties: { sheetId: 0, title: "Ghi chú" }, values: [["Biểu nằm ở trang T12"]] },
        {
          properties: { sheetId: 9, title: "T12" },
          values: values.map((r) => r.map((c) => (c === "Năm 2025" ? "Tháng 12/2025" : c))),
        },
        {
          properties: { sheetId: 3, title: "Q3" },
          values: values.map((r) => r.map((c) => (c === "Năm 2025" ? "Quý III/2025" : c))),
        },
      ],
    });
    await registerSources(
      "unit_code,sheet,tab,layout\n12745,tab-cells,T12,form\n11953,https://docs.google.com/spreadsheets/d/tab-cells/edit#gid=3,,form\n",
    );
    expect(await syncNow()).toMatchObject({ sourcesRead: 2, sourcesFailed: 0 });
    const m12 = await ok(client.summary.$get({ query: { unit: "12745", period: "2025-M12" } }));
    expect(m12.indicators.find((i) => i.code === "security_team_count")!.value).toBe(12);
    const issues = (await ok(client.issues.$get({ query: { unit: "12745", period: "2025-M12" } }))).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.cell === null || i.cell.startsWith("'T12'!"))).toBe(true);
  });
});

describe("Google's quotas", () => {
  it("retries Drive's 403 userRateLimitExceeded like a 429", async () => {
    await putSheet(
      "q-drive",
      commune("Xã Bắc Đông Quan", 12, 39, 14, {
        faults: [{ status: 403, reason: "userRateLimitExceeded", api: "drive" }],
      }),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,q-drive,,form\n");
    const sleeps: number[] = [];
    const run = await runSync(env, {
      trigger: "manual",
      google: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    });
    expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 0 });
    expect(sleeps).toEqual([750]);
  });

  it("tries a source that still meets the read quota again after the quota refills, within the run", async () => {
    const limited = Array.from({ length: 5 }, () => ({ status: 429, api: "sheets" as const }));
    await putSheet("q-sheets", commune("Xã Bắc Đông Quan", 12, 39, 14, { faults: limited }));
    await putSheet("q-fine", commune("Phường Phố Hiến", 20, 70, 25));
    await registerSources("unit_code,sheet,tab,layout\n12745,q-sheets,,form\n11953,q-fine,,form\n");
    const sleeps: number[] = [];
    const run = await runSync(env, {
      trigger: "manual",
      google: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    });
    expect(run).toMatchObject({ sourcesRead: 2, sourcesFailed: 0, status: "ok" });
    expect(sleeps).toContain(QUOTA_REFILL_MS);
    // The client's own retries (4 waits) give up in under 15 s; the wait for the refill is what outlasts the minute.
    expect(sleeps.filter((ms) => ms !== QUOTA_REFILL_MS).reduce((a, b) => a + b, 0)).toBeLessThan(15_000);
    expect(await stored("12745")).toMatchObject({ security_team_count: 12 });
  });

  it("gives up after the last refill with a cause that says it will be read next time, keeping last good values", async () => {
    await putSheet("q-never", commune("Xã Bắc Đông Quan", 12, 39, 14, { version: "1" }));
    await registerSources("unit_code,sheet,tab,layout\n12745,q-never,,form\n");
    await syncNow();
    const limited = Array.from({ length: 20 }, () => ({ status: 429, api: "sheets" as const }));
    await putSheet("q-never", commune("Xã Bắc Đông Quan", 13, 40, 14, { version: "2", faults: limited }));
    const run = await runSync(env, { trigger: "manual", google: { sleep: async () => undefined } });
    expect(run).toMatchObject({ sourcesRead: 0, sourcesFailed: 1 });
    expect((await sources())["12745"]).toMatchObject({
      lastErrorCode: "rate_limited",
      lastError: expect.stringMatching(/^Google đang giới hạn số lần đọc/),
    });
    expect(await stored("12745")).toMatchObject({ security_team_count: 12 });
  });
});

describe("a configuration error of the run", () => {
  beforeEach(async () => {
    await putSheet("cfg-a", commune("Xã Bắc Đông Quan", 12, 39, 14, { version: "1" }));
    await putSheet("cfg-b", commune("Phường Phố Hiến", 20, 70, 25, { version: "1" }));
    await registerSources("unit_code,sheet,tab,layout\n12745,cfg-a,,form\n11953,cfg-b,,form\n");
    await syncNow();
    await putSheet("cfg-a", commune("Xã Bắc Đông Quan", 13, 40, 14, { version: "2" }));
    await putSheet("cfg-b", commune("Phường Phố Hiến", 21, 71, 25, { version: "2" }));
  });

  it("the Drive API switched off: said once on the run, the cause on every source, never “share the sheet”", async () => {
    await putProjectSettings({ disabledApis: ["drive"] });
    await resetStandinStats();
    const run = await runSync(env, { trigger: "manual", concurrency: 1 });
    expect(run).toMatchObject({ status: "failed", sourcesFailed: 2, sourcesRead: 0 });
    // The first refusal says it all: the other source is not sent to Google at all.
    expect((await standinStats())["drive.files.get"]).toBe(1);
    const last = (await ok(client.sync.runs.$get())).runs[0]!;
    expect(last.error).toMatch(
      /^Google Drive API chưa được bật cho dự án Google Cloud “local-standin” \(tài khoản dịch vụ antq-sync@/,
    );
    expect(last.error).toContain("API và dịch vụ → Thư viện");
    expect(last.error).toMatch(/\(Google: Google Drive API has not been used in project \d+ before or it is disabled/);
    const s = await sources();
    for (const unit of ["12745", "11953"]) {
      expect(s[unit]).toMatchObject({ lastErrorCode: "config" });
      expect(s[unit]!.lastError).toContain("Google Drive API chưa được bật");
      expect(s[unit]!.lastError).not.toMatch(/chia sẻ/i);
    }
    expect(await stored("12745")).toMatchObject({ security_team_count: 12 });
    expect(await stored("11953")).toMatchObject({ security_team_count: 20 });

    await putProjectSettings(null);
    expect(await syncNow()).toMatchObject({ status: "ok", sourcesRead: 2 });
    expect(await stored("12745")).toMatchObject({ security_team_count: 13 });
  });

  it("the Sheets API switched off names the Sheets API", async () => {
    await putProjectSettings({ disabledApis: ["sheets"] });
    const run = await syncNow();
    expect(run).toMatchObject({ status: "failed", sourcesFailed: 2 });
    const last = (await ok(client.sync.runs.$get())).runs[0]!;
    expect(last.error).toMatch(/^Google Sheets API chưa được bật/);
    expect(await stored("11953")).toMatchObject({ security_team_count: 20 });
  });

  it("a service account Google no longer knows: the run says what to do, no source is blamed", async () => {
    const key = await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    );
    const der = new Uint8Array(
      (await crypto.subtle.exportKey("pkcs8", (key as CryptoKeyPair).privateKey)) as ArrayBuffer,
    );
    const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----\n`;
    const gone = JSON.stringify({
      type: "service_account",
      client_email: "gone@local-standin.iam.gserviceaccount.com",
      private_key: pem,
    });
    clearTokenCache();
    const run = await runSync({ ...env, GOOGLE_SERVICE_ACCOUNT: gone }, { trigger: "manual" });
    expect(run).toMatchObject({ status: "failed", sourcesFailed: 2 });
    const last = (await ok(client.sync.runs.$get())).runs[0]!;
    expect(last.error).toMatch(/^Google không còn tài khoản dịch vụ gone@local-standin\.iam\.gserviceaccount\.com/);
    expect(last.error).toContain("(Google: invalid_grant: Invalid grant: account not found)");
    const s = await sources();
    expect(s["12745"]!.lastError).toMatch(
      /^Chưa đọc được vì lỗi cấu hình Google của cả lượt đồng bộ, không phải lỗi của bảng tính này: Google không còn/,
    );
    expect(s["12745"]!.lastError).not.toContain("Người xem");
    expect(await stored("12745")).toMatchObject({ security_team_count: 12 });
  });
});
