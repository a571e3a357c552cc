/**
 * A provincial office's first week with the administrators' pages, on a phone, in an English-language browser: the
 * communes still without a sheet; a registration refused beside the link or asked to be confirmed; a sheet stopped
 * after one question and read again; the sheets searched and paged; dates typed and shown as dd/mm/yyyy; a unit that
 * must be chosen; the log in words; a sync that names what it read, left unchanged and failed.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Meta, screenshotPath } from "./helpers";

type Source = {
  id: number;
  unitCode: string;
  unitName: string | null;
  url: string;
  spreadsheetId: string;
  layout: string;
  active: boolean;
  title: string | null;
  lastStatus: string | null;
  lastError: string | null;
  lastRunId: number | null;
};
type Sources = { sources: Source[] };
type Run = {
  id: number;
  trigger: string;
  status: string;
  sourcesRead: number;
  sourcesSkipped: number;
  sourcesFailed: number;
};
type Period = { code: string; deadline: string | null; defaultDeadline: string };
type Token = { name: string; scopeUnitCode: string | null; expiresAt: string | null };
type User = { email: string; scopeUnitCode: string | null };

/** The demo commune 121 has no sheet (demo/generate.mjs); the other admin tests only ever fail to register one. */
const COMMUNE = "99364";
const NAMED_SHEET = "week-named";

