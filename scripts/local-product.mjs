// @ts-check
/**
 * The whole product on this machine: the Google stand-in over a §8 folder, local D1 with migrations applied,
 * `wrangler dev` serving the Worker and the dashboard, reference data imported and one sync done.
 * Used by `npm start`, the end-to-end tests and the benchmark, so all three run the same thing.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStandin } from "../standin/server.mjs";
import { loadOrCreateServiceAccount, workerSecret } from "../standin/service-account.mjs";
import { createStore } from "../standin/store.mjs";
import { viNumber } from "../tools/sheets/data.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const QUIET_WRANGLER = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
};
/** The date a units.csv is valid from when its file name does not say (the 2025 reform). */
const DEFAULT_UNITS_DATE = "2025-07-01";

/**
 * @typedef {{ fixturesDir: string, port?: number, stateDir?: string, log?: (line: string) => void,
 *   workerVars?: Record<string, string>, build?: boolean, sync?: boolean }} ProductOptions
 * @typedef {{ url: string, standinUrl: string, stateDir: string, standin: import("../standin/server.mjs").Standin,
 *   firstSync: unknown, stop: () => Promise<void> }} Product
 */

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** @param {ProductOptions} options @returns {Promise<Product>} */
export async function startProduct(options) {
  const log = options.log ?? (() => {});
  const fixturesDir = resolve(options.fixturesDir);
  if (!existsSync(join(fixturesDir, "sources.csv")))
    throw new Error(`${fixturesDir} has no sources.csv (PRODUCT.md §8)`);
  const stateDir =
    options.stateDir ??
    join(ROOT, ".local", "state", createHash("sha256").update(fixturesDir).digest("hex").slice(0, 12));
  const port = options.port ?? (await freePort());
  await mkdir(stateDir, { recursive: true });

  if (options.build !== false) {
    log("Building the dashboard…");
    run(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"]);
  }
  log("Applying migrations to local D1…");
  run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  // Nothing runs before the product starts: a run still "running" was cut off when it last stopped.
  const cutOff = "Lượt đồng bộ bị dừng giữa chừng vì chương trình đã tắt; số liệu đã ghi được giữ nguyên";
  run(WRANGLER, [
    "d1",
    "execute",
    "DB",
    "--local",
    "--persist-to",
    stateDir,
    "--command",
    `UPDATE sync_runs SET status = 'failed', finished_at = ${Date.now()}, error = '${cutOff}' WHERE status = 'running'`,
  ]);

  const account = await loadOrCreateServiceAccount(join(ROOT, ".local", "service-account.json"));
  // google.json may name several service accounts of one project, and Google's read quota (PRODUCT.md §8).
  const google = await createStore(fixturesDir).settings();
  const readers = await readerAccounts(google.serviceAccounts ?? 0);
  const standin = await startStandin({
    dir: fixturesDir,
    serviceAccounts: Object.fromEntries([account, ...readers].map((a) => [a.client_email, a.public_key])),
  });
  if (readers.length) log(`${readers.length} service accounts: ${readers.map((a) => a.client_email).join(", ")}`);
  log(`Google stand-in on ${standin.url} serving ${fixturesDir}`);

  const envFile = join(stateDir, "dev.env");
  const vars = {
    ENVIRONMENT: "development",
    DEV_MODE: "true",
    GOOGLE_SHEETS_URL: standin.url,
    GOOGLE_DRIVE_URL: standin.url,
    GOOGLE_TOKEN_URL: `${standin.url}/token`,
    // Without a quota in google.json the stand-in has none to protect: read it unpaced. With one, pace the Worker
    // as a deployment is configured against Google's (a few reads a minute below each limit).
    GOOGLE_READS_PER_MINUTE: String(underLimit(google.quota?.readsPerMinutePerUser)),
    GOOGLE_PROJECT_READS_PER_MINUTE: String(underLimit(google.quota?.readsPerMinutePerProject)),
    GOOGLE_WRITES_PER_MINUTE: "0",
    // Sync by hand as often as a test or a person asks.
    SYNC_MANUAL_INTERVAL_SECONDS: "0",
    // Locally the check results go back into the sheets the service account may edit (`"serviceAccount": "writer"`).
    SHEETS_FEEDBACK: "true",
    GOOGLE_SERVICE_ACCOUNT: workerSecret(account),
    ...(readers.length ? { GOOGLE_SERVICE_ACCOUNTS: `[${readers.map(workerSecret).join(",")}]` } : {}),
    ...options.workerVars,
  };
  await writeFile(
    envFile,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n")}\n`,
    { mode: 0o600 },
  );

  const url = `http://127.0.0.1:${port}`;
  // Own process group, so stopping it takes workerd down too (killing only wrangler's pid leaves workerd running).
  const dev = spawn(
    WRANGLER,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      stateDir,
      "--env-file",
      envFile,
      "--test-scheduled",
      "--show-interactive-dev-session=false",
      "--inspector-port",
      String(await freePort()),
      "--log-level",
      "warn",
    ],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...QUIET_WRANGLER } },
  );
  // wrangler has its own process group: a signal to ours does not reach it. Whatever ends this process, it goes too.
  const killOnExit = () => {
    try {
      if (dev.pid) process.kill(-dev.pid, "SIGKILL");
    } catch {}
  };
  process.on("exit", killOnExit);
  /** @type {string[]} */
  const output = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  dev.stdout?.on("data", keep);
  dev.stderr?.on("data", keep);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (dev.pid && dev.exitCode === null) {
      const exited = new Promise((r) => dev.once("exit", r));
      try {
        process.kill(-dev.pid, "SIGTERM");
      } catch {}
      const timer = setTimeout(() => {
        try {
          if (dev.pid) process.kill(-dev.pid, "SIGKILL");
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killOnExit);
    await standin.close();
  };

  try {
    await waitForHealth(url, dev, output);
    log(`Worker on ${url}`);
    const unitsFile = existsSync(join(fixturesDir, "units.csv")) ? join(fixturesDir, "units.csv") : null;
    if (unitsFile) await importFile(url, `/api/admin/units?validFrom=${unitsDate(unitsFile)}`, unitsFile);
    await importFile(url, "/api/admin/catalog", join(ROOT, "catalog", "indicators.csv"));
    // The default catalog of model kinds (PRODUCT.md §15) is the spec's own data, read where it is kept.
    const modelTypes = join(ROOT, "..", "shared", "spec", "model-types.csv");
    if (existsSync(modelTypes)) await importFile(url, "/api/admin/model-types", modelTypes);
    await importFile(url, "/api/admin/sources", join(fixturesDir, "sources.csv"));
    // Commune boundaries for the map, when the folder has them (the demo's are made up).
    for (const name of ["boundaries.geojson", "boundaries.topojson", "boundaries.json"]) {
      if (existsSync(join(fixturesDir, name))) {
        await importFile(url, "/api/admin/boundaries", join(fixturesDir, name));
        break;
      }
    }
    let firstSync = null;
    if (options.sync !== false) {
      log("Syncing every sheet once…");
      firstSync = await startSync(url, log);
    }
    return { url, standinUrl: standin.url, stateDir, standin, firstSync, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The `n` reading accounts of the local project, their keys kept in .local/ so a restart reads as the same accounts.
 * @param {number} n
 */
async function readerAccounts(n) {
  const accounts = [];
  for (let i = 1; i <= n; i++) {
    const email = `antq-read-${i}@local-standin.iam.gserviceaccount.com`;
    accounts.push(
      await loadOrCreateServiceAccount(join(ROOT, ".local", "service-accounts", `antq-read-${i}.json`), email),
    );
  }
  return accounts;
}

/** A limit of Google's as the Worker is paced under it: 55 of 60, 275 of 300, at least 1; 0 (no pacing) without one. @param {number | undefined} limit */
function underLimit(limit) {
  return limit ? Math.max(1, Math.floor((limit * 11) / 12)) : 0;
}

/** `admin-units-2026-07-25.csv` is valid from 2026-07-25; any other name from the reform date. @param {string} file */
function unitsDate(file) {
  return /(\d{4}-\d{2}-\d{2})/.exec(basename(file))?.[1] ?? DEFAULT_UNITS_DATE;
}

/** @param {string} cmd @param {string[]} args */
function run(cmd, args) {
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...QUIET_WRANGLER, CI: "true" },
  });
  if (result.status !== 0)
    throw new Error(`${basename(cmd)} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

/** @param {string} url @param {import("node:child_process").ChildProcess} dev @param {string[]} output */
async function waitForHealth(url, dev, output) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}):\n${output.join("")}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer on ${url} within 90 s:\n${output.join("")}`);
}

/** @param {string} url @param {string} path @param {string} file */
async function importFile(url, path, file) {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": file.endsWith(".csv") ? "text/csv; charset=utf-8" : "application/json" },
    body: await readFile(file),
  });
  if (!res.ok) throw new Error(`${path} ← ${file}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * The first sync; a manual sync moments before (a quick restart) is waited out as its Retry-After says. A run large
 * enough to go through the sync Queue answers at once as running: it is followed until it ends, its progress logged.
 * @param {string} url @param {(line: string) => void} log @returns {Promise<{ run: Record<string, any> }>}
 */
async function startSync(url, log) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/api/sync`, { method: "POST" });
    const wait = Number(res.headers.get("retry-after"));
    if (res.status === 429 && attempt < 3 && wait > 0 && wait <= 60) {
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`/api/sync: ${res.status} ${await res.text()}`);
    const started = /** @type {{ run: Record<string, any> }} */ (await res.json());
    if (started.run.status !== "running") return started;
    return { run: await followRun(url, started.run.runId, log) };
  }
}

