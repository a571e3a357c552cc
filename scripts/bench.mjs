// @ts-check
/**
 * `npm run bench`: the product at national scale on this machine (PRODUCT.md §7, issue 4).
 *
 * Builds a §8 folder in a temp dir from ../shared/data (every commune of the country, one `form` sheet each, every
 * typed indicator for 2024 and 2025), starts the real product on it (wrangler dev + local D1 + the Google stand-in),
 * runs the full sync through the Worker, then an unchanged re-sync, then loads the aggregation API, and compares it
 * with the floor: the Worker's own statements (bench/worker-sql.ts) run on a copy of its D1 database through
 * Miniflare from Node, without the Worker and without HTTP.
 * Writes BENCHMARKS.md and bench/results.json. `BENCH_PROVINCES=N` builds the folder from the first N provinces only
 * (a quick run of the same machinery; the figures are not the national ones).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { runnerImport } from "vite";
import { getPlatformProxy } from "wrangler";
import { seededRandom } from "../demo/generate.mjs";
import { parseCsv } from "../tools/csv.mjs";
import { ROOT, startProduct } from "./local-product.mjs";

const require = createRequire(import.meta.url);
/** autocannon ships no types. @type {(opts: Record<string, unknown>) => Promise<any>} */
const autocannon = require("autocannon");

/** Results go to the directory the bench is started from, so it can run from a snapshot of the tree (see README). */
const OUT = process.cwd();
const DATA = join(OUT, "..", "shared", "data", "admin-units-2025-07-01.csv");
const PERIODS = ["2024", "2025"];
const LIST = "2025-07-01";
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/** Requests for each province's (and the country's) cold summary and breakdown. */
const PER_UNIT = 25;
const COMMUNE_KINDS = ["commune", "ward", "special_zone"];
/** Provinces in the folder, in the unit list's order: all of them unless BENCH_PROVINCES says fewer. */
const PROVINCES = Number(process.env.BENCH_PROVINCES) || Infinity;
/**
 * The read under Google's quota (google.json, PRODUCT.md §8): five service accounts of one project, Sheets' own
 * limits. `BENCH_QUOTA=0` leaves it out (it takes the quota's own time: 3,321 sheets at 300 reads a minute ≥ 11 min).
 */
const QUOTA_RUN = process.env.BENCH_QUOTA !== "0";
const QUOTA = { readsPerMinutePerUser: 60, readsPerMinutePerProject: 300 };
const QUOTA_ACCOUNTS = 5;
/** Targets of the quota run (issue 25): minutes for the whole country, share of reads Google refuses. */
const QUOTA_MINUTES = 15;
const QUOTA_REFUSED = 0.01;

/** @param {string} msg */
const log = (msg) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/**
 * Plausible figures for one commune and year, consistent with §5 (parts within wholes, ≥ 3 members per team, no more
 * teams than residential areas), so the sync stores them all. @param {() => number} r @param {number} scale
 */
function communeFigures(r, scale) {
  const int = (/** @type {number} */ lo, /** @type {number} */ hi) => Math.round((lo + r() * (hi - lo)) * scale);
  const areas = Math.max(4, int(6, 40));
  const teams = Math.max(1, Math.min(areas, int(4, 30)));
  const agencies = Math.max(2, int(5, 80));
  const schools = Math.max(2, int(3, 20));
  /** @type {Record<string, number>} */
  const v = {
    security_team_count: teams,
    security_team_members: teams * (3 + Math.floor(r() * 3)),
    mediation_team_count: Math.max(1, int(3, 25)),
    self_managed_group_count: int(2, 40),
    self_managed_board_count: int(1, 20),
    club_count: int(0, 10),
    self_managed_model_count: int(5, 60),
    dan_van_kheo_model_count: int(0, 8),
    advanced_example_count: int(1, 12),
    residential_area_total: areas,
    residential_area_safe: Math.round(areas * (0.8 + 0.2 * r())),
    agency_enterprise_total: agencies,
    agency_enterprise_safe: Math.round(agencies * (0.85 + 0.15 * r())),
    school_total: schools,
    school_safe: Math.round(schools * (0.9 + 0.1 * r())),
    commune_safe: r() < 0.85 ? 1 : 0,
    crime_tip_received: int(10, 300),
    tip_mailbox_count: int(1, 15),
    guns_recovered: int(0, 5),
    ammo_rounds: int(0, 200),
    explosives_kg: Math.round(r() * 50 * scale) / 10,
    edged_weapons_count: int(0, 40),
    support_tools_count: int(0, 10),
    fireworks_kg: Math.round(r() * 300 * scale) / 10,
    persons_reformed: int(0, 30),
    ex_prisoners_supported: int(0, 25),
    ex_prisoner_loans_million_vnd: Math.round(r() * 2000 * scale) / 10,
    festival_areas_held: Math.min(areas, int(3, 40)),
    festival_participants: int(500, 8000),
    commended_collectives: int(0, 20),
    commended_individuals: int(0, 40),
  };
  return v;
}

