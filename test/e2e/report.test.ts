/**
 * The printable report in headless Chromium on the demo province: printed, no page ends on a heading (a table's title
 * or a group of figures' title) whatever the print scale; on a phone nothing is clipped and nothing scrolls sideways.
 * The PDFs and screenshots are written to test/output/ for a person to look at.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, expectedFigure, type Meta, type Summary, screenshotPath } from "./helpers";

/** What these tests read of `GET /api/report`. */
type Report = {
  paragraphs: string[];
  tables: { title: string; sections: { title: string | null; rows: string[][] }[] }[];
};

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/** In the page: the report's cells (and table boxes) whose content is wider than they are, i.e. cut off or scrolled. */
const CLIPPED = `[...document.querySelectorAll(".report-table td, .report-table th, .table-wrap")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent)`;

/** The PDF's pages, each as its lines of text in reading order (poppler's layout mode keeps a table row on one line). */
function pdfPages(path: string): string[][] {
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"], { encoding: "utf8" });
  return text
    .split("\f")
    .map((page) => page.split("\n").map(norm).filter(Boolean))
    .filter((lines) => lines.length > 0);
}

describe("the printed report", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;
  let report: Report;

  beforeAll(async () => {
    browser = await launchBrowser();
    meta = await api<Meta>(url, "/api/meta");
    report = await api<Report>(url, `/api/report?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${url}/?view=report`);
    await page.locator(".report-table").first().waitFor();
    return page;
  }

  it("never ends a printed page on a heading: each table's and each group's title has its first row under it", async () => {
    const headings = report.tables.flatMap((t) => [t.title, ...t.sections.flatMap((s) => (s.title ? [s.title] : []))]);
    expect(headings.length).toBeGreaterThan(8);
    const page = await open(PROJECTOR);
    // Several print scales move the page breaks across the tables; without the print rules some of them leave a
    // group's title, or a table's, alone at the foot of a page.
    for (const scale of [0.8, 0.85, 0.9, 1, 1.05, 1.1, 1.2]) {
      const path = await screenshotPath(`report-scale-${scale}.pdf`);
      await writeFile(path, await page.pdf({ format: "A4", scale, printBackground: true }));
      const pages = pdfPages(path);
      expect(pages.length, `scale ${scale}`).toBeGreaterThan(1);
      const alone = pages.flatMap((lines, n) =>
        lines.flatMap((line, k) =>
          // A heading is followed on its page by a row of figures (every row has a number in it).
          headings.includes(line) && !lines.slice(k + 1).some((next) => /\d/.test(next))
            ? [`page ${n + 1}: ${line}`]
            : [],
        ),
      );
      expect(alone, `scale ${scale}`).toEqual([]);
      // Every heading is printed, so the check above has looked at each of them.
      const printed = pages.flat();
      for (const h of headings) expect(printed, h).toContain(h);
    }
    await page.close();
  });

  it("prints each rate as the speech says it, to one decimal", async () => {
    const summary = await api<{ indicators: (Summary["indicators"][number] & { label: string })[] }>(
      url,
      `/api/summary?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`,
    );
    const page = await open(PROJECTOR);
    const rates = summary.indicators.filter((i) => i.kind === "ratio" && i.value !== null);
    expect(rates.length).toBeGreaterThan(0);
    for (const i of rates) {
      const row = page
        .locator(".report-table tbody tr")
        .filter({ has: page.getByRole("rowheader", { name: i.label, exact: true }) });
      expect(await row.locator("td.num").first().textContent(), i.code).toBe(
        expectedFigure(i.value, i.kind, i.approximate),
      );
    }
    await page.close();
  });

  it("reads on a phone: no justified speech, no figure clipped, no sideways scroll", async () => {
    const page = await open(PHONE);
    await page.screenshot({ path: await screenshotPath("phone-report.png"), fullPage: true });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate("getComputedStyle(document.querySelector('.speech p')).textAlign")).not.toBe("justify");
    expect(await page.evaluate(CLIPPED)).toEqual([]);
    // A figure stands under its column's name, the table's heading row being out of sight.
    const first = page.locator(".report-table td.num").first();
    const column = await first.getAttribute("data-label");
    expect(column).toMatch(/^Năm \d{4}$/);
    expect(
      await page.evaluate(`getComputedStyle(document.querySelector(".report-table td.num"), "::before").content`),
    ).toBe(`"${column}"`);
    await page.close();
  });

  it("counts only the accepted communes when asked, saying who is left out", async () => {
    const page = await open(PHONE);
    await page.getByLabel("Chỉ tính số liệu đã được tỉnh duyệt").check();
    await page.getByText("(số liệu đã được tỉnh duyệt)").waitFor();
    const accepted = await api<Report & { title: string }>(
      url,
      `/api/report?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}&basis=accepted`,
    );
    const shown = (await page.locator(".speech p").allTextContents()).map(norm);
    expect(shown).toEqual(accepted.paragraphs.map(norm));
    expect(shown.join(" ")).toContain("Báo cáo chỉ tính số liệu đã được tỉnh duyệt");
    expect(await page.getAttribute("a[download]", "href")).toContain("basis=accepted");
    await page.screenshot({ path: await screenshotPath("phone-report-accepted.png"), fullPage: false });
    await page.close();
  });
});