/** A run that has counted no sheet for this long is stuck (as the Worker's own `STALLED_RUN_MS` judges). */
const STALLED_MS = 10 * 60_000;

/**
 * Polls a run until it is no longer running, logging its progress every 15 s; a run that counts no sheet for 10
 * minutes is given up on. @param {string} url @param {number} id @param {(line: string) => void} log
 */
async function followRun(url, id, log) {
  let last = { done: -1, at: Date.now() };
  for (let polls = 1; ; polls++) {
    await new Promise((r) => setTimeout(r, 1000));
    const res = await fetch(`${url}/api/sync/runs`);
    if (!res.ok) throw new Error(`/api/sync/runs: ${res.status} ${await res.text()}`);
    const { runs } = /** @type {{ runs: Record<string, any>[] }} */ (await res.json());
    const run = runs.find((r) => r.id === id);
    if (!run) throw new Error(`sync run ${id} is not listed by /api/sync/runs`);
    if (run.status !== "running") return run;
    const done = run.sourcesRead + run.sourcesSkipped + run.sourcesFailed;
    if (done !== last.done) last = { done, at: Date.now() };
    else if (Date.now() - last.at > STALLED_MS)
      throw new Error(`sync run ${id} read no sheet for 10 minutes (${done}/${run.sourcesTotal})`);
    if (polls % 15 === 0) log(`Đang đồng bộ: ${viNumber(done)}/${viNumber(run.sourcesTotal)} bảng tính…`);
  }
}