/** The national §8 folder: units.csv, sources.csv and one form sheet per commune. @param {string} dir */
async function buildNationalFolder(dir) {
  const unitsCsv = await readFile(DATA, "utf8");
  const units = parseCsv(unitsCsv);
  const catalog = parseCsv(await readFile(join(ROOT, "catalog", "indicators.csv"), "utf8")).filter(
    (i) => i.kind !== "ratio",
  );
  const provinces = units.filter((u) => !u.parent_code).slice(0, PROVINCES);
  const inFolder = new Set(provinces.map((p) => p.code));
  const communes = units.filter((u) => COMMUNE_KINDS.includes(u.kind ?? "") && inFolder.has(u.parent_code));
  await writeFile(join(dir, "units.csv"), unitsCsv);
  let sources = "unit_code,sheet,tab,layout\n";
  let values = 0;
  /** @type {Map<string, { province: string, years: Record<string, number>[] }>} */
  const figures = new Map();
  for (const [n, c] of communes.entries()) {
    // The same draws for both years, last year a little lower: no value jumps enough to be flagged (§5).
    const before = communeFigures(seededRandom(n + 1), 0.92);
    const now = communeFigures(seededRandom(n + 1), 1);
    figures.set(c.code ?? "", { province: c.parent_code ?? "", years: [before, now] });
    const id = `bench-${c.code}`;
    const rows = catalog.map((ind, i) => [
      i + 1,
      ind.label_vi,
      ind.code,
      ind.unit_vi,
      before[ind.code ?? ""] ?? "",
      now[ind.code ?? ""] ?? "",
    ]);
    values += rows.length * PERIODS.length;
    const sheet = {
      properties: { title: `Biểu số liệu ANTQ - ${c.full_name}`, locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
      modifiedTime: "2026-11-20T03:15:00Z",
      version: "1",
      access: "ok",
      sheets: [
        {
          properties: { sheetId: 0, title: "Năm 2025" },
          values: [
            [`UBND ${(c.full_name ?? "").toUpperCase()}`],
            ["BIỂU SỐ LIỆU PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ"],
            ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Năm 2024", "Năm 2025", "Ghi chú"],
            ...rows,
          ],
        },
      ],
    };
    await writeFile(join(dir, `${id}.json`), JSON.stringify(sheet));
    sources += `${c.code},https://docs.google.com/spreadsheets/d/${id}/edit#gid=0,,form\n`;
  }
  await writeFile(join(dir, "sources.csv"), sources);
  const size = new Map(provinces.map((p) => [p.code, communes.filter((c) => c.parent_code === p.code).length]));
  const largest = [...size.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  return {
    communes: communes.length,
    provinces: provinces.map((p) => ({ code: p.code ?? "", communes: size.get(p.code) ?? 0 })),
    indicators: catalog.length,
    values,
    largest: { code: largest[0], communes: largest[1], kind: provinces.find((p) => p.code === largest[0])?.kind ?? "" },
    figures,
  };
}

/**
 * What the summary of a unit (a province, or `VN`) must say, summed here from the sheets' own figures: each typed
 * indicator's 2025 and 2024 totals, each ratio's Σ numerator / Σ denominator. @param {any} data @param {string} unit
 * @param {Record<string, string>[]} ratios
 */
function expectedSummary(data, unit, ratios) {
  /** @type {Record<string, number>} */
  const before = {};
  /** @type {Record<string, number>} */
  const now = {};
  for (const { province, years } of data.figures.values()) {
    if (unit !== "VN" && province !== unit) continue;
    for (const [i, sums] of [before, now].entries())
      for (const [code, v] of Object.entries(years[i])) sums[code] = (sums[code] ?? 0) + v;
  }
  for (const r of ratios) {
    const [n = "", d = ""] = [r.numerator, r.denominator];
    now[r.code ?? ""] = (100 * (now[n] ?? 0)) / (now[d] ?? 1);
    before[r.code ?? ""] = (100 * (before[n] ?? 0)) / (before[d] ?? 1);
  }
  return { now, before };
}

/**
 * Indicators whose value or previous value differ from the sheets' sums by more than rounding (1e-6), and the largest
 * difference. @param {any} summary @param {{ now: Record<string, number>, before: Record<string, number> }} want
 */
function compareSummary(summary, want) {
  let worst = 0;
  /** @type {string[]} */
  const wrong = [];
  for (const i of summary.indicators) {
    if (!(i.code in want.now)) continue;
    const off = Math.max(
      Math.abs(i.value - (want.now[i.code] ?? NaN)),
      Math.abs(i.previous - (want.before[i.code] ?? NaN)),
    );
    worst = Math.max(worst, Number.isFinite(off) ? off : Infinity);
    if (!(off <= 1e-6)) wrong.push(i.code);
  }
  return { checked: Object.keys(want.now).length, wrong, worst };
}

/**
 * JSON over plain node:http: a request without an answer within `timeoutMs` fails (a sync is followed through its
 * runs when its own request gives up).
 * @param {string} method @param {string} url @param {number} [timeoutMs]
 */
function httpJson(method, url, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a kept-alive one that wrangler dev's proxy has reset would leave this waiting.
    const req = request(url, { method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("error", reject);
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body ? JSON.parse(body) : null });
        } catch {
          reject(new Error(`${method} ${url}: ${res.statusCode} ${body.slice(0, 200)}`));
        }
      });
    });
    req.on("error", reject);
    if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.end();
  });
}