/** “15/01/2026” and “15/01/2026 08:30” as Vietnam reads a moment, whatever this machine's zone. */
const vietnam = (at: string | number) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.day}/${p.month}/${p.year}`, dateTime: `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` };
};
const withoutAccents = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d");

describe("the administrators' first week", () => {
  let browser: Browser;
  let page: Page;
  const url = inject("productUrl");
  const dir = inject("fixturesDir");
  const sourcesOf = async (unit: string) => (await api<Sources>(url, `/api/sources?unit=${unit}`)).sources;
  let communeName = "";
  /** A commune that has a sheet: the one the named sheet's title names. */
  let other: Source;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    const units = await api<{ units: { code: string; name: string }[] }>(url, "/api/admin/units?unit=99");
    communeName = units.units.find((u) => u.code === COMMUNE)?.name ?? "";
    const owned = (await sourcesOf("99")).find((s) => s.layout === "form" && s.lastStatus === "ok" && s.unitName);
    if (!owned) throw new Error("the demo has no readable form sheet");
    other = owned;
    const title = `Biểu số liệu ANTQ - ${other.unitName} (bản sao)`;
    await writeFile(
      join(dir, `${NAMED_SHEET}.json`),
      JSON.stringify({
        properties: { title, locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
        version: "1",
        access: "ok",
        sheets: [
          {
            properties: { sheetId: 0, title: "Năm 2025" },
            values: [
              [`UBND ${other.unitName?.toUpperCase()}`],
              [],
              ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Năm 2025"],
              [1, "Số tổ hòa giải", "mediation_team_count", "tổ", 4],
            ],
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openAdmin(task: string) {
    await page.goto(`${url}/?view=admin&task=${task}`);
    await page.locator("#admin-title").waitFor();
  }

  async function register(link: string) {
    await page.getByLabel("Kiểu biểu").selectOption("form");
    await page.getByLabel("Đường dẫn bảng tính").fill(link);
    const unit = page.getByLabel("Đơn vị", { exact: true });
    await unit.locator(`option[value="${COMMUNE}"]`).waitFor({ state: "attached" });
    await unit.selectOption(COMMUNE);
    await page.getByRole("button", { name: "Đăng ký bảng tính" }).click();
  }

  it("lists on the data-quality page the communes no sheet reads, under their own heading, and says “xã”", async () => {
    const { communes } = await api<{ communes: { code: string; name: string }[] }>(url, "/api/sources/missing?unit=99");
    expect(communes.map((c) => c.code)).toContain(COMMUNE);
    await page.goto(`${url}/?view=quality`);
    await page.getByRole("heading", { name: "Xã chưa có bảng tính" }).waitFor();
    const list = page.locator(".communes-without-sheet li");
    await expect
      .poll(() => list.allTextContents())
      .toEqual(communes.map((c) => c.name).sort((a, b) => a.localeCompare(b, "vi")));
    expect(await page.locator("section").textContent()).toContain(
      `${communes.length} xã chưa có bảng tính nào được đọc`,
    );
    await expect.poll(() => page.locator("p.meta").textContent()).toMatch(/\d+ xã$/);
    expect(await page.locator("p.meta").textContent()).not.toContain("đơn vị");
    await page.getByRole("heading", { name: "Xã chưa có bảng tính" }).evaluate((h) => h.scrollIntoView());
    await page.screenshot({ path: await screenshotPath("phone-quality-without-sheet.png") });
  });

  it("refuses another commune's sheet beside the link, naming the commune it belongs to, and saves nothing", async () => {
    await openAdmin("sheets");
    const before = (await sourcesOf("99")).length;
    await register(other.url);
    await expect
      .poll(() => page.locator("#sheet-error").textContent(), { timeout: 15_000 })
      .toContain(`Bảng tính này đã được đăng ký cho ${other.unitName} (mã ${other.unitCode})`);
    expect((await sourcesOf("99")).length).toBe(before);
  });

  it("asks to confirm a sheet whose title names another commune, and registers it on “Vẫn đăng ký”", async () => {
    const before = (await sourcesOf(COMMUNE)).length;
    await register(`https://docs.google.com/spreadsheets/d/${NAMED_SHEET}/edit#gid=0`);
    const question = page.locator(".confirm-needed");
    await expect.poll(() => question.textContent(), { timeout: 15_000 }).toContain(`ghi tên ${other.unitName}`);
    expect(await question.textContent()).toContain(`không phải ${communeName}`);
    expect(await page.getByRole("button", { name: "Đăng ký bảng tính" }).count()).toBe(0);
    expect((await sourcesOf(COMMUNE)).length).toBe(before);
    await page
      .locator(".admin-form")
      .first()
      .screenshot({ path: await screenshotPath("phone-admin-register-confirm.png") });

    await question.getByRole("button", { name: "Vẫn đăng ký" }).click();
    await expect
      .poll(() => page.locator('p[role="status"].notice').textContent(), { timeout: 15_000 })
      .toContain(`${communeName}: đã đọc bảng tính “Biểu số liệu ANTQ - ${other.unitName} (bản sao)”`);
    expect(await sourcesOf(COMMUNE)).toEqual([
      expect.objectContaining({ spreadsheetId: NAMED_SHEET, active: true, lastStatus: "ok" }),
    ]);
  });

  it("asks once before it stops reading a sheet, naming it and its commune; “Đọc lại” reads a stopped one again", async () => {
    await page.getByLabel("Tìm bảng tính").fill(COMMUNE);
    const row = page.locator(`tr:has(a[href*="${NAMED_SHEET}"])`);
    await row.waitFor();
    await row.getByRole("button", { name: /^Ngừng đọc/ }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain(
      `Ngừng đọc bảng tính “Biểu số liệu ANTQ - ${other.unitName} (bản sao)” của ${communeName}?`,
    );
    await dialog.screenshot({ path: await screenshotPath("phone-admin-stop-confirm.png") });
    await dialog.getByRole("button", { name: "Thôi" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await sourcesOf(COMMUNE))[0]?.active).toBe(true);

    await row.getByRole("button", { name: /^Ngừng đọc/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ngừng đọc" }).click();
    await expect.poll(async () => (await sourcesOf(COMMUNE))[0]?.active).toBe(false);
    await expect.poll(() => row.textContent()).toContain("Đã ngừng đọc");

    await row.getByRole("button", { name: /^Đọc lại/ }).click();
    await expect.poll(async () => (await sourcesOf(COMMUNE))[0]?.active, { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.locator('p[role="status"].notice').textContent())
      .toContain("Từ nay bảng tính lại được đọc ở mỗi lần đồng bộ");
    await expect.poll(() => row.textContent()).not.toContain("Đã ngừng đọc");
  });

  it("finds a sheet by commune name typed without accents, by code or by title, fifty to a page, the file import above the list", async () => {
    const all = await sourcesOf("99");
    expect(all.length).toBeGreaterThan(100);
    const search = page.getByLabel("Tìm bảng tính");
    await search.fill("");
    const rows = page.locator("table.admin-sheets tbody tr");
    await expect.poll(() => rows.count()).toBe(50);
    const pager = page.getByRole("navigation", { name: "Các trang bảng tính" });
    expect(await pager.textContent()).toContain(`1–50 trong ${all.length} bảng tính`);
    const importBox = await page.getByLabel("Tệp danh sách bảng tính").boundingBox();
    const listBox = await rows.first().boundingBox();
    expect(importBox!.y).toBeLessThan(listBox!.y);
    await pager.getByRole("button", { name: "Trang sau" }).click();
    await expect.poll(() => pager.textContent()).toContain(`51–100 trong ${all.length} bảng tính`);
    expect(await rows.first().textContent()).toContain(all[50]!.unitName!);

    await search.fill(withoutAccents(other.unitName!).toLowerCase());
    await expect
      .poll(() => rows.allTextContents())
      .toEqual([expect.stringContaining(other.unitName!), expect.stringContaining(`${other.unitName} (bản sao)`)]);
    await search.fill(other.unitCode);
    await expect.poll(() => rows.count()).toBe(1);
    await search.fill("(bản sao)");
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(communeName)]);
    await page.screenshot({ path: await screenshotPath("phone-admin-sheets-search.png") });
  });

  it("shows and takes a deadline as dd/mm/yyyy in an English-language browser, and says a month-first date is wrong", async () => {
    const period = (await api<Meta>(url, "/api/meta")).defaultPeriod;
    const deadlineOf = async () =>
      (await api<{ periods: Period[] }>(url, "/api/admin/periods")).periods.find((p) => p.code === period);
    const start = await deadlineOf();
    await openAdmin("deadlines");
    const row = page.locator(`tr[data-period="${period}"]`);
    const field = row.getByLabel(/^Hạn báo cáo/);
    await expect.poll(() => field.inputValue()).toBe(vietnam(start!.deadline ?? start!.defaultDeadline).date);

    await field.fill("01/15/2026");
    await row.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(() => row.locator(".field-error").textContent()).toContain("Không có tháng 15");
    expect((await deadlineOf())!.deadline).toBe(start!.deadline);
    await row.screenshot({ path: await screenshotPath("phone-admin-deadline-error.png") });

    await field.fill("15/1/2026");
    await row.getByRole("button", { name: "Lưu" }).click();
    await expect.poll(async () => (await deadlineOf())!.deadline).toBe("2026-01-15T16:59:59.999Z");
    await expect.poll(() => row.textContent()).toContain("Đã đặt: 15/01/2026 23:59");
    await row.getByRole("button", { name: "Dùng hạn mặc định" }).click();
    await expect.poll(async () => (await deadlineOf())!.deadline).toBeNull();
  });

  it("makes a token's unit a choice, and takes its expiry as dd/mm/yyyy with a Vietnamese message for a date that does not exist", async () => {
    const tokens = async () => (await api<{ tokens: Token[] }>(url, "/api/admin/tokens")).tokens;
    await openAdmin("tokens");
    const expiry = page.getByLabel("Hết hạn ngày");
    expect(await expiry.inputValue()).toBe(vietnam(Date.now() + 90 * 86400_000).date);
    await page.getByLabel("Tên mã").fill("Báo cáo tuần của tỉnh");
    await page.getByLabel("Vai trò").selectOption({ label: "Lãnh đạo" });
    expect(await page.getByLabel("Đơn vị", { exact: true }).inputValue()).toBe("");
    await page.getByRole("button", { name: "Tạo mã" }).click();
    await expect.poll(() => page.locator("#scopeUnitCode-error").textContent()).toContain("hoặc “Toàn quốc”");
    expect((await tokens()).some((t) => t.name === "Báo cáo tuần của tỉnh")).toBe(false);

    await page.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Tỉnh Minh Sơn (dữ liệu mẫu)" });
    await expiry.fill("31/02/2027");
    await page.getByRole("button", { name: "Tạo mã" }).click();
    await expect.poll(() => page.locator("#expiresAt-error").textContent()).toContain("không có ngày 31");
    await expiry.fill("1/3/2027");
    await expiry.blur();
    expect(await expiry.inputValue()).toBe("01/03/2027");
    await page.getByRole("button", { name: "Tạo mã" }).click();
    await page.getByLabel("Mã bí mật").waitFor();
    expect((await tokens()).find((t) => t.name === "Báo cáo tuần của tỉnh")).toMatchObject({
      scopeUnitCode: "99",
      expiresAt: "2027-03-01T16:59:59.999Z",
    });
    await expect
      .poll(() => page.locator("tr", { hasText: "Báo cáo tuần của tỉnh" }).textContent())
      .toContain("01/03/2027 23:59");
  });

  it("adds a user with national scope only when “Toàn quốc” is chosen", async () => {
    const email = "vanphong.tinh@example.gov.vn";
    const user = async () =>
      (await api<{ users: User[] }>(url, "/api/admin/users")).users.find((u) => u.email === email);
    await openAdmin("users");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Vai trò").selectOption({ label: "Lãnh đạo" });
    await page.getByRole("button", { name: "Thêm người dùng" }).click();
    await expect.poll(() => page.locator("#scopeUnitCode-error").textContent()).toContain("Chọn tỉnh");
    expect(await user()).toBeUndefined();
    await page.locator(".admin-form").screenshot({ path: await screenshotPath("phone-admin-user-unit.png") });

    await page.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Toàn quốc" });
    await page.getByRole("button", { name: "Thêm người dùng" }).click();
    await expect.poll(user).toMatchObject({ scopeUnitCode: null });
    await expect.poll(() => page.locator(`tr[data-user="${email}"]`).textContent()).toContain("Toàn quốc");
  });

  it("tells the log in words: communes and sheets by name, Vietnam time, what changed — never JSON nor ids", async () => {
    const { entries } = await api<{ entries: { at: string; action: string }[] }>(url, "/api/admin/audit?limit=50");
    await openAdmin("audit");
    const table = page.locator("table.admin-audit");
    const title = `Biểu số liệu ANTQ - ${other.unitName} (bản sao)`;
    await expect
      .poll(() => table.textContent())
      .toContain(`Đăng ký bảng tính “${title}” cho ${communeName} (đã xác nhận dù bảng tính ghi tên xã khác)`);
    const text = (await table.textContent()) ?? "";
    expect(text).toContain(`Ngừng đọc bảng tính “${title}” của ${communeName}`);
    expect(text).toContain(`Đọc lại bảng tính “${title}” của ${communeName} đã ngừng đọc`);
    expect(text).toMatch(/Đặt hạn báo cáo kỳ năm \d{4}: 15\/01\/2026/);
    expect(text).toContain(
      "Tạo mã truy cập “Báo cáo tuần của tỉnh”: Lãnh đạo, Tỉnh Minh Sơn (dữ liệu mẫu), hết hạn 01/03/2027",
    );
    expect(text).toContain("Lưu quyền của vanphong.tinh@example.gov.vn: Lãnh đạo, Toàn quốc");
    for (const leak of ["{", "spreadsheetId", NAMED_SHEET, "scopeUnitCode", "sources.register"])
      expect(text).not.toContain(leak);
    const times = await table.locator('tbody td[data-label="Thời điểm"]').allTextContents();
    expect(times.slice(0, 5)).toEqual(entries.slice(0, 5).map((e) => vietnam(e.at).dateTime));
    await page.screenshot({ path: await screenshotPath("phone-admin-audit.png"), fullPage: false });
  });

  it("names what each run read, left unchanged and failed on a phone, which sheets failed, never in green, and one-sheet reads apart", async () => {
    await page.goto(`${url}/?view=sync`);
    await page.locator("tr.run").first().waitFor();
    await page.getByRole("button", { name: "Đồng bộ ngay" }).click();
    const outcome = page.locator(".sync-outcome");
    await outcome.waitFor({ timeout: 60_000 });
    const { runs } = await api<{ runs: Run[] }>(url, "/api/sync/runs");
    const run = runs[0]!;
    expect(run).toMatchObject({ trigger: "manual", status: "partial" });
    const failed = (await sourcesOf("99")).filter((s) => s.lastRunId === run.id && s.lastStatus === "error");
    expect(failed.length).toBe(run.sourcesFailed);
    expect(await outcome.getAttribute("role")).toBe("alert");
    expect(await page.locator(".notice").count()).toBe(0);
    const counts = `Đã đọc ${run.sourcesRead} · Không đổi ${run.sourcesSkipped} · Lỗi ${run.sourcesFailed}`;
    expect(await outcome.textContent()).toContain(
      `Đồng bộ xong nhưng có ${run.sourcesFailed} bảng tính lỗi: ${counts}`,
    );
    for (const s of failed) {
      await expect.poll(() => outcome.textContent()).toContain(`${s.unitName}: ${s.lastError}`);
    }

    const first = page.locator("tr.run").first();
    const cell = first.locator('td[data-label="Bảng tính"]');
    await expect.poll(() => cell.textContent()).toBe(counts);
    expect(await cell.isVisible()).toBe(true);
    expect(await first.locator('td[data-label="Kết quả"]').textContent()).toContain(failed[0]!.unitName!);
    // The registration and “Đọc lại” above were one sheet each, not syncs by hand.
    const oneSheet = page.locator("tr.run", { hasText: "Đọc một bảng tính" }).first();
    expect(await oneSheet.locator('td[data-label="Cách chạy"]').textContent()).toBe(
      `Đọc một bảng tính — ${communeName}`,
    );
    expect(runs.filter((r) => r.trigger === "sheet").length).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: await screenshotPath("phone-sync.png"), fullPage: false });
  });
});
