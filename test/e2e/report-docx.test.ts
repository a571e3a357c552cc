/**
 * The report as a Word document in the browser, on the demo province: “Tải bản Word (.docx)” downloads the speech
 * the report view shows; “Quản trị” → “Mẫu báo cáo” sets the letterhead the document then carries, refuses a
 * template naming its unknown placeholder, takes a good one and goes back to the standard form. Screenshots at
 * phone and projector size go to test/output/.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { para, paragraphsOf, wordFile, wordParts } from "../worker/word";
import { launchBrowser } from "./browser";
import { api, type Meta, screenshotPath } from "./helpers";

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };

describe("the report as a Word document", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;

  beforeAll(async () => {
    browser = await launchBrowser();
    meta = await api<Meta>(url, "/api/meta");
  });
  afterAll(async () => {
    await browser?.close();
  });
  /** The document the page's link downloads, as its paragraphs. */
  async function download(page: Page, name: string): Promise<string[]> {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải bản Word (.docx)" }).first().click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const path = await screenshotPath(name);
    await file.saveAs(path);
    return paragraphsOf(wordParts(await readFile(path))["word/document.xml"] ?? "");
  }

  it("downloads from the report view the speech it shows, at phone and projector size", async () => {
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["projector", PROJECTOR],
    ] as const) {
      const page = await browser.newPage({ viewport, acceptDownloads: true });
      await page.goto(`${url}/?view=report`);
      await page.locator(".speech p").first().waitFor();
      const shown = await page.locator(".speech p").allTextContents();
      await page.screenshot({ path: await screenshotPath(`report-docx-button-${size}.png`) });
      const text = await download(page, `report-docx-${size}.docx`);
      expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      for (const p of shown) expect(text).toContain(p);
      await page.close();
    }
  });

  it("offers the Word document in conference mode, for the unit and period on the screen", async () => {
    const page = await browser.newPage({ viewport: PROJECTOR, acceptDownloads: true });
    await page.goto(`${url}/?view=conference`);
    const link = page.getByRole("link", { name: "Tải bản Word (.docx)" });
    await link.waitFor();
    const href = new URL((await link.getAttribute("href")) ?? "", url);
    expect(href.pathname).toBe("/api/report.docx");
    expect(href.searchParams.get("unit")).toBe(meta.defaultUnit);
    expect(href.searchParams.get("period")).toBe(meta.defaultPeriod);
    await page.screenshot({ path: await screenshotPath("report-docx-conference-projector.png") });
    const text = await download(page, "report-docx-conference.docx");
    expect(text).toContain("BÁO CÁO");
    await page.close();
  });

  it("sets the letterhead and the province's template under “Quản trị”, refusing a bad template by name", async () => {
    const page = await browser.newPage({ viewport: PHONE, acceptDownloads: true });
    await page.goto(`${url}/?view=admin&task=report`);
    await page.getByRole("heading", { name: "Mẫu báo cáo Word" }).waitFor();
    await page.getByLabel("Cơ quan chủ quản").fill("Ủy ban nhân dân tỉnh Minh Sơn");
    await page.getByLabel("Cơ quan ban hành").fill("Công an tỉnh Minh Sơn");
    await page.getByLabel("Địa danh").fill("Minh Sơn");
    await page.getByLabel("Ký hiệu sau “BC-”").fill("CAT-PV05");
    await page.getByLabel("Quyền hạn ký").fill("KT. Giám đốc");
    await page.getByLabel("Chức vụ người ký").fill("Phó Giám đốc");
    await page.getByLabel("Họ và tên người ký").fill("Nguyễn Văn An");
    await page.getByLabel("Nơi nhận").fill("Bộ Công an (V05);\nUBND tỉnh;");
    await page.getByRole("button", { name: "Lưu thể thức" }).click();
    await page.getByText("Đã lưu. Bản Word của tỉnh từ nay in các thông tin này.").waitFor();
    await page.screenshot({ path: await screenshotPath("report-settings-phone.png"), fullPage: true });

    const doc = async (path: string) =>
      paragraphsOf(wordParts(await (await fetch(`${url}${path}`)).arrayBuffer())["word/document.xml"] ?? "");
    const standard = `/api/report.docx?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`;
    const filed = await doc(standard);
    expect(filed).toContain("CÔNG AN TỈNH MINH SƠN");
    expect(filed).toContain("Số: ……/BC-CAT-PV05");
    expect(filed.slice(filed.indexOf("Nơi nhận:") + 1, filed.indexOf("Nơi nhận:") + 4)).toEqual([
      "- Bộ Công an (V05);",
      "- UBND tỉnh;",
      "- Lưu: VT, CAT-PV05.",
    ]);

    const choose = (name: string, body: string) =>
      page.getByLabel("Tệp mẫu (.docx)").setInputFiles({
        name,
        mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        buffer: Buffer.from(wordFile(body)),
      });
    await choose("sai.docx", para("Toàn tỉnh có {so_to} tổ"));
    await page.getByRole("button", { name: "Tải mẫu lên" }).click();
    await page.getByRole("alert").filter({ hasText: "{so_to}" }).waitFor();
    await page.screenshot({ path: await screenshotPath("report-template-refused-phone.png"), fullPage: true });

    await choose("de-cuong.docx", para("{unit_name}: {security_team_count} tổ"));
    await page.getByRole("button", { name: "Tải mẫu lên" }).click();
    await page.getByText("Đã lưu mẫu “de-cuong.docx”").waitFor();
    await page.getByText("Đang dùng mẫu").waitFor();
    const summary = await api<{ unit: { name: string }; indicators: { code: string; value: number }[] }>(
      url,
      `/api/summary?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`,
    );
    const teams = summary.indicators.find((i) => i.code === "security_team_count")?.value ?? 0;
    expect(await doc(standard)).toEqual([`${summary.unit.name}: ${new Intl.NumberFormat("vi-VN").format(teams)} tổ`]);

    const projector = await browser.newPage({ viewport: PROJECTOR });
    await projector.goto(`${url}/?view=admin&task=report`);
    await projector.getByText("Đang dùng mẫu").waitFor();
    await projector.screenshot({ path: await screenshotPath("report-settings-projector.png"), fullPage: true });
    await projector.close();

    await page.getByRole("button", { name: "Bỏ mẫu riêng, dùng mẫu chuẩn" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Bỏ mẫu riêng" }).click();
    await page.getByText("Đã bỏ mẫu riêng").waitFor();
    expect(await doc(standard)).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    await page.close();
  });
});