const FINISHED = ["ok", "partial", "failed"];

/** The newest run, or null. @param {string} url @returns {Promise<any>} */
async function newestRun(url) {
  return (await syncRuns(url))[0] ?? null;
}

/**
 * The runs, newest first. A request that wrangler dev's proxy leaves unanswered is asked again (a few times) rather
 * than ending the benchmark. @param {string} url @returns {Promise<any[]>}
 */
async function syncRuns(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      /** @type {any} */
      const res = await httpJson("GET", `${url}/api/sync/runs`, 15_000);
      return res.body.runs;
    } catch (err) {
      if (attempt >= 8) throw err;
      log(`GET /api/sync/runs: ${String(err)}; asking again`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/**
 * Starts a sync (waiting out the manual-sync rate limit) and waits for the run to finish. A long POST can lose its
 * connection while the run goes on, so the run is then followed through GET /api/sync/runs. @param {string} url
 */
async function syncAndWait(url) {
  let waited = 0;
  const before = (await newestRun(url))?.id ?? 0;
  const t0 = performance.now();
  for (;;) {
    /** @type {any} */
    let res;
    try {
      res = await httpJson("POST", `${url}/api/sync`, 20_000);
    } catch (err) {
      log(`POST /api/sync: ${String(err)}; following the run through /api/sync/runs`);
      res = null;
    }
    if (res?.status === 429) {
      const seconds = Number(res.headers["retry-after"] ?? 30);
      const newest = await newestRun(url);
      if (!(newest && newest.id > before)) {
        log(`manual sync rate-limited: waiting ${seconds} s`);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        waited += seconds;
        continue;
      }
    } else if (res && res.status !== 200) throw new Error(`POST /api/sync → ${res.status} ${JSON.stringify(res.body)}`);
    let run = res?.status === 200 ? res.body.run : await newestRun(url);
    if (!run || (run.id ?? run.runId) <= before) {
      // The request was lost before a run started: ask again.
      await new Promise((r) => setTimeout(r, 5000));
      continue;
    }
    const id = run.id ?? run.runId;
    while (!FINISHED.includes(run.status)) {
      await new Promise((r) => setTimeout(r, 1000));
      run = (await syncRuns(url)).find((/** @type {any} */ r) => r.id === id) ?? run;
    }
    return { run, seconds: (performance.now() - t0) / 1000 - waited, rateLimitWait: waited };
  }
}

/** @param {string} standinUrl */
async function standinStats(standinUrl) {
  /** @type {any} */
  const res = await httpJson("GET", `${standinUrl}/__standin/stats`);
  /** @type {Record<string, number>} */
  const stats = res.body;
  const google = Object.entries(stats)
    .filter(([k]) => k !== "token")
    .reduce((n, [, v]) => n + v, 0);
  return { byEndpoint: stats, google };
}

/**
 * One connection, one request after another: the latency a single dashboard sees, the rows D1 read for each answer
 * and its time in D1, both from the answer's `Server-Timing`; and the first answer's body. @param {string} url
 */
async function sequential(url, n = 100) {
  /** @type {number[]} */
  const times = [];
  /** @type {number[]} */
  const d1 = [];
  let rows = 0;
  let body = null;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
    times.push(performance.now() - t0);
    const timing = res.headers.get("server-timing") ?? "";
    rows = Math.max(rows, Number(/rows_read=(\d+)/.exec(timing)?.[1] ?? NaN));
    d1.push(Number(/d1;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
    if (i === 0) body = JSON.parse(text);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows, d1: percentile(d1, 50), body };
}

/** @param {number[]} xs @param {number} p */
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** 50 connections for LOAD_SECONDS. @param {string} url @param {Record<string, string>} [headers] */
async function load(url, headers) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS, headers });
  const ok = r["2xx"] + (r["3xx"] ?? 0);
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    ok,
    errors: r.errors + r.non2xx - (r["3xx"] ?? 0),
  };
}

/**
 * @typedef {{ sql: string, params: unknown[] }} Statement
 * @typedef {{ stored: Statement[], fromValues: Statement[] }} Paths
 * @typedef {{ unit: string, kind: string, period: string, listDate: string, indicator: string }} Read
 * @typedef {{ meta?: { duration?: number } }} Result
 * @typedef {{ prepare: (sql: string) => { bind: (...params: unknown[]) => unknown },
 *   batch: (statements: unknown[]) => Promise<Result[]> }} D1
 */

/**
 * The floor's statements are the Worker's own: bench/worker-sql.ts builds them with the functions a summary and a
 * breakdown run (worker/aggregate, worker/rollups/read.ts, worker/db), loaded here through Vite.
 * @returns {Promise<(r: Read) => Promise<{ summary: Paths, breakdown: Paths }>>}
 */
