/**
 * The product as `npm start` runs a folder whose google.json sets Google's read quota and five service accounts
 * (PRODUCT.md §6, §8): the stand-in refuses reads above the quota as Google does, the Worker is handed the five keys
 * and paced to match, and a run large enough for the sync Queue is followed to its end before the product is ready.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PROVINCE, generateDemo } from "../../demo/generate.mjs";
import { type Product, startProduct } from "../../scripts/local-product.mjs";

/**
 * Half of Google's quota per account and a third per project, so that the demo's 146 sheets (up to 37 per account)
 * cannot all be read in one minute: unpaced, the stand-in would refuse reads; paced at 11/12 of it (27 per account,
 * 91 for the project), the run has to wait for the second minute.
 */
const QUOTA = { readsPerMinutePerUser: 30, readsPerMinutePerProject: 100 };

type Run = {
  status: string;
  startedAt: string;
  finishedAt: string;
  sourcesTotal: number;
  sourcesRead: number;
  sourcesFailed: number;
};
type Source = { serviceAccount: string | null; lastStatus: string | null; lastError: string };

let work: string;
let product: Product;
let sheets: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "antq-quota-"));
  const fixtures = join(work, "sheets");
  await generateDemo(fixtures);
  await writeFile(join(fixtures, "google.json"), JSON.stringify({ serviceAccounts: 5, quota: QUOTA }));
  sheets = (await readdir(fixtures)).filter((f) => f.endsWith(".json") && f !== "google.json").length;
  // The demo's 146 sheets go through the sync Queue as a country's would (its threshold is 200 sources).
  product = await startProduct({
    fixturesDir: fixtures,
    stateDir: join(work, "state"),
    build: false,
    workerVars: { SYNC_QUEUE_THRESHOLD: "50" },
  });
}, 300_000);

afterAll(async () => {
  await product?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("npm start under Google's read quota, with five service accounts", () => {
  it("is ready only when the first run through the Queue has read every sheet, once each, with no read refused", async () => {
    const run = (product.firstSync as { run: Run }).run;
    expect(run.status).not.toBe("running");
    expect(run.sourcesRead + run.sourcesFailed).toBe(run.sourcesTotal);
    const stats = product.standin.stats;
    // One spreadsheets.get per sheet read; the pacing kept every read inside the quota.
    expect(stats["sheets.spreadsheets.get"]).toBeLessThanOrEqual(sheets);
    expect(stats["sheets.spreadsheets.get"]).toBeGreaterThanOrEqual(run.sourcesRead);
    expect(stats.quota_exceeded ?? 0).toBe(0);
    // Paced: more sheets than the project's first minute allows, so the reads went on into the next minute.
    expect(run.sourcesRead).toBeGreaterThan(QUOTA.readsPerMinutePerProject);
    expect(Date.parse(run.finishedAt) - Date.parse(run.startedAt)).toBeGreaterThan(60_000);
  });

  it("names on every source the one of the five accounts its sheet is read with, and no source failed for quota", async () => {
    const res = await fetch(`${product.url}/api/sources?unit=${DEMO_PROVINCE.code}`);
    const { sources } = (await res.json()) as { sources: Source[] };
    expect(sources.length).toBeGreaterThan(100);
    const accounts = new Set(sources.map((s) => s.serviceAccount));
    expect([...accounts].sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => `antq-read-${i}@local-standin.iam.gserviceaccount.com`),
    );
    for (const s of sources.filter((s) => s.lastStatus === "error"))
      expect(s.lastError).not.toMatch(/giới hạn số lần đọc|quota/i);
  });
});
