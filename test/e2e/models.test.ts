/**
 * The models page (PRODUCT.md §15) on the demo province in headless Chromium: kinds by points as bars, the totals
 * said as the API says them, a tap on a kind showing the communes running it and those running none; on a phone
 * nothing scrolls sideways. Screenshots in test/output/ for a person to look at.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Meta, screenshotPath } from "./helpers";

type Models = {
  unit: { name: string };
  kinds: { code: string; label: string; points: number; communes: number; inCatalog: boolean }[];
  distinctKinds: number;
  points: number;
  reportingCommunes: number;
  expectedCommunes: number;
  withoutList: { code: string; name: string }[] | null;
  kind: { running: { code: string; name: string; points: number }[]; without: { code: string }[] } | null;
};

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const vi = new Intl.NumberFormat("vi-VN");
const norm = (s: string | null) => (s ?? "").normalize("NFC").replace(/\s+/g, " ").trim();

describe("the models page", () => {
  let browser: Browser;
  const url = inject("productUrl");
  let meta: Meta;
  let models: Models;

  beforeAll(async () => {
    browser = await launchBrowser();
    meta = await api<Meta>(url, "/api/meta");
    models = await api<Models>(url, `/api/models?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport: { width: number; height: number }, kind?: string): Promise<Page> {
    const page = await browser.newPage({ viewport, locale: "vi-VN" });
    await page.goto(`${url}/?view=models${kind ? `&kind=${encodeURIComponent(kind)}` : ""}`);
    await page.locator(".models-bars").waitFor();
    return page;
  }

  it("reads each demo commune's list: kinds, points and the communes without one", async () => {
    expect(models.distinctKinds).toBeGreaterThan(15);
    expect(models.kinds.some((k) => !k.inCatalog)).toBe(true);
    expect(models.withoutList?.length).toBeGreaterThan(10);
    expect(models.reportingCommunes).toBeLessThan(models.expectedCommunes);
  });

  it("on a phone: the totals, the kinds by points, a tap showing who runs a kind and who does not", async () => {
    const page = await open(PHONE);
    expect(norm(await page.locator(".models-lead").textContent())).toBe(
      `${vi.format(models.distinctKinds)} loại mô hình với ${vi.format(models.points)} điểm, theo danh sách của ${vi.format(models.reportingCommunes)}/${vi.format(models.expectedCommunes)} xã.`,
    );
    const rows = page.locator(".models-bars .bar-row");
    expect(await rows.count()).toBe(models.kinds.length);
    const first = models.kinds[0]!;
    expect(norm(await rows.first().textContent())).toBe(
      `${first.label}${vi.format(first.points)} điểm · ${vi.format(first.communes)} xã`,
    );
    expect((await page.evaluate("document.documentElement.scrollWidth")) as number).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: await screenshotPath("models-phone.png"), fullPage: false });

    await rows.first().locator("a").click();
    await page.locator(".models-kind .models-running li").first().waitFor();
    const detail = await api<Models>(
      url,
      `/api/models?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}&kind=${encodeURIComponent(first.code)}`,
    );
    expect(await page.locator(".models-kind .models-running li").count()).toBe(detail.kind!.running.length);
    expect(await page.locator(".models-kind .models-units li").count()).toBe(detail.kind!.without.length);
    expect(detail.kind!.running.length).toBe(first.communes);
    expect(new URL(page.url()).searchParams.get("kind")).toBe(first.code);
    // The kind opens above the bars, the page back at its top: what was tapped is what the phone shows.
    expect(await page.locator(".models-kind h2").isVisible()).toBe(true);
    expect((await page.locator(".models-kind").boundingBox())!.y).toBeLessThan(PHONE.height / 2);
    expect((await page.evaluate("document.documentElement.scrollWidth")) as number).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: await screenshotPath("models-kind-phone.png"), fullPage: false });
    await page.close();
  });

  it("imports the catalog of model kinds checked by line, and refuses one dropping a kind communes run", async () => {
    const page = await browser.newPage({ viewport: PHONE, locale: "vi-VN" });
    await page.goto(`${url}/?view=admin&task=catalog`);
    await page.locator("details.model-types").waitFor();
    const catalog = await readFile(join(ROOT, "..", "shared", "spec", "model-types.csv"), "utf8");
    const choose = (name: string, csv: string) =>
      page
        .getByLabel("Tệp danh mục loại mô hình")
        .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
    const problems = page.locator(".file-import:has(#model-types-file) .import-problems li");
    // A bad code after the catalog's 22 kinds and a blank line: line 25.
    await choose("loai-mo-hinh.csv", `${catalog.trimEnd()}\n\nNha Van Hoa,Nhà văn hóa an toàn,\n`);
    await expect
      .poll(() => problems.allTextContents())
      .toEqual([expect.stringMatching(/^Dòng 25: Mã loại mô hình “Nha Van Hoa” không hợp lệ/)]);
    await page.locator(".file-import:has(#model-types-file)").screenshot({
      path: await screenshotPath("models-catalog-errors-phone.png"),
    });
    // Dropping the kind most communes run is refused whole, naming it.
    const top = models.kinds[0]!;
    const dropped = catalog
      .split("\n")
      .filter((l) => !l.includes(`,${top.label},`))
      .join("\n");
    await choose("bo-mot-loai.csv", dropped);
    await expect
      .poll(() => problems.allTextContents())
      .toEqual([expect.stringContaining(`(${top.label}, ${vi.format(top.communes)} xã)`)]);
    // The catalog with a new kind is imported.
    await choose("them-loai.csv", `${catalog.trimEnd()}\nnha_van_hoa_an_toan,Nhà văn hóa an toàn,\n`);
    await page.getByRole("button", { name: "Nhập tệp" }).click();
    await expect
      .poll(() => page.locator("details.model-types summary").textContent())
      .toMatch(/^23 loại mô hình đang dùng/);
    // The other tests' sheets are read against the catalog they started with: it is put back as it was.
    const back = await fetch(`${url}/api/admin/model-types`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: catalog,
    });
    expect(back.status).toBe(200);
    await page.close();
  });

  it("on a projector: the bars beside their names", async () => {
    const page = await open(PROJECTOR);
    await page.screenshot({ path: await screenshotPath("models-projector.png"), fullPage: false });
    await page.close();
  });

  it("in conference mode: the kinds and points beside the figures, on a projector", async () => {
    const now = await api<Models>(url, `/api/models?unit=${meta.defaultUnit}&period=${meta.defaultPeriod}`);
    const page = await browser.newPage({ viewport: PROJECTOR, locale: "vi-VN" });
    await page.goto(`${url}/?view=conference`);
    const line = page.locator(".conf-models");
    await line.waitFor();
    expect(norm(await line.textContent())).toContain(
      `Mô hình tự quản: ${vi.format(now.distinctKinds)} loại với ${vi.format(now.points)} điểm, tiêu biểu: ${now.kinds[0]!.label} (${vi.format(now.kinds[0]!.points)} điểm)`,
    );
    await page.screenshot({ path: await screenshotPath("models-conference-projector.png"), fullPage: false });
    await page.close();
  });
});