async function loadWorkerStatements() {
  /** @type {{ module: any }} */
  const { module } = await runnerImport(join(ROOT, "bench", "worker-sql.ts"), {
    root: ROOT,
    configFile: false,
    logLevel: "warn",
  });
  return module.workerStatements;
}

/**
 * The D1 database the Worker synced, without the Worker: a copy of its local state (taken while nothing writes),
 * opened by Miniflare from Node with wrangler.toml's binding. @param {string} stateDir @param {string} work
 */
async function floorDatabase(stateDir, work) {
  const copy = join(work, "floor-state");
  await cp(join(stateDir, "v3", "d1"), join(copy, "v3", "d1"), { recursive: true });
  const proxy = await getPlatformProxy({
    configPath: join(ROOT, "wrangler.toml"),
    persist: { path: join(copy, "v3") },
    remoteBindings: false,
    envFiles: [],
  });
  return { db: /** @type {D1} */ (proxy.env.DB), dispose: () => proxy.dispose() };
}

/**
 * Median and p99 of running the statements on the database, in ms: the wall clock around one D1 batch of them all (one
 * trip from Node to workerd and back, where a `.all()` each would add a trip per statement) and D1's own
 * `meta.duration`, summed over the statements. @param {D1} db @param {Statement[]} statements
 */
async function floor(db, statements, n = 50) {
  const bound = statements.map((s) => db.prepare(s.sql).bind(...s.params));
  /** @type {number[]} */
  const wall = [];
  /** @type {number[]} */
  const d1 = [];
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    const results = await db.batch(bound);
    if (i < 5) continue;
    wall.push(performance.now() - t0);
    d1.push(results.reduce((sum, r) => sum + (r.meta?.duration ?? NaN), 0));
  }
  return {
    p50: percentile(wall, 50),
    p99: percentile(wall, 99),
    d1: { p50: percentile(d1, 50), p99: percentile(d1, 99) },
  };
}

/**
 * Every sheet of the folder read again from a fresh D1, as `npm start` runs it under google.json's quota: the stand-in
 * refuses reads above Google's limits, the Worker reads with five accounts and is paced to match. Its time is set
 * against the quota's own floor: the sheets over the project's reads a minute, or the busiest account's sheets over
 * its own, whichever is longer.
 * @param {string} fixturesDir @param {string} work @param {any} data @param {Record<string, string>[]} ratios
 */
async function quotaSync(fixturesDir, work, data, ratios) {
  await writeFile(join(fixturesDir, "google.json"), JSON.stringify({ serviceAccounts: QUOTA_ACCOUNTS, quota: QUOTA }));
  const product = await startProduct({
    fixturesDir,
    stateDir: join(work, "state-quota"),
    sync: false,
    build: false,
    log,
  });
  try {
    await httpJson("POST", `${product.standinUrl}/__standin/reset`);
    log(`national read under the quota (${QUOTA_ACCOUNTS} accounts, ${JSON.stringify(QUOTA)})…`);
    const read = await syncAndWait(product.url);
    const stats = await standinStats(product.standinUrl);
    log(`quota read: ${read.seconds.toFixed(1)} s, ${JSON.stringify(read.run)}, ${JSON.stringify(stats.byEndpoint)}`);
    /** @type {any} */
    const listed = await httpJson("GET", `${product.url}/api/sources`);
    /** @type {Map<string, number>} */
    const perAccount = new Map();
    for (const s of listed.body.sources) perAccount.set(s.serviceAccount, (perAccount.get(s.serviceAccount) ?? 0) + 1);
    let exact = { checked: 0, wrong: /** @type {string[]} */ ([]) };
    for (const p of [...data.provinces, { code: "VN" }]) {
      const summary = await sequential(`${product.url}/api/summary?unit=${p.code}&period=2025`, 1);
      const check = compareSummary(summary.body, expectedSummary(data, p.code, ratios));
      exact = { checked: exact.checked + check.checked, wrong: [...exact.wrong, ...check.wrong] };
    }
    const reads = stats.byEndpoint["sheets.spreadsheets.get"] ?? 0;
    const refused = stats.byEndpoint.quota_exceeded ?? 0;
    const busiest = Math.max(...perAccount.values());
    const floorSeconds =
      60 * Math.max(data.communes / QUOTA.readsPerMinutePerProject, busiest / QUOTA.readsPerMinutePerUser);
    return {
      seconds: read.seconds,
      run: read.run,
      byEndpoint: stats.byEndpoint,
      readsPerSheet: reads / data.communes,
      refused,
      refusedShare: reads ? refused / reads : 0,
      accounts: Object.fromEntries([...perAccount.entries()].sort()),
      floorSeconds,
      exact: { checked: exact.checked, wrong: exact.wrong.length },
    };
  } finally {
    await product.stop();
  }
}

const ms = (/** @type {number} */ x) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : "–");

