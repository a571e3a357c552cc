/**
 * The dashboard under its security headers: a Content-Security-Policy without inline scripts that the page runs
 * under without a violation, development mode marked, and text from a sheet shown as text, never run as HTML.
 */
import { writeFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PROVINCE } from "../../demo/generate.mjs";
import { launchBrowser } from "./browser";
import { type FixtureSheet, readableSheets, syncAndWait } from "./helpers";

const PAYLOAD = "<img src=x onerror=alert(1)>";

describe("the dashboard's hardening", () => {
  let browser: Browser;
  let sheet: FixtureSheet;
  const url = inject("productUrl");

  beforeAll(async () => {
    browser = await launchBrowser();
    // The last readable sheet: the other end-to-end tests edit the first ones.
    sheet = (await readableSheets(inject("fixturesDir"))).at(-1)!;
  });
  afterAll(async () => {
    await browser?.close();
    if (sheet) {
      await writeFile(sheet.path, sheet.original);
      await syncAndWait(url);
    }
  });

  it("serves the page with a CSP that forbids inline scripts and framing, and the other security headers", async () => {
    for (const path of ["/", "/mot-trang-bat-ky"]) {
      const res = await fetch(`${url}${path}`);
      expect(res.headers.get("content-type")).toContain("text/html");
      const csp = res.headers.get("content-security-policy") ?? "";
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? /default-src ([^;]+)/.exec(csp)?.[1];
      expect(scriptSrc).toBe("'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    // The rules themselves are configuration, not a page.
    expect(await (await fetch(`${url}/_headers`)).text()).not.toContain("Content-Security-Policy:");
  });

  it("runs every view of the dashboard under that policy without a single violation", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(url);
    await expect.poll(() => page.locator(".figure-value").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    for (const view of ["indicator", "commune", "quality", "sync", "conference", "report"]) {
      await page.goto(`${url}/?view=${view}&unit=${DEMO_PROVINCE.code}&period=2025`);
      await page.waitForLoadState("networkidle");
    }
    expect(violations).toEqual([]);
    await page.close();
  });

  it("marks development mode visibly, as the local product runs in it", async () => {
    const meta = (await (await fetch(`${url}/api/meta`)).json()) as { principal: { via: string } };
    expect(meta.principal.via).toBe("development");
    const page = await browser.newPage();
    await page.goto(url);
    const badge = page.getByText("Chế độ phát triển", { exact: true });
    await expect.poll(() => badge.isVisible(), { timeout: 15_000 }).toBe(true);
    await page.close();
  });

  it("shows a sheet cell holding an <img onerror> tag as text, and runs nothing", async () => {
    const fixture = JSON.parse(sheet.original);
    const rows: unknown[][] = fixture.sheets[0].values;
    const header = rows.findIndex((r) => r.includes("Năm 2025"));
    const col = rows[header]!.indexOf("Năm 2025");
    const row = rows.find((r) => r.includes("security_team_count") || r.includes("Tổ BV ANTT"))!;
    row[col] = PAYLOAD;
    fixture.version = String(Number(fixture.version ?? 1) + 1000);
    fixture.modifiedTime = new Date().toISOString();
    await writeFile(sheet.path, JSON.stringify(fixture));
    await syncAndWait(url);

    const { issues } = (await (await fetch(`${url}/api/issues?unit=${DEMO_PROVINCE.code}&period=2025`)).json()) as {
      issues: { raw: string }[];
    };
    expect(issues.map((i) => i.raw)).toContain(PAYLOAD);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    // The data-quality view lists every rejected cell with what the clerk typed.
    await page.goto(`${url}/?view=quality&unit=${DEMO_PROVINCE.code}&period=2025`);
    const shown = page.getByText(PAYLOAD, { exact: false });
    let attempts = 0;
    const onScreen = async () =>
      (
        (await page
          .locator("main")
          .textContent()
          .catch(() => "")) ?? ""
      ).slice(0, 600);
    await expect
      .poll(
        async () => {
          // A busy machine can answer the first load slowly or with an error: load the view again now and then.
          if (++attempts % 10 === 0) await page.reload();
          return shown.count();
        },
        { timeout: 40_000, message: "the payload on the data-quality view" },
      )
      .toBeGreaterThan(0)
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\n— the page showed: ${await onScreen()}`);
      });
    expect(await shown.first().textContent()).toContain(PAYLOAD);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
