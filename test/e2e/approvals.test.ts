/**
 * Official figures in the browser (PRODUCT.md §12), on the demo province at phone size: a clean commune submitted from
 * its page; a commune with errors refused, the cells to fix named, the button still there; every submitted commune
 * accepted at once on “Duyệt số liệu” after one question, the counts moving, and counted on the overview's coverage
 * bar; a commune returned with a reason, which is required and then read on the commune's page. Phone and projector
 * screenshots are written to test/output/.
 */
import { writeFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Breakdown, type FixtureSheet, type Meta, postApi, readableSheets, screenshotPath } from "./helpers";

type Approval = { unitCode: string; unitName: string; state: string; reason: string | null };
type Approvals = { approvals: Approval[] };
type Issue = { unitCode: string; severity: string; cell: string | null };

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const UNIT = "99";

describe("official figures: a commune submits, the province accepts or returns", () => {
  let browser: Browser;
  let page: Page;
  const url = inject("productUrl");
  const dir = inject("fixturesDir");
  /** A sheet edited after its commune was accepted, put back afterwards. */
  let edited: FixtureSheet | undefined;
  let period: string;
  /** Communes that reported this period without any issue, which may be submitted. */
  let clean: Approval[];
  let withError: Issue;

  const approvals = async () => (await api<Approvals>(url, `/api/approvals?unit=${UNIT}&period=${period}`)).approvals;
  const stateOf = async (code: string) => (await approvals()).find((a) => a.unitCode === code)?.state;
  const counts = (list: Approval[]) => {
    const n = (s: string) => list.filter((a) => a.state === s).length;
    return `Chờ duyệt (${n("submitted")}) · Đã duyệt (${n("accepted")}) · Trả lại (${n("returned")}) · Chưa chốt (${n("open")})`;
  };
  const noSidewaysScroll = async () =>
    ((await page.evaluate("document.documentElement.scrollWidth")) as number) <= PHONE.width;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: PHONE, locale: "vi-VN" });
    period = (await api<Meta>(url, "/api/meta")).defaultPeriod;
    const { issues } = await api<{ issues: Issue[] }>(url, `/api/issues?unit=${UNIT}&period=${period}`);
    const troubled = new Set(issues.map((i) => i.unitCode));
    withError = issues.find((i) => i.severity === "error" && i.cell !== null)!;
    const { indicators } = await api<{ indicators: { code: string }[] }>(
      url,
      `/api/summary?unit=${UNIT}&period=${period}`,
    );
    const { rows } = await api<Breakdown>(
      url,
      `/api/breakdown?unit=${UNIT}&period=${period}&indicator=${indicators[0]!.code}`,
    );
    const reported = new Set(rows.filter((r) => r.status === "reported").map((r) => r.unit.code));
    clean = (await approvals())
      .filter((a) => a.state === "open" && reported.has(a.unitCode) && !troubled.has(a.unitCode))
      .slice(0, 4);
    expect(clean).toHaveLength(4);
  });
  afterAll(async () => {
    if (edited) await writeFile(edited.path, edited.original);
    // The other tests edit and read the demo's sheets: nothing stays locked behind an accepted approval.
    for (const a of await approvals().catch(() => []))
      if (a.state === "accepted")
        await postApi(url, "/api/approvals/reopen", { unitCode: a.unitCode, period, reason: "Kết thúc kiểm thử" });
    await browser?.close();
  });

  it("submits a clean commune from its page", async () => {
    const [commune] = clean;
    await page.goto(`${url}/?view=commune&commune=${commune!.unitCode}&period=${period}`);
    const state = page.locator(".approval-state");
    await expect.poll(() => state.textContent()).toContain("Chưa chốt số liệu");
    await page.getByRole("button", { name: "Chốt số liệu" }).click();
    await expect
      .poll(() => state.textContent())
      .toMatch(/Xã đã chốt lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, chờ tỉnh duyệt/);
    expect(await page.getByRole("button", { name: "Chốt số liệu" }).count()).toBe(0);
    expect(await stateOf(commune!.unitCode)).toBe("submitted");
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: await screenshotPath("approvals-commune-phone.png"), fullPage: false });
  });

  it("refuses a commune whose sheet still has errors, naming the cells, and keeps the button", async () => {
    await page.goto(`${url}/?view=commune&commune=${withError.unitCode}&period=${period}`);
    const button = page.getByRole("button", { name: "Chốt số liệu" });
    await button.click();
    const alert = page.locator(".approval-state [role=alert]");
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    expect(text).toContain("Chưa chốt được");
    expect(text).toContain(withError.cell!);
    expect(await button.isVisible()).toBe(true);
    expect(await stateOf(withError.unitCode)).toBe("open");
    await page.screenshot({ path: await screenshotPath("approvals-refused-phone.png"), fullPage: false });
  });

  it("accepts every submitted commune at once after one question naming how many, the counts moving", async () => {
    for (const a of clean.slice(1, 3)) await postApi(url, "/api/approvals/submit", { unitCode: a.unitCode, period });
    const before = await approvals();
    const submitted = before.filter((a) => a.state === "submitted").length;
    expect(submitted).toBeGreaterThanOrEqual(3);
    await page.goto(`${url}/?view=admin&task=approvals&unit=${UNIT}&period=${period}`);
    const countsLine = page.locator(".approval-counts");
    await expect.poll(() => countsLine.textContent()).toBe(counts(before));
    expect(await noSidewaysScroll()).toBe(true);
    await page.screenshot({ path: await screenshotPath("approvals-phone.png") });
    await page.getByRole("button", { name: `Duyệt tất cả xã đã chốt (${submitted})` }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain(`${submitted} xã đã chốt`);
    await dialog.getByRole("button", { name: `Duyệt ${submitted} xã` }).click();
    await expect
      .poll(() => page.locator('p[role="status"]').textContent())
      .toBe(`Đã duyệt số liệu của ${submitted} xã.`);
    const after = await approvals();
    expect(after.filter((a) => a.state === "submitted")).toHaveLength(0);
    expect(after.filter((a) => a.state === "accepted")).toHaveLength(
      before.filter((a) => a.state === "accepted").length + submitted,
    );
    await expect.poll(() => countsLine.textContent()).toBe(counts(after));
    // Who accepted and when, in Vietnam time.
    const card = page.locator(`.approval[data-unit="${clean[0]!.unitCode}"]`);
    expect(await card.textContent()).toMatch(/Tỉnh duyệt: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await card.getByRole("button", { name: /^Mở lại/ }).isVisible()).toBe(true);
  });

  it("says on the overview's coverage bar how many communes confirmed and how many the province accepted", async () => {
    const { coverage } = await api<{
      coverage: { expected: number; submitted: number; accepted: number; submittedOnTime: number };
    }>(url, `/api/summary?unit=${UNIT}&period=${period}`);
    expect(coverage.accepted).toBeGreaterThanOrEqual(3);
    await page.goto(`${url}/?unit=${UNIT}&period=${period}`);
    const line = page.locator(".coverage-bar .approval-coverage");
    await expect
      .poll(() => line.textContent())
      .toContain(
        `${coverage.submitted}/${coverage.expected} xã đã chốt số liệu, ${coverage.accepted} xã đã được tỉnh duyệt`,
      );
    await line.scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath("approvals-overview-phone.png") });
    await line.getByRole("link", { name: "Duyệt số liệu" }).click();
    await page.locator(".approval-counts").waitFor();
  });

  it("shows an accepted commune's later sheet edit as accepted → sheet value, the accepted value kept", async () => {
    const commune = clean[0]!;
    edited = (await readableSheets(dir)).find((x) => x.unitCode === commune.unitCode)!;
    const fixture = JSON.parse(edited.original);
    const rows: unknown[][] = fixture.sheets[0].values;
    const row = rows.find((r) => r[2] === "security_team_count")!;
    const accepted = Number(row[5]);
    row[5] = accepted + 1000;
    fixture.version = `${fixture.version}-edited`;
    await writeFile(edited.path, JSON.stringify(fixture));
    const { sources } = await api<{ sources: { id: number }[] }>(url, `/api/sources?unit=${commune.unitCode}`);
    await postApi(url, `/api/admin/sources/${sources[0]!.id}/read`);
    await page.goto(`${url}/?view=admin&task=approvals&unit=${UNIT}&period=${period}`);
    const change = page.locator(`.approval[data-unit="${commune.unitCode}"] li[data-indicator="security_team_count"]`);
    const vi = new Intl.NumberFormat("vi-VN");
    await expect
      .poll(() => change.textContent())
      .toMatch(new RegExp(`: ${vi.format(accepted)} → ${vi.format(accepted + 1000)}$`));
    expect(await change.textContent()).toContain("Số tổ bảo vệ an ninh trật tự");
    expect(await stateOf(commune.unitCode)).toBe("accepted");
    await change.scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath("approvals-pending-phone.png") });
  });

  it("returns a submitted commune only with a reason, which the commune then reads", async () => {
    const target = clean[3]!;
    await postApi(url, "/api/approvals/submit", { unitCode: target.unitCode, period });
    await page.goto(`${url}/?view=admin&task=approvals&unit=${UNIT}&period=${period}`);
    const card = page.locator(`.approval[data-unit="${target.unitCode}"]`);
    await card.getByRole("button", { name: `Trả lại ${target.unitName}` }).click();
    await card.getByRole("button", { name: "Trả lại xã" }).click();
    const reason = card.getByLabel("Lý do trả lại");
    await expect.poll(() => reason.getAttribute("aria-invalid")).toBe("true");
    expect(await card.locator("#reason-error").textContent()).toMatch(/lý do/i);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath("approvals-reason-phone.png") });
    expect(await stateOf(target.unitCode)).toBe("submitted");
    const why = "Số tổ an ninh chưa khớp với báo cáo quý IV";
    await reason.fill(why);
    await card.getByRole("button", { name: "Trả lại xã" }).click();
    await expect.poll(() => page.locator('p[role="status"]').textContent()).toContain("Đã trả lại số liệu");
    const after = await approvals();
    expect(after.find((a) => a.unitCode === target.unitCode)).toMatchObject({ state: "returned", reason: why });
    await expect.poll(() => page.locator(".approval-counts").textContent()).toBe(counts(after));
    expect(await noSidewaysScroll()).toBe(true);

    const wide = await browser.newPage({ viewport: PROJECTOR, locale: "vi-VN" });
    await wide.goto(`${url}/?view=admin&task=approvals&unit=${UNIT}&period=${period}`);
    await wide.locator(".approval-counts").waitFor();
    await wide.screenshot({ path: await screenshotPath("approvals-projector.png"), fullPage: false });
    await wide.close();

    await page.goto(`${url}/?view=commune&commune=${target.unitCode}&period=${period}`);
    const state = page.locator(".approval-state");
    await expect.poll(() => state.textContent()).toContain(`Tỉnh trả lại: ${why}`);
    expect(await page.getByRole("button", { name: "Chốt số liệu" }).isVisible()).toBe(true);
  });
});
