/**
 * A province's administrator in the browser, signed in with an API token of its province: the administration pages
 * say its province, offer only its tasks, list only its province's users and sheets, and never offer national reach.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PROVINCE } from "../../demo/generate.mjs";
import { launchBrowser } from "./browser";
import { api, postApi, screenshotPath } from "./helpers";

type User = { email: string; scopeUnitCode: string | null };

const PEOPLE: [email: string, role: string, scope: string | null][] = [
  ["lanhdao.bo@example.gov.vn", "leader", null],
  ["lanhdao.tinh@example.gov.vn", "leader", DEMO_PROVINCE.code],
  ["quantri.tinh@example.gov.vn", "admin", DEMO_PROVINCE.code],
];

describe("a province's administrator", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tokenId = 0;
  const url = inject("productUrl");

  beforeAll(async () => {
    browser = await launchBrowser();
    for (const [email, role, scopeUnitCode] of PEOPLE)
      await api(url, "/api/admin/users", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role, scopeUnitCode }),
      });
    const made = await postApi<{ token: { id: number }; secret: string }>(url, "/api/admin/tokens", {
      name: "Quản trị tỉnh (kiểm thử)",
      role: "admin",
      scopeUnitCode: DEMO_PROVINCE.code,
    });
    tokenId = made.token.id;
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      extraHTTPHeaders: { authorization: `Bearer ${made.secret}` },
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await fetch(`${url}/api/admin/tokens/${tokenId}`, { method: "DELETE" });
    for (const [email] of PEOPLE)
      await fetch(`${url}/api/admin/users/${encodeURIComponent(email)}`, { method: "DELETE" });
  });

  it("sees its province's users only, and gives no national reach", async () => {
    await page.goto(`${url}/?view=admin&task=users`);
    const title = page.getByRole("heading", { level: 1 });
    await expect.poll(() => title.textContent(), { timeout: 15_000 }).toBe("Quản trị tỉnh Minh Sơn (dữ liệu mẫu)");
    const tabs = await page.getByRole("navigation", { name: "Các việc quản trị" }).getByRole("link").allTextContents();
    expect(tabs).toEqual(
      expect.arrayContaining(["Bảng tính", "Duyệt số liệu", "Người dùng", "Mã truy cập", "Hội nghị"]),
    );
    // The national tasks are not offered.
    for (const national of ["Hạn báo cáo", "Danh mục", "Nhật ký"]) expect(tabs).not.toContain(national);
    const rows = page.locator("table.admin-users tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const emails = await page.locator("table.admin-users tbody th").allTextContents();
    expect(emails).toContain("lanhdao.tinh@example.gov.vn");
    expect(emails).toContain("quantri.tinh@example.gov.vn");
    expect(emails).not.toContain("lanhdao.bo@example.gov.vn");
    // The national list has them all.
    const all = (await api<{ users: User[] }>(url, "/api/admin/users")).users.map((u) => u.email);
    expect(all).toContain("lanhdao.bo@example.gov.vn");

    await page.getByLabel("Vai trò").selectOption("admin");
    const scopes = page.getByLabel("Đơn vị", { exact: true }).locator("option");
    await expect.poll(() => scopes.allTextContents()).toEqual(["— Chọn tỉnh —", DEMO_PROVINCE.fullName]);
    await page.getByLabel("Vai trò").selectOption("leader");
    await page.screenshot({ path: await screenshotPath("phone-province-admin-users.png"), fullPage: true });
  });

  it("is made by a national administrator choosing its province for the role", async () => {
    const national = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await national.goto(`${url}/?view=admin&task=users`);
    await national.getByLabel("Vai trò").selectOption("admin");
    // The provinces arrive with the unit list, after the page's first paint.
    const options = national.getByLabel("Đơn vị", { exact: true }).locator("option");
    await expect
      .poll(() => options.allTextContents())
      .toEqual(["— Chọn tỉnh hoặc Toàn quốc —", "Toàn quốc", DEMO_PROVINCE.fullName]);
    await national.close();
  });

  it("sees its province's conferences", async () => {
    await page.goto(`${url}/?view=admin&task=conferences`);
    await page.getByRole("heading", { name: "Tạo hội nghị" }).waitFor({ timeout: 15_000 });
    await page.waitForLoadState("networkidle");
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    const units = await page.getByLabel("Đơn vị", { exact: true }).locator("option").allTextContents();
    expect(units).toContain(DEMO_PROVINCE.fullName);
  });

  it("sees its province's sheets", async () => {
    await page.goto(`${url}/?view=admin&task=sheets`);
    await expect.poll(() => page.locator("table tbody tr").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole("heading", { name: "Các bảng tính đã đăng ký" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath("phone-province-admin-sheets.png"), fullPage: false });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: await screenshotPath("projector-province-admin-sheets.png"), fullPage: false });
    await page.goto(`${url}/?view=admin&task=users`);
    await expect.poll(() => page.locator("table.admin-users tbody tr").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: await screenshotPath("projector-province-admin-users.png"), fullPage: false });
  });
});