/** @param {any} r */
function markdown(r) {
  const cold = (/** @type {any} */ x) => `${ms(x.p50)} / ${ms(x.p99)} ms | ${x.rows} | ${ms(x.d1)} ms`;
  const lines = [
    "# Benchmarks",
    "",
    "`npm run bench` (scripts/bench.mjs) on the national case: every commune of `../shared/data/admin-units-2025-07-01.csv`",
    "with its own `form` sheet in the Google stand-in, every typed indicator for 2024 and 2025, synced through the real",
    "Worker on local workerd + D1 (`wrangler dev`), then the read API loaded over HTTP. The Worker runs with",
    "`FIGURE_CACHE=false`: every answer below is computed from D1 on its request, as on a cold isolate.",
    "",
    `Run ${r.date} on ${r.cores} cores (${r.cpu}), Node ${r.node}.`,
    "",
    "## Targets",
    "",
    targets(r),
    "",
    "## Data",
    "",
    `${r.data.provinces.length} provinces, ${r.data.communes} communes (one source each), ${r.data.indicators} typed indicators × ${PERIODS.length} years = ${r.data.values} values in the sheets.`,
    "",
    `Exactness: every province's and the country's summary compared with the sums of the sheets' own figures (each typed`,
    `indicator for 2025 and 2024, each ratio's Σ numerator / Σ denominator): ${r.exact.checked} figures, ${r.exact.wrong.length} off by more than 1e-6${r.exact.wrong.length ? ` (${r.exact.wrong.slice(0, 10).join(", ")})` : ""}; largest difference ${r.exact.worst}.`,
    "",
    "## Sync",
    "",
    `A catalog import, which rebuilds every roll-up of the country in its own batch, took ${r.rebuild.seconds.toFixed(1)} s; the national summary after it had ${r.rebuild.wrong} figures off.`,
    "",
    "| run | wall time | sources read / skipped / failed | values written | values/s | Google requests |",
    "|---|---:|---:|---:|---:|---:|",
    `| full sync | ${r.fullSync.seconds.toFixed(1)} s | ${r.fullSync.run.sourcesRead} / ${r.fullSync.run.sourcesSkipped} / ${r.fullSync.run.sourcesFailed} | ${r.fullSync.run.valuesWritten} | ${Math.round(r.fullSync.valuesPerSecond)} | ${r.fullSync.google} (${fmtStats(r.fullSync.byEndpoint)}) |`,
    `| unchanged re-sync | ${r.resync.seconds.toFixed(1)} s | ${r.resync.run.sourcesRead} / ${r.resync.run.sourcesSkipped} / ${r.resync.run.sourcesFailed} | ${r.resync.run.valuesWritten} | – | ${r.resync.google} (${fmtStats(r.resync.byEndpoint)}) |`,
    "",
    r.resync.rateLimitWait
      ? `The re-sync first waited ${r.resync.rateLimitWait} s for the manual-sync rate limit (not counted in its time).`
      : "",
    "",
    ...quotaSection(r.quota, r.data.communes),
    "## Read API",
    "",
    `One connection (requests one after another, 100 each) and ${CONNECTIONS} concurrent connections for ${LOAD_SECONDS} s (autocannon).`,
    'Rows and D1 time are read from each answer\'s `Server-Timing` (`d1;dur=…;desc="rows_read=N"`): the most rows any',
    "answer read, and the median time in D1. The floor is the Worker's own statements for that answer (bench/worker-sql.ts)",
    "run as one D1 batch on a copy of its D1 database through Miniflare from Node (no Worker, no HTTP, no JSON): the wall",
    "clock around the batch, and in brackets D1's own time (`meta.duration`, whole milliseconds, summed).",
    "",
    "| endpoint | 1 conn p50 | 1 conn p99 | rows read | D1 p50 | 50 conn p50 | 50 conn p99 | req/s (50 conn) | floor p50 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.api.map(
      (/** @type {any} */ a) =>
        `| ${a.name} | ${a.single ? `${ms(a.single.p50)} ms | ${ms(a.single.p99)} ms | ${a.single.rows} | ${ms(a.single.d1)} ms` : "– | – | – | –"} | ${ms(a.load.p50)} ms | ${ms(a.load.p99)} ms | ${Math.round(a.load.rps)} | ${a.floor ? `${ms(a.floor.p50)} ms (${ms(a.floor.d1.p50)} ms)` : "–"} |`,
    ),
    "",
    `Before the roll-ups, a national summary summed every commune value on each cold read: its statements computed from the values (the Worker's path until the roll-ups are built) take ${ms(r.beforeRollups.p50)} ms (${ms(r.beforeRollups.d1.p50)} ms in D1) on the same database.`,
    "",
    "With 50 connections on one workerd isolate, requests queue: the 50-connection p50 is roughly 50 × the service time,",
    "so req/s is the figure to read there; the one-connection latencies are what one dashboard sees.",
    "",
    "## Every province, cold",
    "",
    `${PER_UNIT} requests each, one connection: latency p50 / p99, the most rows an answer read, and the median D1 time.`,
    "",
    "| unit | communes | summary p50 / p99 | rows | D1 | breakdown p50 / p99 | rows | D1 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...r.provinces.map(
      (/** @type {any} */ p) => `| ${p.code} | ${p.communes} | ${cold(p.summary)} | ${cold(p.breakdown)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** The read under Google's quota, as `npm start` runs a folder whose google.json sets one. @param {any} q @param {number} sheets */
function quotaSection(q, sheets) {
  if (!q) return ["The read under Google's quota was left out (`BENCH_QUOTA=0`).", ""];
  const minutes = (/** @type {number} */ sec) => `${(sec / 60).toFixed(1)} min`;
  return [
    "## Under Google's quota",
    "",
    `The same ${sheets} sheets read again into a fresh D1 as \`npm start\` runs a folder whose \`google.json\` says`,
    `\`{ "serviceAccounts": ${QUOTA_ACCOUNTS}, "quota": ${JSON.stringify(QUOTA)} }\`: the stand-in refuses every Sheets read`,
    "above those limits in each clock minute, as Google does (429 RESOURCE_EXHAUSTED), and the Worker reads with the five",
    "accounts' keys through the sync Queue, paced at 55 reads a minute per account and 275 for the project.",
    "",
    "| wall time | the quota's floor | sources read / failed | Sheets reads per sheet | refused for quota | figures off |",
    "|---:|---:|---:|---:|---:|---:|",
    `| ${minutes(q.seconds)} | ${minutes(q.floorSeconds)} | ${q.run.sourcesRead} / ${q.run.sourcesFailed} | ${q.readsPerSheet.toFixed(2)} | ${q.refused} (${(100 * q.refusedShare).toFixed(2)} %) | ${q.exact.wrong} of ${q.exact.checked} |`,
    "",
    `Sheets per account, as the sources name them: ${Object.entries(q.accounts)
      .map(([email, n]) => `${email.split("@")[0]} ${n}`)
      .join(", ")}. The floor is the longer of ${sheets} sheets at ${QUOTA.readsPerMinutePerProject} reads a minute`,
    `and the busiest account's sheets at ${QUOTA.readsPerMinutePerUser}. Google requests: ${fmtStats(q.byEndpoint)}.`,
    "",
  ];
}

