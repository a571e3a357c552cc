/**
 * The overview, a commune's page, the navigation and conference mode as a leader reads them on a phone and on a
 * projector, on the demo province: the province's total equal to the sheets' sum; who reported and when first, in
 * plain words; figures resting on sheets the last sync could not read said beside them; communes whose every cell
 * was rejected told apart from silent ones; yes/no indicators as communes meeting the standard; every page in reach
 * without scrolling sideways; conference mode without a conference projecting the live figures.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import {
  api,
  type Breakdown,
  expectedFigure,
  expectedFlag,
  type Meta,
  readableSheets,
  type Summary,
  screenshotPath,
  syncAndWait,
} from "./helpers";

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
/** What of the summary these tests read beyond the shared type. */
type Overview = Omit<Summary, "indicators"> & {
  unit: { code: string; name: string };
  asOf: string | null;
  deadline: string;
  stale: { communes: number; since: string | null } | null;
  indicators: (Summary["indicators"][number] & { label: string })[];
};
type Silent = { communes: { code: string; name: string; status: "error" | "missing" }[] };

/** “05/12/2026 06:00”, Vietnam time, as a reader expects a moment. */
function vietnamTime(at: string): string {
  const parts = new Intl.DateTimeFormat("vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/**
 * The province's security teams straight from the fixture files: the 2025 cell of the `security_team_count` row
 * (by code, or the clerks' short label) of every readable registered sheet, counting only whole numbers.
 */
async function securityTeamsInSheets(dir: string): Promise<number> {
  const sources = (await readFile(join(dir, "sources.csv"), "utf8")).trim().split("\n").slice(1);
  let total = 0;
  for (const line of sources) {
    const sheet = line.split(",")[1]!;
    const id = /\/d\/([^/]+)/.exec(sheet)?.[1] ?? sheet;
    const fixture = JSON.parse(await readFile(join(dir, `${id}.json`), "utf8"));
    if (fixture.access !== "ok") continue;
    const rows: unknown[][] = fixture.sheets[0].values;
    const header = rows.findIndex((r) => r.includes("Năm 2025"));
    const col = rows[header]!.indexOf("Năm 2025");
    const row = rows.find((r) => r.includes("security_team_count") || r.includes("Tổ BV ANTT"))!;
    const cell = row[col];
    if (typeof cell === "number" && Number.isInteger(cell)) total += cell;
    else if (typeof cell === "string" && /^\d+$/.test(cell)) total += Number(cell);
  }
  return total;
}

describe("the leaders' dashboard on demo data", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;
  const summaryOf = (unit: string) => api<Overview>(url, `/api/summary?unit=${unit}&period=${meta.defaultPeriod}`);

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

  it("shows the province's security-team total, equal to the sum over the sheets, in vi-VN format", async () => {
    const expected = await securityTeamsInSheets(inject("fixturesDir"));
    expect(expected).toBeGreaterThan(5000);

    const summary = await api<Summary>(url, "/api/summary?unit=99&period=2025");
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(expected);

    const page = await browser.newPage();
    await page.goto(url);
    const figure = page.locator('[data-indicator="security_team_count"] .figure-value');
    await expect
      .poll(() => figure.textContent(), { timeout: 15_000 })
      .toBe(new Intl.NumberFormat("vi-VN").format(expected));
    expect(await figure.textContent()).toMatch(/^\d{1,3}(\.\d{3})+$/);
    await expect
      .poll(() => page.locator(".as-of").textContent())
      .toMatch(/^Cập nhật lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await page.close();
  });

  it("leads with who reported and when; timeliness in plain words, only where known, after the figures", async () => {
    const summary = await summaryOf(meta.defaultUnit);
    const { reported, expected, late, timelinessUnknown } = summary.coverage;
    // The demo's sheets were registered after the deadline of the year they report: timeliness cannot be known.
    expect(timelinessUnknown).toBeGreaterThan(0);
    const page = await open("/");
    await page.locator(".headlines li").first().waitFor();
    const first = page.locator("#overview-title + p");
    expect(await first.textContent()).toBe(
      `${reported}/${expected} xã đã báo cáo · Cập nhật lúc ${vietnamTime(summary.asOf!)}`,
    );
    const deadline = vietnamTime(summary.deadline);
    const timeliness = page.getByText(`Hạn báo cáo ${deadline}:`);
    expect(await timeliness.textContent()).toBe(
      `Hạn báo cáo ${deadline}: ${late ? `${late} xã báo cáo sau hạn; ` : ""}chưa rõ ${timelinessUnknown} xã có báo cáo đúng hạn hay không, vì bảng tính được đăng ký sau hạn.`,
    );
    expect(await page.locator("main").textContent()).not.toContain("chưa xác định được đúng hạn");
    // Said after the figures a leader opens the page for, not before them.
    const lastHeadline = await page.locator(".headlines li").last().boundingBox();
    const said = await timeliness.boundingBox();
    expect(said!.y).toBeGreaterThan(lastHeadline!.y + lastHeadline!.height);
    await page.close();
  });

  it("tells the communes whose every cell was rejected apart from those that sent nothing", async () => {
    const summary = await summaryOf(meta.defaultUnit);
    const { communes } = await api<Silent>(
      url,
      `/api/coverage/silent?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`,
    );
    const rejected = communes.filter((c) => c.status === "error");
    const missing = communes.filter((c) => c.status === "missing");
    // The demo has a commune whose copied sheet shows #REF! in every 2025 cell, and communes with no sheet.
    expect(rejected.length).toBeGreaterThan(0);
    expect(missing.length).toBeGreaterThan(0);
    expect(summary.coverage.rejected).toBe(rejected.length);

    const page = await open("/");
    const bar = page.locator(".coverage-bar");
    await bar.waitFor();
    const legend = await bar.getByRole("listitem").allTextContents();
    expect(legend.map((t) => t.trim())).toEqual(
      expect.arrayContaining([`${rejected.length} có số liệu lỗi — cần sửa`, `${missing.length} chưa báo cáo`]),
    );
    await page
      .getByText(`Xem ${missing.length} xã chưa báo cáo và ${rejected.length} xã có số liệu lỗi`, { exact: true })
      .click();
    const names = (list: Silent["communes"]) => list.map((c) => c.name).sort();
    const silentList = page.getByRole("region", { name: "Chưa báo cáo" });
    await silentList.getByRole("link").first().waitFor();
    expect((await silentList.getByRole("link").allTextContents()).sort()).toEqual(names(missing));
    const fixList = page.getByRole("region", { name: "Có số liệu lỗi — cần sửa bảng tính" });
    expect((await fixList.getByRole("link").allTextContents()).sort()).toEqual(names(rejected));

    // Its page says it reported and must fix its sheet, and leads to the cells to fix.
    await fixList.getByRole("link", { name: rejected[0]!.name }).click();
    await page.locator(".commune-figures").waitFor();
    expect(await page.locator("#commune-title + p").textContent()).toMatch(
      /^Có số liệu lỗi — cần sửa · Cập nhật lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
    );
    await page.getByRole("link", { name: "xem lỗi cần sửa" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#commune-issues");
    expect(await page.locator(".issue.error").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("says a yes/no indicator as the communes meeting the standard, and one commune's as “Đạt” or “Chưa đạt”", async () => {
    const summary = await summaryOf(meta.defaultUnit);
    const flag = summary.indicators.find((i) => i.kind === "flag");
    if (!flag || flag.value === null) throw new Error("the demo's catalog has a yes/no indicator, answered");
    const page = await open("/");
    const card = page.locator(`.figures [data-indicator="${flag.code}"]`);
    await card.waitFor();
    const label = flag.label.replace(/ \(1 = đạt; 0 = chưa đạt\)$/, "");
    expect(await card.locator(".figure-label").textContent()).toBe(label);
    const vi = new Intl.NumberFormat("vi-VN");
    expect(await card.locator(".figure-value").textContent()).toBe(
      `${vi.format(flag.value)}/${vi.format(flag.reporting)} xã đạt`,
    );
    if (flag.previous !== null)
      expect(await card.locator(".figure-compare").textContent()).toBe(
        `Năm ${Number(meta.defaultPeriod) - 1}: ${expectedFlag(flag.previous, flag.previousReporting, false)}`,
      );
    await page.close();

    const { rows } = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}&indicator=${flag.code}`,
    );
    for (const [answer, said] of [
      [1, "Đạt"],
      [0, "Chưa đạt"],
    ] as const) {
      const row = rows.find((r) => r.value === answer);
      if (!row) throw new Error(`the demo has a commune answering ${answer}`);
      const commune = await open(`/?view=commune&commune=${row.unit.code}`);
      const cell = commune.locator(`tr[data-indicator="${flag.code}"]`);
      await cell.waitFor();
      expect(await cell.locator(".value").textContent()).toBe(said);
      // The clerk's coding note, “(1 = đạt; 0 = chưa đạt)”, is the sheet's business, not the leader's.
      expect(await cell.locator("th").textContent()).toBe(label);
      await commune.close();
    }
  });

  it("on a phone wraps the headline labels, keeps every page in the navigation and never scrolls sideways", async () => {
    const page = await open("/");
    await page.locator(".headlines .figure-label").first().waitFor();
    const cut = await page
      .locator(".headlines .figure-label")
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    expect(cut).toEqual([]);
    // The longest label, whole, over more than one line.
    const long = page.locator('.headlines [data-indicator="crime_tip_received"] .figure-label');
    expect((await long.boundingBox())!.height).toBeGreaterThan(30);

    const nav = page.getByRole("navigation", { name: "Các trang" });
    const pages = ["Tổng quan", "Lỗi cần sửa", "Đồng bộ", "Báo cáo in", "Quản trị", "Trình chiếu"];
    for (const name of pages) {
      const box = await nav.getByRole("link", { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x, name).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(PHONE.width);
    }
    const wide = () => page.evaluate<number>("document.documentElement.scrollWidth");
    expect(await wide()).toBeLessThanOrEqual(PHONE.width);
    for (const name of pages) {
      await page.getByRole("navigation", { name: "Các trang" }).getByRole("link", { name, exact: true }).click();
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await wide(), name).toBeLessThanOrEqual(PHONE.width);
      if (name === "Trình chiếu") break;
    }
    for (const path of ["/?view=indicator&indicator=security_team_members", "/?view=commune&commune=99004"]) {
      await page.goto(url + path);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await wide(), path).toBeLessThanOrEqual(PHONE.width);
    }
    await page.close();
  });

  it("projects a unit's live figures in conference mode when no conference was created, saying they are not frozen", async () => {
    // A commune: no administrator creates its conference, whatever the other tests do with the province's.
    const { rows } = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}&indicator=security_team_count`,
    );
    const commune = rows.find((r) => r.value !== null)!.unit;
    const { conferences } = await api<{ conferences: unknown[] }>(url, `/api/conferences?unit=${commune.code}`);
    expect(conferences).toEqual([]);
    const live = await summaryOf(commune.code);
    const first = live.indicators
      .filter((i) => i.headline !== null && i.value !== null)
      .sort((a, b) => a.headline! - b.headline!)[0]!;

    const page = await open(`/?view=conference&unit=${commune.code}`, PROJECTOR);
    const spot = page.locator(".spotlight");
    await spot.waitFor();
    expect(await page.getByText("Chưa có hội nghị nào cho đơn vị này").textContent()).toContain(
      "nên đang chiếu số liệu trực tiếp: số liệu chưa được chốt",
    );
    expect(await page.locator(".as-of").textContent()).toBe(
      `Số liệu trực tiếp, chưa chốt — cập nhật lúc ${vietnamTime(live.asOf!)}`,
    );
    expect(await spot.getAttribute("data-indicator")).toBe(first.code);
    expect(await spot.locator(".frozen-value").textContent()).toBe(expectedFigure(first.value, first.kind));
    const flag = live.indicators.find((i) => i.kind === "flag" && i.value !== null);
    if (flag)
      expect(await page.locator(`.conf-all [data-indicator="${flag.code}"] .frozen-value`).textContent()).toBe(
        expectedFlag(flag.value, flag.reporting, true),
      );
    await page.screenshot({ path: await screenshotPath("projector-conference-live.png") });
    await page.close();
  });

  describe("figures from sheets the last sync could not read", () => {
    const restore: { path: string; original: string }[] = [];
    afterAll(async () => {
      for (const s of restore) await writeFile(s.path, s.original);
      if (restore.length) await syncAndWait(url);
    });

    it("says how many communes use figures read when, beside them, on the overview, a commune and the projector", async () => {
      // Two sheets read at the first sync, then no longer shared with the service account.
      const sheets = (await readableSheets(inject("fixturesDir"))).slice(-2);
      for (const s of sheets) {
        const fixture = JSON.parse(s.original);
        fixture.access = "forbidden";
        fixture.version = String(Number(fixture.version) + 9000);
        restore.push({ path: s.path, original: s.original });
        await writeFile(s.path, JSON.stringify(fixture));
      }
      await syncAndWait(url);
      const province = await summaryOf(meta.defaultUnit);
      expect(province.stale?.communes).toBe(2);
      const since = vietnamTime(province.stale!.since!);

      const page = await open("/");
      const note = page.getByText(/dùng số liệu đọc lúc/);
      await note.waitFor();
      expect(await note.textContent()).toBe(`2 xã dùng số liệu đọc lúc ${since}: bảng tính lỗi`);
      // Beside the figures it affects: before the first of them.
      const noteBox = await note.boundingBox();
      const firstFigure = await page.locator(".headlines li").first().boundingBox();
      expect(noteBox!.y + noteBox!.height).toBeLessThanOrEqual(firstFigure!.y);
      await page.screenshot({ path: await screenshotPath("phone-overview-stale.png") });
      await note.getByRole("link", { name: "bảng tính lỗi" }).click();
      await page.locator(".failed-sources").waitFor();
      expect(await page.locator("h1").textContent()).toMatch(/^Chất lượng số liệu/);
      const failed = await page.locator(".failed-sources").textContent();
      const names = await Promise.all(sheets.map(async (s) => (await summaryOf(s.unitCode)).unit.name));
      for (const name of names) expect(failed).toContain(name);
      await page.close();

      // One of those communes, on its page and projected (a commune has no conference: its live figures).
      const one = sheets[0]!.unitCode;
      const own = await summaryOf(one);
      const ownSince = vietnamTime(own.stale!.since!);
      const communePage = await open(`/?view=commune&commune=${one}`);
      const ownNote = communePage.getByText(/dùng số liệu đọc lúc/);
      await ownNote.waitFor();
      expect(await ownNote.textContent()).toBe(`Đang dùng số liệu đọc lúc ${ownSince}: bảng tính lỗi`);
      await communePage.close();
      const projector = await open(`/?view=conference&unit=${one}`, PROJECTOR);
      const projected = projector.getByText(/dùng số liệu đọc lúc/);
      await projected.waitFor();
      expect(await projected.textContent()).toBe(`Đang dùng số liệu đọc lúc ${ownSince}: bảng tính lỗi`);
      await projector.screenshot({ path: await screenshotPath("projector-conference-stale.png") });
      await projector.close();
    });
  });
});
