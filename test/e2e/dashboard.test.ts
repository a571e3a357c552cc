/**
 * The leaders' dashboard in headless Chromium on the demo province: figures equal to the API's, drill-down from an
 * indicator to one commune, communes that did not report, an issue with its cell, the printed report, and
 * phone and projector screenshots written to test/output/ for a person to look at.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Breakdown, expectedFigure, expectedFlag, type Meta, type Summary, screenshotPath } from "./helpers";

type Issue = {
  unitCode: string;
  unitName: string;
  severity: "error" | "warning" | "source_error";
  cell: string | null;
  raw: string | null;
  message: string;
};
type Runs = { runs: { id: number; trigger: string }[] };

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

describe("the leaders' dashboard", () => {
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

  async function open(path: string, viewport = PHONE): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(url + path);
    return page;
  }

  it("shows every key figure of the province exactly as the API gives it, with coverage and freshness", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const summary = await api<Summary>(url, `/api/summary?unit=${unit}&period=${period}`);
    const page = await open("/");
    await page.locator(".figure-value").first().waitFor();
    expect(summary.indicators.length).toBeGreaterThan(20);
    for (const i of summary.indicators) {
      const shown = await page.locator(`[data-indicator="${i.code}"] .figure-value`).textContent();
      expect(shown, i.code).toBe(
        i.kind === "flag" ? expectedFlag(i.value, i.reporting, false) : expectedFigure(i.value, i.kind, i.approximate),
      );
    }
    expect(await page.locator(".coverage").textContent()).toBe(
      `${summary.coverage.reported}/${summary.coverage.expected} xã đã báo cáo`,
    );
    expect(await page.locator(".as-of").textContent()).toMatch(/^Cập nhật lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await page.screenshot({ path: await screenshotPath("phone-overview.png"), fullPage: false });
    await page.setViewportSize(PROJECTOR);
    await page.screenshot({ path: await screenshotPath("projector-overview.png") });
    await page.close();
  });

  it("leads a phone's first screen with the speech's figures under a header of at most 15% of it", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const summary = await api<Summary>(url, `/api/summary?unit=${unit}&period=${period}`);
    const page = await open("/");
    await page.locator(".headlines .figure-value").first().waitFor();
    const header = await page.locator("body > * header, header").first().boundingBox();
    expect(header!.height).toBeLessThanOrEqual(0.15 * PHONE.height);
    const headlines = summary.indicators
      .filter((i) => i.headline !== null)
      .sort((a, b) => a.headline! - b.headline!)
      .map((i) => i.code);
    expect(headlines.slice(0, 3)).toEqual(["security_team_count", "security_team_members", "self_managed_model_count"]);
    expect(
      await page
        .locator(".headlines [data-indicator]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-indicator"))),
    ).toEqual(headlines);
    for (const code of headlines) {
      const box = await page.locator(`.headlines [data-indicator="${code}"]`).boundingBox();
      expect(box!.y + box!.height, code).toBeLessThanOrEqual(PHONE.height);
    }
    // Coverage as a picture, and the communes without figures one tap away (those whose cells were all rejected apart).
    const silent = summary.coverage.expected - summary.coverage.reported;
    expect(await page.locator('.coverage-bar svg[role="img"]').getAttribute("aria-label")).toContain(
      `${silent - summary.coverage.rejected} xã chưa báo cáo`,
    );
    await page.locator(".coverage-bar summary").click();
    await expect.poll(() => page.locator(".silent-list li").count()).toBe(silent);
    // Other figures stand under their group's Vietnamese title.
    expect(await page.locator(".group > summary h2").allTextContents()).toContain(
      "Lực lượng bảo vệ an ninh trật tự ở cơ sở",
    );
    await page.close();
  });

  it("draws the province's communes on a map, the silent ones apart, and opens a commune with a tap", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const { rows } = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${unit}&period=${period}&indicator=security_team_count`,
    );
    const page = await open("/?view=indicator&indicator=security_team_count");
    const map = page.locator('.commune-map svg[role="img"]');
    await map.locator("path").first().waitFor();
    expect(await map.getAttribute("aria-label")).toMatch(/^Bản đồ /);
    expect(await map.locator("path").count()).toBe(rows.length);
    const silent = rows.filter((r) => r.status === "missing");
    expect(await map.locator("path.silent").count()).toBe(silent.length);
    const one = rows.find((r) => r.value !== null)!;
    expect(await map.locator(`path[data-unit="${one.unit.code}"] title`).textContent()).toBe(
      `${one.unit.name}: ${expectedFigure(one.value, "count", one.approximate)}`,
    );
    expect(await map.locator(`path[data-unit="${silent[0]!.unit.code}"] title`).textContent()).toBe(
      `${silent[0]!.unit.name}: Chưa báo cáo`,
    );
    await map.locator(`a:has(path[data-unit="${one.unit.code}"])`).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("commune")).toBe(one.unit.code);
    await page.close();
  });

  it("drills down from an indicator's ranking into one commune, with its figures and a link to its sheet", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const breakdown = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${unit}&period=${period}&indicator=security_team_count`,
    );
    const page = await open("/");
    await page.locator('[data-indicator="security_team_count"] .figure-label a').click();
    await page.locator(".bar-row").first().waitFor();
    expect(page.url()).toContain("view=indicator");
    expect(page.url()).toContain("indicator=security_team_count");
    expect(await page.locator(".bar-row").count()).toBe(breakdown.rows.length);

    const top = Math.max(...breakdown.rows.map((r) => r.value ?? -Infinity));
    const first = page.locator(".bar-row").first();
    expect(await first.locator(".bar-value").textContent()).toBe(expectedFigure(top, "count"));
    const code = await first.getAttribute("data-unit");
    const row = breakdown.rows.find((r) => r.unit.code === code)!;
    expect(row.value).toBe(top);
    await page.screenshot({ path: await screenshotPath("phone-indicator.png") });

    await first.locator(".bar-name").click();
    await page.locator(".commune-figures").waitFor();
    expect(page.url()).toContain(`commune=${code}`);
    expect(await page.locator("h1").textContent()).toContain(row.unit.name);
    const commune = await api<Summary>(url, `/api/summary?unit=${code}&period=${period}`);
    expect(commune.indicators.length).toBeGreaterThan(20);
    for (const i of commune.indicators) {
      expect(await page.locator(`tr[data-indicator="${i.code}"] .value`).textContent(), i.code).toBe(
        i.kind === "flag" ? expectedFlag(i.value, i.reporting, true) : expectedFigure(i.value, i.kind, i.approximate),
      );
    }
    const { sources } = await api<{ sources: { url: string }[] }>(url, `/api/sources?unit=${code}`);
    expect(sources.length).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .getByRole("link", { name: /Mở bảng tính của xã/ })
          .first()
          .getAttribute("href"),
      )
      .toBe(sources[0]!.url);
    expect(sources[0]!.url).toMatch(/^https:\/\/docs\.google\.com\/spreadsheets\/d\/[^/]+\/edit#gid=\d+$/);
    await page.screenshot({ path: await screenshotPath("phone-commune.png") });

    await page.goBack();
    await page.locator(".bar-row").first().waitFor();
    expect(page.url()).toContain("view=indicator");
    await page.close();
  });

  it("lists the communes that did not report, as missing and never as 0", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const breakdown = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${unit}&period=${period}&indicator=security_team_count`,
    );
    const missing = breakdown.rows.filter((r) => r.status === "missing").map((r) => r.unit.name);
    expect(missing.length).toBeGreaterThan(0);
    const page = await open(`/?view=indicator&indicator=security_team_count`);
    await page.locator(".missing-list li").first().waitFor();
    const listed = await page.locator(".missing-list li").allTextContents();
    for (const name of missing) expect(listed).toContain(name);
    for (const name of missing) {
      const cells = await page
        .locator("tbody tr", { has: page.getByRole("link", { name, exact: true }) })
        .locator("td")
        .allTextContents();
      expect(cells[0], name).toBe("Chưa báo cáo");
    }
    await page.close();
  });

  it("says in Vietnamese when a linked commune does not exist, instead of showing empty figures", async () => {
    const res = await fetch(`${url}/api/summary?unit=12345&period=${meta.defaultPeriod}`);
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { message: string } };
    const page = await open("/?view=commune&commune=12345");
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain(error.message);
    expect(await page.locator(".commune-figures").count()).toBe(0);
    await page.close();
  });

  it("shows a commune's rejected cell with its address and what was typed, on the data quality page", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const { issues } = await api<{ issues: Issue[] }>(url, `/api/issues?unit=${unit}&period=${period}`);
    const found = issues.find(
      (i): i is Issue & { cell: string; raw: string } => i.severity === "error" && Boolean(i.cell && i.raw),
    );
    expect(found).toBeDefined();
    const issue = found!;
    const page = await open("/");
    await page.getByRole("link", { name: "Lỗi cần sửa" }).click();
    const group = page.locator(`.issue-group[data-unit="${issue.unitCode}"]`);
    await group.waitFor();
    expect(await group.locator("h3").textContent()).toBe(issue.unitName);
    const item = group.locator(".issue", { hasText: issue.cell });
    expect(await item.locator("code").first().textContent()).toBe(issue.cell);
    expect(await item.locator(".raw q").textContent()).toBe(issue.raw);
    expect(norm((await item.locator(".message").textContent()) ?? "")).toBe(norm(issue.message));
    const failed = issues.filter((i) => i.severity === "source_error");
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(await page.locator(".failed-sources").textContent()).toContain(f.unitName);
    await page.screenshot({ path: await screenshotPath("phone-quality.png") });
    await page.close();
  });

  it("lets an administrator start a sync with “Đồng bộ ngay” and lists the new run first", async () => {
    const before = (await api<Runs>(url, "/api/sync/runs")).runs[0]!.id;
    const page = await open("/?view=sync");
    await page.locator("tr.run").first().waitFor();
    await page.getByRole("button", { name: "Đồng bộ ngay" }).click();
    // A run with a failed sheet (the demo has one) is said as an alert, not a status.
    await page
      .locator('[role="status"], [role="alert"]')
      .filter({ hasText: /Đồng bộ xong|Đã bắt đầu đồng bộ/ })
      .waitFor({ timeout: 60_000 });
    const { runs } = await api<Runs>(url, "/api/sync/runs");
    expect(runs[0]!.id).toBeGreaterThan(before);
    expect(runs[0]!.trigger).toBe("manual");
    await expect.poll(() => page.locator("tr.run").count()).toBe(runs.length);
    expect(await page.locator("tr.run").first().locator("td").nth(1).textContent()).toBe("Thủ công");
    await page.close();
  });

  it("prints the report on A4 with the speech's first sentence and its figures in the PDF text", async () => {
    const { defaultUnit: unit, defaultPeriod: period } = meta;
    const report = await api<{ paragraphs: string[] }>(url, `/api/report?unit=${unit}&period=${period}`);
    const first = report.paragraphs[0]!;
    expect(first).toMatch(/\d/);
    const page = await open("/?view=report", PROJECTOR);
    await page.locator(".speech p").first().waitFor();
    const pdfPath = await screenshotPath("report.pdf");
    await writeFile(pdfPath, await page.pdf({ format: "A4", printBackground: true }));
    const text = norm(execFileSync("pdftotext", ["-enc", "UTF-8", pdfPath, "-"], { encoding: "utf8" }));
    expect(text).toContain(norm(first));
    // The same numbers as the screen: the first table's first figure, as the page shows it.
    const firstFigure = await page.locator(".report table td.num").first().textContent();
    expect(firstFigure).toMatch(/\d/);
    expect(text).toContain(firstFigure!);
    expect(text).not.toContain("In báo cáo");
    await page.close();
  });
});