/** The targets, each with the measured figure and whether it is met. @param {any} r */
function targets(r) {
  const [health, national, province, nationalBreakdown, provinceBreakdown] = r.api;
  const yes = (/** @type {boolean} */ ok) => (ok ? "met" : "**not met**");
  const reads = Object.entries(r.resync.byEndpoint)
    .filter(([k]) => k.startsWith("sheets."))
    .reduce((n, [, v]) => n + Number(v), 0);
  const own = r.provinces.filter((/** @type {any} */ p) => p.code !== "VN");
  const most = own.reduce((/** @type {any} */ m, /** @type {any} */ p) => (p.summary.rows > m.summary.rows ? p : m));
  const slowest = own.reduce((/** @type {any} */ m, /** @type {any} */ p) => (p.summary.p50 > m.summary.p50 ? p : m));
  const rows = [
    ["national summary reads ≤ 1,000 rows", `${national.single.rows}`, national.single.rows <= 1000],
    [
      `every province's summary reads ≤ 500 rows (most: ${most.code})`,
      `${most.summary.rows}`,
      most.summary.rows <= 500,
    ],
    [
      "cold national summary ≤ 3 × /api/health (1 connection p50)",
      `${ms(national.single.p50)} / ${ms(health.single.p50)} ms = ${(national.single.p50 / health.single.p50).toFixed(2)}`,
      national.single.p50 <= 3 * health.single.p50,
    ],
    [
      `slowest province's cold summary ≤ 3 × /api/health (${slowest.code}, 1 connection p50)`,
      `${ms(slowest.summary.p50)} / ${ms(health.single.p50)} ms = ${(slowest.summary.p50 / health.single.p50).toFixed(2)}`,
      slowest.summary.p50 <= 3 * health.single.p50,
    ],
    ...[nationalBreakdown, provinceBreakdown].flatMap((a) => [
      [
        `breakdown p99 ≤ 4 × p50, ${a.name} (1 connection)`,
        `${ms(a.single.p99)} / ${ms(a.single.p50)} ms`,
        a.single.p99 <= 4 * a.single.p50,
      ],
      [
        `breakdown p99 ≤ 4 × p50, ${a.name} (50 connections)`,
        `${ms(a.load.p99)} / ${ms(a.load.p50)} ms`,
        a.load.p99 <= 4 * a.load.p50,
      ],
    ]),
    ["summary p50 ≤ 20 ms, province (1 connection)", `${ms(province.single.p50)} ms`, province.single.p50 <= 20],
    ["summary p50 ≤ 50 ms, national (1 connection)", `${ms(national.single.p50)} ms`, national.single.p50 <= 50],
    [
      "every figure exactly the sheets' sums",
      `${r.exact.wrong.length} of ${r.exact.checked} off`,
      r.exact.wrong.length === 0,
    ],
    ["full national sync ≤ 120 s", `${r.fullSync.seconds.toFixed(1)} s`, r.fullSync.seconds <= 120],
    [
      "unchanged re-sync reads no values and writes nothing",
      `${reads} Sheets reads, ${r.resync.run.valuesWritten} values written`,
      reads === 0 && r.resync.run.valuesWritten === 0,
    ],
    ...(r.quota
      ? [
          [
            `national read under Google's quota (${QUOTA_ACCOUNTS} accounts, one project) ≤ ${QUOTA_MINUTES} min`,
            `${(r.quota.seconds / 60).toFixed(1)} min (floor ${(r.quota.floorSeconds / 60).toFixed(1)})`,
            r.quota.seconds <= QUOTA_MINUTES * 60,
          ],
          ["no source failed under the quota", `${r.quota.run.sourcesFailed} failed`, r.quota.run.sourcesFailed === 0],
          [
            `Sheets reads refused for quota ≤ ${100 * QUOTA_REFUSED} %`,
            `${(100 * r.quota.refusedShare).toFixed(2)} %`,
            r.quota.refusedShare <= QUOTA_REFUSED,
          ],
          [
            "every figure exact after the read under the quota",
            `${r.quota.exact.wrong} of ${r.quota.exact.checked} off`,
            r.quota.exact.wrong === 0,
          ],
        ]
      : []),
  ];
  return [
    "| target | measured | |",
    "|---|---:|---|",
    ...rows.map(([t, m, ok]) => `| ${t} | ${m} | ${yes(Boolean(ok))} |`),
  ].join("\n");
}

