/**
 * Administration in the browser, as a provincial office runs it, driven by the pages' labels, in an English-language
 * browser (dates are still typed and shown as dd/mm/yyyy): a sheet registered from its URL is read at once and
 * counted; a wrong link and a sheet nobody shared are refused next to the link with what to fix; a file with an error
 * is shown by line and saves nothing; a user is added and disabled; a token's secret shows once; a conference is
 * created and, after one question naming it, frozen; a deadline is set and put back.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Breakdown, type Conference, type Meta, type Summary, screenshotPath } from "./helpers";

type Sources = { sources: unknown[] };
type Conferences = { conferences: Conference[] };
type User = { email: string; role: string; scopeUnitCode: string | null; disabledAt: string | null };

/** The demo's communes 120 and 121 have no sheet registered (demo/generate.mjs). */
const [NEW_COMMUNE, UNSHARED_COMMUNE] = ["99361", "99364"];

/** A new commune's sheet: mediation teams only, so the figures other tests check from the demo's sheets stay theirs. */
function sheet(title: string, teams: number, access = "ok") {
  return {
    properties: { title, locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
    version: "1",
    access,
    sheets: [
      {
        properties: { sheetId: 0, title: "Năm 2025" },
        values: [
          [title],
          [],
          ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Năm 2025"],
          [1, "Số tổ hòa giải", "mediation_team_count", "tổ", teams],
        ],
      },
    ],
  };
}

describe("the administrators' pages", () => {
  let browser: Browser;
  let page: Page;
  const url = inject("productUrl");
  const dir = inject("fixturesDir");

  beforeAll(async () => {
    browser = await launchBrowser();
    await writeFile(join(dir, "admin-new-sheet.json"), JSON.stringify(sheet("Biểu xã mới", 7)));
    await writeFile(join(dir, "admin-unshared.json"), JSON.stringify(sheet("Biểu chưa chia sẻ", 5, "forbidden")));
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    await page.goto(`${url}/`);
    await page.getByRole("link", { name: "Quản trị" }).click();
    await page.getByRole("link", { name: "Bảng tính", exact: true }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function register(link: string, unitCode: string) {
    await page.getByLabel("Kiểu biểu").selectOption("form");
    await page.getByLabel("Đường dẫn bảng tính").fill(link);
    const option = page.getByLabel("Đơn vị", { exact: true }).locator(`option[value="${unitCode}"]`);
    await option.waitFor({ state: "attached" });
    await page.getByLabel("Đơn vị", { exact: true }).selectOption(unitCode);
    await page.getByRole("button", { name: "Đăng ký bảng tính" }).click();
  }

  it("registers a sheet from its URL for a commune that had none, reads it at once and counts it", async () => {
    const period = (await api<Meta>(url, "/api/meta")).defaultPeriod;
    const before = await api<Breakdown>(url, `/api/breakdown?unit=99&period=${period}&indicator=mediation_team_count`);
    expect(before.rows.find((r) => r.unit.code === NEW_COMMUNE)!.value).toBeNull();
    await register("https://docs.google.com/spreadsheets/d/admin-new-sheet/edit#gid=0", NEW_COMMUNE);
    await expect
      .poll(() => page.locator('p[role="status"]').textContent(), { timeout: 15_000 })
      .toContain("đã đọc bảng tính");
    const after = await api<Breakdown>(url, `/api/breakdown?unit=99&period=${period}&indicator=mediation_team_count`);
    expect(after.rows.find((r) => r.unit.code === NEW_COMMUNE)!.value).toBe(7);
    // A province's sheets run to several pages: the commune is found by its code.
    await page.getByLabel("Tìm bảng tính").fill(NEW_COMMUNE);
    await page.getByRole("button", { name: /^Đã đọc/ }).click();
    await expect
      .poll(() => page.locator(`tr:has(a[href*="admin-new-sheet"]) .sheet-status`).textContent())
      .toBe("Đã đọc");
    // The row says whom the sheet must be shared with: the service account that reads it.
    const account = page.locator(`tr:has(a[href*="admin-new-sheet"]) .sheet-account`);
    expect(await account.textContent()).toMatch(
      /chia sẻ \(Người xem\) cho \S+@local-standin\.iam\.gserviceaccount\.com/,
    );
    await page.screenshot({ path: await screenshotPath("phone-admin-sheets.png"), fullPage: false });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: await screenshotPath("projector-admin-sheets.png"), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("says a wrong link next to the field, and registers nothing", async () => {
    const count = (await api<Sources>(url, "/api/sources?unit=99")).sources.length;
    await register("https://example.com/bao-cao.xlsx", UNSHARED_COMMUNE);
    await expect.poll(() => page.locator("#sheet-error").textContent()).toContain("không phải của Google Trang tính");
    expect(await page.getByLabel("Đường dẫn bảng tính").getAttribute("aria-invalid")).toBe("true");
    expect((await api<Sources>(url, "/api/sources?unit=99")).sources.length).toBe(count);
  });

  it("refuses a sheet that is not shared, saying beside the link with whom to share it, and saves nothing", async () => {
    const count = (await api<Sources>(url, "/api/sources?unit=99")).sources.length;
    await register("https://docs.google.com/spreadsheets/d/admin-unshared/edit", UNSHARED_COMMUNE);
    await expect
      .poll(() => page.locator("#sheet-error").textContent(), { timeout: 15_000 })
      .toMatch(/^Chưa đăng ký: .*chưa được chia sẻ .* bấm “Chia sẻ”, thêm .*@.* với quyền “Người xem”/);
    expect(await page.getByLabel("Đường dẫn bảng tính").getAttribute("aria-invalid")).toBe("true");
    expect((await api<Sources>(url, "/api/sources?unit=99")).sources.length).toBe(count);
  });

  async function openTask(name: string) {
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByRole("link", { name, exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
  }

  it("shows a sources file's errors at the lines a person sees, and saves nothing", async () => {
    const count = (await api<Sources>(url, "/api/sources?unit=VN")).sources.length;
    const csv = `unit_code,sheet,tab,layout\n\n${NEW_COMMUNE},admin-new-sheet,,form\n\n12345,admin-x,,form\n`;
    await page.getByLabel("Tệp danh sách bảng tính").setInputFiles({
      name: "sources.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    const problems = page.locator(".import-problems");
    await expect.poll(() => problems.textContent()).toContain("Tệp sources.csv có 1 lỗi, chưa nhập gì");
    expect(await problems.locator("li").allTextContents()).toEqual([
      expect.stringMatching(/^Dòng 5: Mã đơn vị 12345 không có trong danh sách đơn vị/),
    ]);
    expect(await page.getByRole("button", { name: "Nhập tệp" }).count()).toBe(0);
    expect((await api<Sources>(url, "/api/sources?unit=VN")).sources.length).toBe(count);
    await problems.screenshot({ path: await screenshotPath("phone-admin-import-errors.png") });
  });

  it("adds a user with a role and a scope, then disables them", async () => {
    await openTask("Người dùng");
    await page.getByLabel("Email").fill("lanhdao.moi@example.gov.vn");
    await page.getByLabel("Vai trò").selectOption({ label: "Lãnh đạo" });
    await page.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Tỉnh Minh Sơn (dữ liệu mẫu)" });
    await page.getByRole("button", { name: "Thêm người dùng" }).click();
    await page.locator('tr[data-user="lanhdao.moi@example.gov.vn"]').waitFor();
    const listed = async () =>
      (await api<{ users: User[] }>(url, "/api/admin/users")).users.find(
        (u) => u.email === "lanhdao.moi@example.gov.vn",
      );
    expect(await listed()).toMatchObject({ role: "leader", scopeUnitCode: "99", disabledAt: null });

    await page.getByRole("button", { name: "Khoá lanhdao.moi@example.gov.vn" }).click();
    await expect.poll(async () => (await listed())!.disabledAt).not.toBeNull();
    await expect
      .poll(() => page.locator('tr[data-user="lanhdao.moi@example.gov.vn"]').textContent())
      .toContain("Đã khoá lúc");
    await page.screenshot({ path: await screenshotPath("phone-admin-users.png"), fullPage: true });
  });

  it("refuses a commune user without a commune, beside the field", async () => {
    await page.getByLabel("Email").fill("canbo@example.gov.vn");
    await page.getByLabel("Vai trò").selectOption({ label: "Cán bộ xã" });
    await page.getByRole("button", { name: "Thêm người dùng" }).click();
    await expect.poll(() => page.locator("#scopeUnitCode-error").textContent()).toContain("Chọn xã");
    const { users } = await api<{ users: User[] }>(url, "/api/admin/users");
    expect(users.some((u) => u.email === "canbo@example.gov.vn")).toBe(false);
  });

  it("creates a token whose secret shows once and works, gone after a reload, then revokes it", async () => {
    await openTask("Mã truy cập");
    await page.getByLabel("Tên mã").fill("Tập lệnh báo cáo tỉnh");
    await page.getByLabel("Vai trò").selectOption({ label: "Lãnh đạo" });
    await page.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Toàn quốc" });
    await page.getByRole("button", { name: "Tạo mã" }).click();
    const secretField = page.getByLabel("Mã bí mật");
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const asToken = () => fetch(`${url}/api/meta`, { headers: { authorization: `Bearer ${secret}` } });
    const { principal } = (await (await asToken()).json()) as { principal: { role: string; via: string } };
    expect(principal).toMatchObject({ role: "leader", via: "token" });
    const row = page.locator("tr", { hasText: "Tập lệnh báo cáo tỉnh" });
    await expect.poll(() => row.textContent()).toMatch(/Lãnh đạo.*Toàn quốc.*\d{2}\/\d{2}\/\d{4} 23:59.*Đang dùng/);

    await page.reload();
    await row.waitFor();
    expect(await page.getByLabel("Mã bí mật").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("button", { name: "Thu hồi mã Tập lệnh báo cáo tỉnh" }).click();
    await expect.poll(() => row.textContent()).toContain("Đã thu hồi");
    expect((await asToken()).status).toBe(401);
    await page.screenshot({ path: await screenshotPath("phone-admin-tokens.png"), fullPage: true });
  });

  it("creates a conference in Vietnam time, says when its syncs run, and freezes it", async () => {
    await openTask("Hội nghị");
    await page.getByLabel("Tên hội nghị").fill("Sơ kết phong trào (thử)");
    await page.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Tỉnh Minh Sơn (dữ liệu mẫu)" });
    await page.getByLabel("Bắt đầu").fill("15/01/2030 08:30");
    await page.getByRole("button", { name: "Tạo hội nghị" }).click();
    const item = page.locator(".conference-list li", { hasText: "Sơ kết phong trào (thử)" });
    await expect.poll(() => item.textContent()).toContain("bắt đầu 15/01/2030 08:30");
    expect(await item.textContent()).toContain("15 phút một lần từ 12/01/2030 08:30 đến 15/01/2030 08:30");
    const created = (await api<Conferences>(url, "/api/conferences?unit=VN")).conferences.find(
      (c) => c.title === "Sơ kết phong trào (thử)",
    );
    expect(created).toMatchObject({
      unitCode: "99",
      startsAt: "2030-01-15T01:30:00.000Z",
      windowHours: 72,
      frozenAt: null,
    });

    // Asked once, naming what is frozen; “Thôi” freezes nothing.
    await item.getByRole("button", { name: /Chốt số liệu ngay/ }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toMatch(
      /Chốt số liệu hội nghị “Sơ kết phong trào \(thử\)”.*Tỉnh Minh Sơn \(dữ liệu mẫu\), Năm \d{4}/,
    );
    await dialog.getByRole("button", { name: "Thôi" }).click();
    await dialog.waitFor({ state: "detached" });
    const asked = (await api<Conferences>(url, "/api/conferences?unit=VN")).conferences.find(
      (c) => c.id === created!.id,
    );
    expect(asked!.frozenAt).toBeNull();
    await item.getByRole("button", { name: /Chốt số liệu ngay/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Chốt số liệu" }).click();
    await expect.poll(() => item.textContent()).toContain("Số liệu đã chốt lúc");
    const after = (await api<Conferences>(url, "/api/conferences?unit=VN")).conferences.find(
      (c) => c.id === created!.id,
    );
    expect(after!.frozenAt).not.toBeNull();
    await page.screenshot({ path: await screenshotPath("phone-admin-conferences.png"), fullPage: true });
  });

  it("shows each period's deadline with its default, sets one and puts the default back", async () => {
    const period = (await api<Meta>(url, "/api/meta")).defaultPeriod;
    await openTask("Hạn báo cáo");
    const row = page.locator(`tr[data-period="${period}"]`);
    await row.waitFor();
    const field = row.getByLabel(/^Hạn báo cáo/);
    await field.fill("01/02/2027");
    await row.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(() => row.textContent()).toContain("Đã đặt: 01/02/2027 23:59");
    await row.getByRole("button", { name: "Dùng hạn mặc định" }).click();
    await expect.poll(() => row.textContent()).toContain("Đang dùng hạn mặc định");
    const { periods } = await api<{ periods: { code: string; deadline: string | null }[] }>(url, "/api/admin/periods");
    expect(periods.find((p) => p.code === period)!.deadline).toBeNull();
  });

  it("checks a catalog file line by line before saving, and shows the change in the log", async () => {
    await openTask("Danh mục");
    const before = (await api<Meta>(url, "/api/meta")).defaultPeriod;
    const catalog = await api<Summary>(url, `/api/summary?unit=99&period=${before}`);
    // The catalog in use, a blank line and a bad code after its last line (line 35): the bad one is line 37.
    const csv = `${(await readFile("catalog/indicators.csv", "utf8")).trimEnd()}\n\nBAD,luc_luong,Sai,tổ,count,sum,,,yes,,\n`;
    await page.getByLabel("Tệp danh mục chỉ tiêu").setInputFiles({
      name: "indicators.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    const problems = page.locator(".import-problems li");
    await expect
      .poll(() => problems.allTextContents())
      .toEqual([expect.stringMatching(/^Dòng 37: Mã chỉ tiêu “BAD” không hợp lệ/)]);
    const still = await api<Summary>(url, `/api/summary?unit=99&period=${before}`);
    expect(still.indicators.length).toBe(catalog.indicators.length);

    await openTask("Nhật ký");
    await expect
      .poll(() => page.locator("table.admin-audit tbody tr").first().textContent())
      .toMatch(/Trả hạn báo cáo kỳ năm \d{4} về hạn mặc định$/);
    const log = await page.locator("table.admin-audit").textContent();
    expect(log).toMatch(/Đặt hạn báo cáo kỳ năm \d{4}: 01\/02\/2027/);
    expect(log).toContain("Khoá người dùng lanhdao.moi@example.gov.vn");
  });
});
