/**
 * The indicator page as a leader reads it on a phone and on a projector, on the demo province: the province's figure
 * and its like-for-like change first, the map's legend in ranges, a yes/no indicator as communes meeting the
 * standard, a rejected figure said apart from a commune that sent nothing, and nothing cut or wider than a phone.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, expectedFigure, type Meta, type Summary, screenshotPath } from "./helpers";

type Row = {
  unit: { code: string; name: string };
  value: number | null;
  previous: number | null;
  approximate: boolean;
  status: "reported" | "error" | "missing";
  rejected: number;
};
type Province = Omit<Summary, "indicators"> & { indicators: (Summary["indicators"][number] & { label: string })[] };
type Issue = { unitCode: string | null; indicator: string | null; cell: string | null; raw: string | null };

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const REJECTED = "Có số liệu lỗi — cần sửa";
const SILENT = "Chưa báo cáo";
/**
 * What in the page reaches past the screen's right edge, or is cut short (an ellipsis, or hidden overflow): run in the
 * page, so written as the browser's own script.
 */
const OVERFLOWING = `[...document.querySelectorAll("main *")]
  .filter((e) => !(e instanceof SVGElement) || e instanceof SVGSVGElement)
  .filter((e) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    const clipped = style.textOverflow === "ellipsis" || style.overflow === "hidden";
    return r.width > 0 && (r.right > innerWidth + 0.5 || (clipped && e.scrollWidth > e.clientWidth));
  })
  .map((e) => e.tagName + "." + e.getAttribute("class") + ": " + (e.textContent ?? "").slice(0, 40))`;
const vi = (n: number, digits = 0) => new Intl.NumberFormat("vi-VN", { maximumFractionDigits: digits }).format(n);

