import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { api, type Summary } from "./helpers";

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
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the province's security-team total, equal to the sum over the sheets, in vi-VN format", async () => {
    const url = inject("productUrl");
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
});
