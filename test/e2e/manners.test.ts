/**
 * Web manners of the product as `npm start` runs it: the hashed bundles are kept by the browser for a year while the
 * page itself is asked about on every load, a bundle that is not there is a 404 (not the page), the site has a real
 * icon, and each reference file's template downloads from its page — with a renamed column said once, by name.
 */
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { screenshotPath } from "./helpers";

const IMMUTABLE = "public, max-age=31536000, immutable";

describe("the product's web manners", () => {
  const url = inject("productUrl");
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("keeps hashed bundles for a year and asks about the page on every load", async () => {
    const page = await fetch(`${url}/`);
    expect(page.headers.get("cache-control")).not.toContain("immutable");
    expect(page.headers.get("cache-control")).toMatch(/max-age=0|no-cache/);
    const html = await page.text();
    const bundles = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+-[\w-]{8}\.(?:js|css))"/g)].map((m) => m[1]);
    expect(bundles.some((b) => b?.endsWith(".js"))).toBe(true);
    expect(bundles.some((b) => b?.endsWith(".css"))).toBe(true);
    for (const bundle of bundles) {
      const res = await fetch(`${url}${bundle}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
      await res.arrayBuffer();
    }

    // An old build's bundle, asked for by a page opened before a deploy.
    const gone = await fetch(`${url}/assets/AdminView-0ldBu1ld.js`, { headers: { "sec-fetch-dest": "script" } });
    expect(gone.status).toBe(404);
    expect(gone.headers.get("cache-control")).toBe("no-store");
    expect(gone.headers.get("content-type")).not.toContain("text/html");
  });

  it("answers /favicon.ico and the page's SVG icon with images, not the page", async () => {
    const ico = await fetch(`${url}/favicon.ico`);
    expect(ico.headers.get("content-type")).toMatch(/^image\//);
    expect([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);

    const tab = await browser.newPage();
    await tab.goto(url);
    const icons = await tab
      .locator('link[rel="icon"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute("href")));
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) {
      const res = await fetch(new URL(icon ?? "", url));
      expect(res.headers.get("content-type")).toMatch(/^image\//);
      await res.arrayBuffer();
    }
    await tab.close();
  });

  it("downloads the catalog's template from “Danh mục”, and says a renamed column once, by name", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "vi-VN" });
    await page.goto(`${url}/?view=admin&task=catalog`);
    const catalog = page.locator(".file-import").filter({ has: page.getByLabel("Tệp danh mục chỉ tiêu") });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      catalog.getByRole("link", { name: "Tải tệp mẫu" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("mau-danh-muc-chi-tieu.csv");
    const template = await readFile(await download.path());
    expect([...template.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...examples] = template.toString("utf8").slice(1).trim().split("\r\n");
    expect(header).toMatch(/^code,group,label_vi,unit_vi,kind,/);
    expect(examples.length).toBeGreaterThan(0);

    // The template as an office might send it back, with the name column given a Vietnamese heading.
    const renamed = template.toString("utf8").replace(",label_vi,", ",ten_chi_tieu,");
    await page.getByLabel("Tệp danh mục chỉ tiêu").setInputFiles({
      name: "danh-muc.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(renamed),
    });
    const problems = page.locator(".import-problems li");
    await expect
      .poll(() => problems.allTextContents())
      .toEqual(["Dòng 1: Thiếu cột label_vi (tên chỉ tiêu); tệp có cột “ten_chi_tieu” — đổi tên cột thành label_vi"]);
    expect(await page.getByRole("button", { name: "Nhập tệp" }).count()).toBe(0);
    await page.locator(".import-problems").scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath("phone-admin-catalog-renamed-column.png") });
    await page.close();
  });
});
