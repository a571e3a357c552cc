/**
 * Live and frozen: an open dashboard picks up a sync without a reload (revalidating with ETags: unchanged answers
 * are 304s), while the conference view keeps showing the figures frozen before that sync, with its freeze time.
 */
import { writeFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import {
  api,
  type Conference,
  expectedFigure,
  type FixtureSheet,
  type Meta,
  postApi,
  readableSheets,
  type Summary,
  screenshotPath,
  syncAndWait,
} from "./helpers";

const INDICATOR = "security_team_count";
const ADDED = 1000;

/** Adds to one sheet's 2025 security-team cell and bumps its version, as a clerk's edit would. */
async function raiseTeams(sheet: FixtureSheet): Promise<void> {
  const fixture = JSON.parse(sheet.original);
  const rows: unknown[][] = fixture.sheets[0].values;
  const header = rows.findIndex((r) => r.includes("Năm 2025"));
  const col = rows[header]!.indexOf("Năm 2025");
  const row = rows.find((r) => r.includes(INDICATOR))!;
  row[col] = Number(row[col]) + ADDED;
  fixture.version = String(Number(fixture.version) + 5000);
  fixture.modifiedTime = new Date().toISOString();
  await writeFile(sheet.path, JSON.stringify(fixture));
}

describe("conference mode and live figures", () => {
  let browser: Browser;
  let sheet: FixtureSheet;
  const url = inject("productUrl");

  beforeAll(async () => {
    browser = await launchBrowser();
    // A sheet with a plain numeric security-team cell, away from the ones other tests edit.
    const sheets = await readableSheets(inject("fixturesDir"));
    sheet = sheets.slice(10).find((s) => {
      const rows: unknown[][] = JSON.parse(s.original).sheets[0].values;
      const col = rows.find((r) => r.includes("Năm 2025"))?.indexOf("Năm 2025") ?? -1;
      return typeof rows.find((r) => r.includes(INDICATOR))?.[col] === "number";
    })!;
  });
  afterAll(async () => {
    await browser?.close();
    if (sheet) {
      await writeFile(sheet.path, sheet.original);
      await syncAndWait(url);
    }
  });

  it("shows the frozen figure after a later sync changed the live one, and the open overview updates without a reload", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = await api<Meta>(url, "/api/meta");
    const teams = async (query = "") =>
      (await api<Summary>(url, `/api/summary?unit=${unit}&period=${period}${query}`)).indicators.find(
        (i) => i.code === INDICATOR,
      )!;
    const before = await teams();
    expect(before.value).toBeGreaterThan(0);

    // An overview left open on a phone; it must answer its polls with 304 while nothing changes.
    const live = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const statuses: number[] = [];
    live.on("response", (r) => {
      if (r.url().includes("/api/summary")) statuses.push(r.status());
    });
    let navigations = 0;
    live.on("framenavigated", (f) => f === live.mainFrame() && navigations++);
    await live.goto(url);
    const figure = live.locator(`[data-indicator="${INDICATOR}"] .figure-value`);
    await expect.poll(() => figure.textContent(), { timeout: 15_000 }).toBe(expectedFigure(before.value, "count"));
    await expect.poll(() => statuses.includes(304), { timeout: 45_000, interval: 1000 }).toBe(true);

    const { conference } = await postApi<{ conference: Conference }>(url, "/api/admin/conferences", {
      unitCode: unit,
      period,
      comparePeriod: before.previous === null ? undefined : String(Number(period) - 1),
      title: "Hội nghị tổng kết phong trào (thử nghiệm)",
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const frozen = (await postApi<{ conference: Conference }>(url, `/api/admin/conferences/${conference.id}/freeze`))
      .conference;
    expect(frozen.frozenAt).toBeTruthy();

    await raiseTeams(sheet);
    const run = await syncAndWait(url);
    expect(["ok", "partial"]).toContain(run.status);
    const after = await teams();
    expect(after.value).toBe(before.value! + ADDED);
    const snap = await teams(`&conference=${conference.id}`);
    expect(snap.value).toBe(before.value);

    // Within a minute of the sync, without a reload.
    await expect
      .poll(() => figure.textContent(), { timeout: 65_000, interval: 1000 })
      .toBe(expectedFigure(after.value, "count"));
    expect(navigations).toBe(1);
    await live.close();

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${url}/?view=conference&conference=${conference.id}`);
    const spot = page.locator(".spotlight");
    await spot.waitFor();
    expect(await spot.getAttribute("data-indicator")).toBe(INDICATOR);
    expect(await spot.locator(".frozen-value").textContent()).toBe(expectedFigure(before.value, "count"));
    expect(await spot.locator(".live-value").textContent()).toBe(expectedFigure(after.value, "count"));
    // The comparison is like for like: over the communes that reported both years, said when not all did.
    if (before.comparable !== null) {
      const line = await spot.locator(".spot-compare").textContent();
      const c = before.comparable;
      expect(line).toContain(
        c.communes === before.reporting && c.communes === before.previousReporting
          ? `: ${expectedFigure(c.previous, "count")}`
          : `cùng ${c.communes} xã: ${expectedFigure(c.previous, "count")} → ${expectedFigure(c.value, "count")}`,
      );
    }
    const frozenAt = new Intl.DateTimeFormat("vi-VN", {
      timeZone: "Asia/Ho_Chi_Minh",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(frozen.frozenAt!));
    expect(await page.locator(".as-of").textContent()).toMatch(
      new RegExp(`^Số liệu chốt lúc \\d{2}/\\d{2}/\\d{4} ${frozenAt}$`),
    );
    expect(await page.locator("header.top").count()).toBe(0);
    await page.screenshot({ path: await screenshotPath("projector-conference.png") });

    // Stepping through the key figures with the keyboard.
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => spot.getAttribute("data-indicator")).not.toBe(INDICATOR);
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => spot.getAttribute("data-indicator")).toBe(INDICATOR);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: await screenshotPath("phone-conference.png") });
    await page.close();
  });
});
