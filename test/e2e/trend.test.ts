/**
 * A figure over the years as a leader sees it (PRODUCT.md §14), on the demo province, where six communes reported 2024
 * by quarter: the indicator page's chart (each year's value and communes, 2024 drawn as built from quarters, the years
 * without figures left as gaps), a sparkline beside each headline figure of the overview, and the period picker
 * offering the built periods and the phase — whose overview, report and conference mode open.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, expectedFigure, type Meta, screenshotPath } from "./helpers";

type Point = { period: string; value: number | null; reporting: number; approximate: boolean; built: boolean };
type Trend = { points: Point[] };
type Headline = { code: string; headline: number | null; value: number | null };

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };

describe("a figure over the years", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;
  const trend = (indicator: string) =>
    api<Trend>(url, `/api/trend?unit=${meta.defaultUnit}&indicator=${indicator}&to=2025`);

  beforeAll(async () => {
    browser = await launchBrowser();
    meta = await api<Meta>(url, "/api/meta");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws the indicator's five years: each value above its point, its communes under it, 2024 built, gaps before", async () => {
    const { points } = await trend("security_team_count");
    expect(points.map((p) => p.period)).toEqual(["2021", "2022", "2023", "2024", "2025"]);
    const [y2024, y2025] = points.slice(3);
    // The demo's communes that reported 2024's quarters have their year built from them (teams: the fourth quarter's).
    expect(y2024?.built).toBe(true);
    expect(y2025?.built).toBe(false);
    expect(points.slice(0, 3).every((p) => p.value === null)).toBe(true);

    for (const [viewport, name] of [
      [PHONE, "phone-indicator-trend.png"],
      [PROJECTOR, "projector-indicator-trend.png"],
    ] as const) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${url}/?view=indicator&indicator=security_team_count`);
      const chart = page.locator(".trend-chart");
      await chart.waitFor();
      const drawn = chart.locator(".trend-point");
      expect(await drawn.count()).toBe(5);
      for (const [i, p] of points.entries()) {
        const g = drawn.nth(i);
        expect(await g.locator(".trend-year").textContent()).toBe(p.period);
        expect(await g.locator(".trend-communes").textContent()).toBe(`${p.reporting} xã`);
        if (p.value === null) {
          // A year without a figure is a gap: no point, said as such, never drawn at 0.
          expect(await g.getAttribute("class")).toContain("gap");
          expect(await g.locator("circle").count()).toBe(0);
          expect(await g.locator(".trend-value").textContent()).toBe("chưa có");
        } else {
          expect(await g.locator(".trend-value").textContent()).toBe(expectedFigure(p.value, "count", p.approximate));
          expect(await g.locator("circle").count()).toBe(1);
          expect((await g.getAttribute("class"))?.includes("built")).toBe(p.built);
        }
      }
      expect(Number(y2025?.reporting)).toBeGreaterThan(100);
      // The built point is hollow, and the legend says what that means.
      const fill = await page.evaluate(
        `getComputedStyle(document.querySelectorAll(".trend-point")[3].querySelector("circle")).fill`,
      );
      expect(fill).toBe("rgb(255, 255, 255)");
      expect(await page.locator(".trend-legend").textContent()).toContain("tính từ số liệu các quý/tháng");
      // The picture reads its points to a screen reader; the same points are a table one tap away.
      expect(await chart.getAttribute("aria-label")).toContain("Năm 2024");
      const cells = await page.locator(".trend-table tbody tr").nth(3).locator("td").allTextContents();
      expect(cells).toEqual([
        expectedFigure(y2024?.value ?? null, "count"),
        String(y2024?.reporting),
        "tính từ số liệu các quý/tháng",
      ]);
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: await screenshotPath(name) });
      await page.close();
    }
  });

  it("puts a sparkline of its last five years beside each headline figure, the last year stressed", async () => {
    const summary = await api<{ indicators: Headline[] }>(
      url,
      `/api/summary?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`,
    );
    const headlines = summary.indicators.filter((i) => i.headline !== null);
    expect(headlines.length).toBeGreaterThan(3);
    for (const [viewport, name] of [
      [PHONE, "phone-overview-sparklines.png"],
      [PROJECTOR, "projector-overview-sparklines.png"],
    ] as const) {
      const page = await browser.newPage({ viewport });
      await page.goto(url);
      await page.locator(".headlines .figure").first().waitFor();
      for (const h of headlines) {
        const spark = page.locator(`.headlines [data-indicator="${h.code}"] svg.spark`);
        await expect.poll(() => spark.getAttribute("data-points"), { timeout: 15_000 }).not.toBeNull();
        const values = (await trend(h.code)).points.map((p) => (p.value === null ? "" : String(p.value)));
        expect(await spark.getAttribute("data-points")).toBe(values.join(","));
        if (h.value !== null) expect(await spark.locator("circle.spark-last").count()).toBe(1);
      }
      await page.screenshot({ path: await screenshotPath(name) });
      await page.close();
    }
  });

  it("puts the sparklines on one commune's headline figures too, its quarterly 2024 among the years", async () => {
    // The demo's ninth commune reported 2024 by quarter.
    const commune = "99025";
    const { points } = await api<Trend>(url, `/api/trend?unit=${commune}&indicator=security_team_count&to=2025`);
    expect(points.slice(3).map((p) => [p.reporting, p.built])).toEqual([
      [1, true],
      [1, false],
    ]);
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`${url}/?unit=${commune}`);
    const spark = page.locator('.headlines [data-indicator="security_team_count"] svg.spark');
    await expect
      .poll(() => spark.getAttribute("data-points"), { timeout: 15_000 })
      .toBe(points.map((p) => (p.value === null ? "" : String(p.value))).join(","));
    const figures = await page.locator(".headlines .figure").count();
    await expect.poll(() => page.locator(".headlines svg.spark[data-points]").count()).toBe(figures);
    await page.screenshot({ path: await screenshotPath("phone-commune-overview-sparklines.png") });
    await page.close();
  });

  it("offers the built periods and the phase in the picker; the phase's overview, report and conference mode open", async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(url);
    const picker = page.getByLabel("Kỳ báo cáo");
    await picker.waitFor();
    const options = await picker.locator("option").allTextContents();
    expect(options).toContain("9 tháng đầu năm 2024");
    expect(options).toContain("6 tháng đầu năm 2024");
    expect(options[0]).toBe("Giai đoạn 2021–2025");
    await expectOpens(page, "2024-9M", "9 tháng đầu năm 2024");
    await expectOpens(page, "2021-2025", "Giai đoạn 2021–2025");
    await page.close();
  });

  /** The overview, the printable report and conference mode for `period`, each naming it and showing no error. */
  async function expectOpens(page: Page, period: string, label: string) {
    await page.getByLabel("Kỳ báo cáo").selectOption(period);
    await expect.poll(() => page.locator("h1").textContent(), { timeout: 15_000 }).toContain(label);
    await page.locator(".headlines .figure").first().waitFor();
    for (const view of ["report", "conference"]) {
      await page.goto(`${url}/?view=${view}&period=${period}`);
      await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain(label);
      await page.waitForLoadState("networkidle");
      expect(await page.locator(".error, [role=alert]").count()).toBe(0);
      await page.screenshot({ path: await screenshotPath(`phone-${view}-${period}.png`) });
    }
    await page.goto(`${url}/?period=${period}`);
  }
});