describe("the indicator page", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;
  const breakdown = async (code: string) =>
    (
      await api<{ rows: Row[] }>(
        url,
        `/api/breakdown?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}&indicator=${code}`,
      )
    ).rows;
  const summary = () => api<Province>(url, `/api/summary?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`);

  beforeAll(async () => {
    browser = await launchBrowser();
    meta = await api<Meta>(url, "/api/meta");
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** An indicator's page with its map drawn. */
  async function open(indicator: string, viewport = PHONE): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${url}/?view=indicator&indicator=${indicator}`);
    await page.locator(".indicator-figure").waitFor();
    await page.locator(".commune-map path").first().waitFor();
    return page;
  }

  it("opens with the province's figure and its change over the same communes, before the map and the lists", async () => {
    const province = await summary();
    const figure = province.indicators.find((i) => i.code === "security_team_count");
    const rows = await breakdown("security_team_count");
    const c = figure?.comparable;
    if (!figure || figure.value === null || !c) throw new Error("the demo has security teams in both years");
    const page = await open("security_team_count");
    const box = page.locator(".indicator-figure");
    expect(await box.locator(".indicator-figure-value").textContent()).toBe(
      `${expectedFigure(figure.value, "count")} tổ`,
    );
    // Said as the overview's comparison says it: over the communes that have both years.
    const change = `${new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(((c.value - c.previous) / c.previous) * 100)}%`;
    const whole = c.communes === figure.reporting && c.communes === figure.previousReporting;
    expect(await box.locator(".figure-compare").textContent()).toBe(
      whole
        ? `Năm 2024: ${vi(figure.previous ?? 0)} (${change})`
        : `So với năm 2024, cùng ${c.communes} xã: ${vi(c.previous)} → ${vi(c.value)} (${change})`,
    );
    const rejected = rows.filter((r) => r.status === "error").length;
    const missing = rows.filter((r) => r.status === "missing").length;
    expect(rejected).toBeGreaterThan(0);
    expect(await box.locator(".indicator-figure-cover").textContent()).toBe(
      `${figure.reporting}/${province.coverage.expected} xã có số liệu · ${rejected} xã có số liệu lỗi — cần sửa · ${missing} xã chưa báo cáo`,
    );
    // On the first phone screen, above the map, which stands above the lists.
    const [top, map, list] = await Promise.all(
      [box, page.locator(".commune-map"), page.locator(".missing-list")].map((l) => l.boundingBox()),
    );
    if (!top || !map || !list) throw new Error("the figure, the map and the list are on the page");
    expect(top.y + top.height).toBeLessThanOrEqual(PHONE.height);
    expect(top.y + top.height).toBeLessThanOrEqual(map.y);
    expect(map.y + map.height).toBeLessThanOrEqual(list.y);
    await page.screenshot({ path: await screenshotPath("phone-indicator-first-screen.png") });
    await page.close();
  });

  it("names the map's colours by ranges of the communes' values, none repeated and none overlapping", async () => {
    for (const [code, kind] of [
      ["security_team_count", "count"],
      ["guns_recovered", "count"],
      ["residential_area_safe_rate", "ratio"],
    ] as const) {
      const values = (await breakdown(code)).flatMap((r) => (r.value === null ? [] : [r.value]));
      const page = await open(code);
      const legend = await page
        .locator(".map-legend li")
        .evaluateAll((lis) =>
          lis.map((li) => ({ text: li.textContent ?? "", fill: li.querySelector("rect")?.getAttribute("fill") ?? "" })),
        );
      const ranges = legend.filter((l) => l.text !== REJECTED && l.text !== SILENT);
      expect(ranges.length, code).toBeGreaterThan(1);
      expect(new Set(ranges.map((r) => r.text)).size, code).toBe(ranges.length);
      const number = (s: string) => Number(s.replace(/[.%]/g, "").replace(",", "."));
      const bounds = ranges.map((r) => {
        const [low = "", high = low] = r.text.split("–");
        return { low: number(low), high: number(high), fill: r.fill, text: r.text };
      });
      const shown = (v: number) => number(expectedFigure(v, kind));
      expect(bounds[0]?.low, code).toBe(shown(Math.min(...values)));
      expect(bounds[bounds.length - 1]?.high, code).toBe(shown(Math.max(...values)));
      for (const [i, b] of bounds.entries()) {
        expect(b.low, b.text).toBeLessThanOrEqual(b.high);
        if (i > 0) expect(bounds[i - 1]?.high, b.text).toBeLessThan(b.low);
        if (kind === "count") expect(Number.isInteger(b.low) && Number.isInteger(b.high), b.text).toBe(true);
      }
      // Every commune is painted with the colour of the range its figure falls in.
      const painted = await page
        .locator(".commune-map path.reported")
        .evaluateAll((ps) =>
          ps.map((p) => ({ fill: p.getAttribute("fill") ?? "", title: p.querySelector("title")?.textContent ?? "" })),
        );
      expect(painted.length, code).toBe(values.length);
      for (const p of painted) {
        const v = number(p.title.slice(p.title.lastIndexOf(": ") + 2).replace(/^khoảng /, ""));
        expect(bounds.find((b) => v >= b.low && v <= b.high)?.fill, p.title).toBe(p.fill);
      }
      await page.close();
    }
  });

  it("reads a yes/no indicator as communes meeting the standard: “N/M xã đạt”, Đạt / Chưa đạt, two colours, no bars", async () => {
    const figure = (await summary()).indicators.find((i) => i.code === "commune_safe");
    const rows = await breakdown("commune_safe");
    expect(figure?.kind).toBe("flag");
    const yes = rows.filter((r) => r.value === 1);
    const no = rows.filter((r) => r.value === 0);
    expect(figure?.value).toBe(yes.length);
    expect(figure?.reporting).toBe(yes.length + no.length);
    expect(no.length).toBeGreaterThan(0);
    const page = await open("commune_safe");
    expect(await page.locator(".indicator-figure-value").textContent()).toBe(
      `${vi(yes.length)}/${vi(yes.length + no.length)} xã đạt`,
    );
    expect(await page.locator("h1").textContent()).not.toContain("1 = đạt");
    // Each commune said as an answer, never as 1 or 0.
    const cells = await page
      .locator(".indicator-table tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute("data-unit"), ...[...tr.querySelectorAll("td")].map((td) => td.textContent)]),
      );
    expect(cells.length).toBe(rows.length);
    const said = (r: Row) =>
      r.value === 1 ? "Đạt" : r.value === 0 ? "Chưa đạt" : r.status === "error" ? REJECTED : SILENT;
    for (const r of rows) expect(cells.find((c) => c[0] === r.unit.code)?.[1], r.unit.name).toBe(said(r));
    for (const c of cells) for (const text of c.slice(1)) expect(text).not.toMatch(/^\s*[01]\s*$|0 \/ 0/);
    // Two colours on the map, named in the legend.
    const fills = await page
      .locator(".commune-map path.reported")
      .evaluateAll((ps) =>
        ps.map((p): [string, string] => [p.getAttribute("data-unit") ?? "", p.getAttribute("fill") ?? ""]),
      );
    const fillOf = new Map(fills);
    expect(new Set(yes.map((r) => fillOf.get(r.unit.code))).size).toBe(1);
    expect(new Set(no.map((r) => fillOf.get(r.unit.code))).size).toBe(1);
    expect(fillOf.get(yes[0]?.unit.code ?? "")).not.toBe(fillOf.get(no[0]?.unit.code ?? ""));
    const legend = await page.locator(".map-legend li").allTextContents();
    expect(legend.slice(0, 2)).toEqual(["Đạt", "Chưa đạt"]);
    expect(await page.locator(`path[data-unit="${no[0]?.unit.code}"] title`).textContent()).toBe(
      `${no[0]?.unit.name}: Chưa đạt`,
    );
    // Who has not met it, by name; no ranking of bars of ones.
    expect(await page.locator(".bar-row").count()).toBe(0);
    const list = page.getByRole("region", { name: `Chưa đạt (${no.length} xã)` });
    expect((await list.getByRole("link").allTextContents()).sort()).toEqual(no.map((r) => r.unit.name).sort());
    await page.screenshot({ path: await screenshotPath("phone-indicator-flag.png") });
    await page.setViewportSize(PROJECTOR);
    await page.screenshot({ path: await screenshotPath("projector-indicator-flag.png") });
    await page.close();
  });

  it("says a commune whose figure was rejected apart from one that sent nothing, with the cell to fix", async () => {
    const rows = await breakdown("security_team_count");
    const rejected = rows.filter((r) => r.status === "error");
    const silent = rows.filter((r) => r.status === "missing");
    const bad = rejected[0];
    if (!bad) throw new Error("the demo has a commune whose security teams were typed as “3,5”");
    const { issues } = await api<{ issues: Issue[] }>(
      url,
      `/api/issues?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`,
    );
    const issue = issues.find((i) => i.unitCode === bad.unit.code && i.indicator === "security_team_count");
    if (!issue?.cell || !issue.raw) throw new Error("the rejected cell is among the issues");
    const page = await open("security_team_count");
    // The map: hatched apart, said in its title and in the legend.
    const path = page.locator(`.commune-map path[data-unit="${bad.unit.code}"]`);
    expect(await path.getAttribute("class")).toBe("rejected");
    expect(await path.locator("title").textContent()).toBe(`${bad.unit.name}: ${REJECTED}`);
    expect(await page.locator(".commune-map path.silent").count()).toBe(silent.length);
    expect(await page.locator(".map-legend li").allTextContents()).toEqual(expect.arrayContaining([REJECTED, SILENT]));
    // The lists: the rejected commune with what was typed, and only those that sent nothing as “Chưa báo cáo”.
    const fix = page.getByRole("region", { name: `${REJECTED} (${rejected.length} xã)` });
    const entry = fix
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: bad.unit.name, exact: true }) });
    expect(await entry.locator("code").first().textContent()).toBe(issue.cell);
    expect(await entry.locator(".raw q").textContent()).toBe(issue.raw);
    expect(await page.locator(".missing-list li").allTextContents()).toEqual(
      silent.map((r) => r.unit.name).sort((a, b) => a.localeCompare(b, "vi")),
    );
    const row = page.locator(`.indicator-table tr[data-unit="${bad.unit.code}"]`);
    expect(await row.locator("td").first().textContent()).toBe(REJECTED);
    for (const r of silent)
      expect(await page.locator(`.indicator-table tr[data-unit="${r.unit.code}"] td`).first().textContent()).toBe(
        SILENT,
      );
    // Its “cần sửa” leads to the cell to fix.
    await row.getByRole("link", { name: REJECTED }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#xa-co-so-lieu-loi-${bad.unit.code}`);
    await expect.poll(() => entry.evaluate((e) => e.getBoundingClientRect().top)).toBeLessThan(PHONE.height);
    await page.close();
  });

  it("wraps every label on a phone and never scrolls sideways; on a projector the figure stands beside the map", async () => {
    const labels = new Map((await summary()).indicators.map((i) => [i.code, i.label]));
    const page = await open("security_team_members");
    for (const code of ["security_team_members", "commune_safe", "crime_tip_received", "agency_enterprise_safe_rate"]) {
      await page.goto(`${url}/?view=indicator&indicator=${code}`);
      await page.locator(".commune-map path").first().waitFor();
      await page.locator(".indicator-table tbody tr").first().waitFor();
      const label = (labels.get(code) ?? code).replace(/ \(1 = đạt; 0 = chưa đạt\)$/, "");
      expect(await page.locator("h1").textContent(), code).toContain(label);
      expect(await page.evaluate("document.documentElement.scrollWidth"), code).toBeLessThanOrEqual(PHONE.width);
      expect(await page.evaluate(OVERFLOWING), code).toEqual([]);
    }
    await page.goto(`${url}/?view=indicator&indicator=security_team_members`);
    await page.locator(".commune-map path").first().waitFor();
    await page.screenshot({ path: await screenshotPath("phone-indicator-members.png") });
    await page.setViewportSize(PROJECTOR);
    const [figure, map] = await Promise.all(
      [page.locator(".indicator-figure"), page.locator(".commune-map")].map((l) => l.boundingBox()),
    );
    if (!figure || !map) throw new Error("the figure and the map are on the page");
    expect(figure.x + figure.width).toBeLessThanOrEqual(map.x);
    expect(Math.abs(figure.y - map.y)).toBeLessThan(40);
    await page.screenshot({ path: await screenshotPath("projector-indicator.png") });
    await page.close();
  });
});