/** @param {Record<string, number>} s */
const fmtStats = (s) =>
  Object.entries(s)
    .filter(([k]) => k !== "token")
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ") || "none";

async function main() {
  const work = await mkdtemp(join(tmpdir(), "aggregation-bench-"));
  const fixturesDir = join(work, "sheets");
  await mkdir(fixturesDir);
  log(`building the national folder in ${fixturesDir}`);
  const data = await buildNationalFolder(fixturesDir);
  log(
    `${data.communes} communes, ${data.values} values; largest province ${data.largest.code} (${data.largest.communes} communes)`,
  );
  const product = await startProduct({
    fixturesDir,
    stateDir: join(work, "state"),
    sync: false,
    workerVars: { GOOGLE_READS_PER_MINUTE: "0", FIGURE_CACHE: "false" },
    log,
  });
  /** @type {{ db: D1, dispose: () => Promise<void> } | null} */
  let floorDb = null;
  try {
    await httpJson("POST", `${product.standinUrl}/__standin/reset`);
    log("full sync…");
    const full = await syncAndWait(product.url);
    const fullStats = await standinStats(product.standinUrl);
    log(`full sync: ${full.seconds.toFixed(1)} s, ${JSON.stringify(full.run)}`);

    await httpJson("POST", `${product.standinUrl}/__standin/reset`);
    log("unchanged re-sync…");
    const again = await syncAndWait(product.url);
    const againStats = await standinStats(product.standinUrl);
    log(`re-sync: ${again.seconds.toFixed(1)} s, ${JSON.stringify(again.run)}`);

    const province = data.largest.code ?? "";
    // Copied now, while nothing writes: the floor's database holds what the reads below read.
    floorDb = await floorDatabase(product.stateDir, work);
    const workerStatements = await loadWorkerStatements();
    const read = { period: "2025", listDate: LIST, indicator: "security_team_count" };
    const national = await workerStatements({ ...read, unit: "VN", kind: "country" });
    const largest = await workerStatements({ ...read, unit: province, kind: data.largest.kind });
    const ratios = parseCsv(await readFile(join(ROOT, "catalog", "indicators.csv"), "utf8")).filter(
      (i) => i.kind === "ratio",
    );
    // What any answer costs here before the aggregation does anything: wrangler dev's proxy, workerd, the router, one
    // D1 row. Every figure below is computed on each request: the Worker runs with FIGURE_CACHE=false.
    await sequential(`${product.url}/api/health`, 10);
    const health = await sequential(`${product.url}/api/health`, 100);

    log("every province, cold: summary and breakdown");
    const provinces = [];
    let exact = { checked: 0, wrong: /** @type {string[]} */ ([]), worst: 0 };
    for (const p of [...data.provinces, { code: "VN", communes: data.communes }]) {
      const summary = await sequential(`${product.url}/api/summary?unit=${p.code}&period=2025`, PER_UNIT);
      const breakdown = await sequential(
        `${product.url}/api/breakdown?unit=${p.code}&period=2025&indicator=security_team_count`,
        PER_UNIT,
      );
      const check = compareSummary(summary.body, expectedSummary(data, p.code, ratios));
      exact = {
        checked: exact.checked + check.checked,
        wrong: [...exact.wrong, ...check.wrong.map((c) => `${p.code}/${c}`)],
        worst: Math.max(exact.worst, check.worst),
      };
      provinces.push({
        code: p.code,
        communes: p.communes,
        summary: { ...summary, body: undefined },
        breakdown: { ...breakdown, body: undefined },
      });
    }
    log(`exactness: ${exact.checked} figures checked, ${exact.wrong.length} wrong, largest difference ${exact.worst}`);

    const endpoints = [
      { name: "health", path: "/api/health", floor: null },
      {
        name: "summary, national (VN)",
        path: `/api/summary?unit=VN&period=2025`,
        floor: national.summary.stored,
      },
      {
        name: `summary, province ${province} (${data.largest.communes} communes)`,
        path: `/api/summary?unit=${province}&period=2025`,
        floor: largest.summary.stored,
      },
      {
        name: "breakdown, national (34 provinces), security_team_count",
        path: `/api/breakdown?unit=VN&period=2025&indicator=security_team_count`,
        floor: national.breakdown.stored,
      },
      {
        name: `breakdown, province ${province} (${data.largest.communes} communes), security_team_count`,
        path: `/api/breakdown?unit=${province}&period=2025&indicator=security_team_count`,
        floor: largest.breakdown.stored,
      },
    ];
    const api = [];
    for (const e of endpoints) {
      const url = product.url + e.path;
      log(`loading ${e.name}`);
      const single = e.name === "health" ? health : await sequential(url, 100);
      const loaded = await load(url);
      const fl = e.floor ? await floor(floorDb.db, e.floor) : null;
      api.push({ name: e.name, path: e.path, single: { ...single, body: undefined }, load: loaded, floor: fl });
      log(
        `${e.name}: 1 conn p50 ${ms(single.p50)} ms, ${single.rows} rows, 50 conn p50 ${ms(loaded.p50)} ms, floor ${fl ? ms(fl.p50) : "–"} ms`,
      );
    }
    // A hall of dashboards that already hold the figures: conditional requests answered 304.
    const head = endpoints[1] ?? { path: "" };
    const first = await fetch(product.url + head.path);
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    const revalidate = await load(product.url + head.path, { "if-none-match": etag });
    api.push({
      name: "summary, national (VN), If-None-Match (304)",
      path: head.path,
      single: null,
      load: revalidate,
      floor: null,
    });
    const beforeRollups = await floor(floorDb.db, national.summary.fromValues, 10);

    // A catalog import rebuilds every roll-up in its own batch: what an administrator waits for at national scale.
    const catalogCsv = await readFile(join(ROOT, "catalog", "indicators.csv"), "utf8");
    const t0 = performance.now();
    const imported = await fetch(`${product.url}/api/admin/catalog`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: catalogCsv,
    });
    await imported.arrayBuffer();
    if (!imported.ok) throw new Error(`catalog import → ${imported.status}`);
    const rebuild = { seconds: (performance.now() - t0) / 1000 };
    const afterRebuild = await sequential(`${product.url}/api/summary?unit=VN&period=2025`, 1);
    const rebuilt = compareSummary(afterRebuild.body, expectedSummary(data, "VN", ratios));
    log(`catalog import (every roll-up rebuilt): ${rebuild.seconds.toFixed(1)} s, ${rebuilt.wrong.length} figures off`);

    // The first product goes before the second starts: two would share the machine's cores.
    await floorDb.dispose();
    floorDb = null;
    await product.stop();
    const quota = QUOTA_RUN ? await quotaSync(fixturesDir, work, data, ratios) : null;

    const results = {
      date: new Date().toISOString(),
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      node: process.version,
      data: { ...data, figures: undefined },
      fullSync: {
        seconds: full.seconds,
        run: full.run,
        valuesPerSecond: full.run.valuesWritten / full.seconds,
        google: fullStats.google,
        byEndpoint: fullStats.byEndpoint,
      },
      resync: {
        seconds: again.seconds,
        rateLimitWait: again.rateLimitWait,
        run: again.run,
        google: againStats.google,
        byEndpoint: againStats.byEndpoint,
      },
      floorMethod:
        "the Worker's own statements (bench/worker-sql.ts), prepared, bound and run as one D1 batch on a copy of its D1 database through Miniflare (wrangler's getPlatformProxy) from Node; p50/p99 are the wall clock around the batch, d1 the sum of D1's meta.duration",
      exact,
      rebuild: { ...rebuild, wrong: rebuilt.wrong.length },
      quota,
      provinces,
      api,
      beforeRollups,
    };
    await mkdir(join(OUT, "bench"), { recursive: true });
    await writeFile(join(OUT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    const md = markdown(results);
    await writeFile(join(OUT, "BENCHMARKS.md"), md);
    // Its tables aligned as the linter keeps every Markdown file of the project.
    execFileSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", join(OUT, "BENCHMARKS.md")]);
    console.log(`\n${md}`);
  } finally {
    await floorDb?.dispose();
    await product.stop();
    if (existsSync(work) && !process.env.BENCH_KEEP) await rm(work, { recursive: true, force: true });
  }
}

// A connection the Worker drops while the stand-in is still answering it surfaces here as ECONNRESET; the Worker
// retries such reads, so the run goes on and the error is only logged.
process.on("uncaughtException", (err) => {
  if (/** @type {NodeJS.ErrnoException} */ (err).code === "ECONNRESET")
    log(`connection reset (${err.stack?.split("\n")[1]?.trim() ?? ""})`);
  else throw err;
});
// Should a request be left waiting for good, Node would exit quietly with nothing written: say so and fail instead.
let finished = false;
process.on("exit", (code) => {
  if (!finished && code === 0) {
    console.error("[bench] stopped before it finished (a request was left without an answer)");
    process.exitCode = 1;
  }
});
await main();
finished = true;
