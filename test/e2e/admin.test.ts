/**
 * Administration in the browser, as a provincial office runs it: a sheet registered from its URL is read at once and
 * counted; a wrong link and a sheet nobody shared are said next to what to fix. Driven by the pages' labels.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, screenshotPath } from "./helpers";

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
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/`);
    await page.getByRole("link", { name: "Quản trị" }).click();
    await page.getByRole("button", { name: "Bảng tính", exact: true }).waitFor();
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
    const period = (await api(url, "/api/meta")).defaultPeriod;
    const before = await api(url, `/api/breakdown?unit=99&period=${period}&indicator=mediation_team_count`);
    expect(before.rows.find((r: any) => r.unit.code === NEW_COMMUNE).value).toBeNull();
    await register("https://docs.google.com/spreadsheets/d/admin-new-sheet/edit#gid=0", NEW_COMMUNE);
    await expect
      .poll(() => page.locator('p[role="status"]').textContent(), { timeout: 15_000 })
      .toContain("đã đọc bảng tính");
    const after = await api(url, `/api/breakdown?unit=99&period=${period}&indicator=mediation_team_count`);
    expect(after.rows.find((r: any) => r.unit.code === NEW_COMMUNE).value).toBe(7);
    await page.getByRole("button", { name: /^Đã đọc/ }).click();
    await expect
      .poll(() => page.locator(`tr:has(a[href*="admin-new-sheet"]) .sheet-status`).textContent())
      .toBe("Đã đọc");
    await page.screenshot({ path: await screenshotPath("phone-admin-sheets.png"), fullPage: false });
  });

  it("says a wrong link next to the field, and registers nothing", async () => {
    const count = (await api(url, "/api/sources?unit=99")).sources.length;
    await register("https://example.com/bao-cao.xlsx", UNSHARED_COMMUNE);
    await expect.poll(() => page.locator("#sheet-error").textContent()).toContain("không phải của Google Trang tính");
    expect(await page.getByLabel("Đường dẫn bảng tính").getAttribute("aria-invalid")).toBe("true");
    expect((await api(url, "/api/sources?unit=99")).sources.length).toBe(count);
  });

  it("says at once that a sheet is not shared, and with whom to share it", async () => {
    await register("https://docs.google.com/spreadsheets/d/admin-unshared/edit", UNSHARED_COMMUNE);
    const alert = page.locator("p.error[role=alert]");
    await expect
      .poll(() => alert.textContent(), { timeout: 15_000 })
      .toMatch(/chưa được chia sẻ .* bấm “Chia sẻ”, thêm .*@.* với quyền “Người xem”/);
    await page.getByRole("button", { name: /^Lỗi/ }).click();
    await expect.poll(() => page.locator("tr.error").count()).toBeGreaterThan(0);
  });
});
