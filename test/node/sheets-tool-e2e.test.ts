/**
 * The issue's acceptance run, end to end: the product (wrangler dev + local D1 + stand-in, as `npm start` runs it)
 * on an empty folder; `npm run sheets -- provision` for a real province from ../shared/data into the stand-in,
 * registered in the Worker; run again (no duplicates); a few communes fill their sheets; a sync reads them.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Product, ROOT, startProduct } from "../../scripts/local-product.mjs";
import { loadOrCreateServiceAccount } from "../../standin/service-account.mjs";
import { parseCsv } from "../../tools/sheets/data.mjs";
import { connect } from "../../tools/sheets/google.mjs";

const SHARED_UNITS = resolve(ROOT, "../shared/data/admin-units-2025-07-01.csv");
const PROVINCE = "12";

let work: string;
let fixtures: string;
let product: Product;
let keyFile: string;

/** The CLI as an administrator runs it: `node tools/sheets/cli.mjs …` in its own process. */
function sheets(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, "tools/sheets/cli.mjs"),
        ...args,
        "--key",
        keyFile,
        "--google",
        product.standinUrl,
        "--token-url",
        `${product.standinUrl}/token`,
      ],
      { cwd: work, env: { ...process.env, ANTQ_WORKER_URL: product.url } },
    );
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("close", (code) => done({ code, out }));
  });
}

/** The parts of the Worker's answers these tests read. */
type SourcesAnswer = { sources: { unitCode: string }[] };
type SyncAnswer = { run: { status: string; sourcesFailed: number } };
type ApprovalsAnswer = { approvals: { unitCode: string; state: string }[] };
type SummaryAnswer = {
  coverage: { reported: number };
  indicators: { code: string; value: number | null; previous: number | null }[];
};

/** The Worker's JSON answer to a request, as the shape `T` the caller reads. */
async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(product.url + path, init);
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
  }
  return { status: res.status, body };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "sheets-e2e-"));
  fixtures = join(work, "sheets");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(fixtures);
  // The units of one province, taken from the shared list at run time; no sheet registered yet.
  const lines = (await readFile(SHARED_UNITS, "utf8")).trimEnd().split("\n");
  await writeFile(
    join(fixtures, "units.csv"),
    `${[lines[0], ...lines.slice(1).filter((l) => l.startsWith(`${PROVINCE},`) || l.split(",")[4] === PROVINCE)].join(
      "\n",
    )}\n`,
  );
  await writeFile(join(fixtures, "sources.csv"), "unit_code,sheet,tab,layout\n");
  product = await startProduct({
    fixturesDir: fixtures,
    stateDir: join(work, "state"),
    build: false,
    sync: false,
    workerVars: { SYNC_MANUAL_INTERVAL_SECONDS: "0", GOOGLE_READS_PER_MINUTE: "0", SYNC_QUEUE_THRESHOLD: "1000" },
  });
  // The product's stand-in knows the Worker's local service account; the tool provisions with it here.
  keyFile = join(ROOT, ".local", "service-account.json");
  await loadOrCreateServiceAccount(keyFile);
}, 180_000);

afterAll(async () => {
  await product?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("provisioning a province into the stand-in, then syncing it", () => {
  const out = () => join(work, "sources.csv");
  let account: { client_email: string; private_key: string };

  it("provisions every commune, registers them in the Worker, and a second run changes nothing", async () => {
    account = JSON.parse(await readFile(keyFile, "utf8"));
    const args = [
      "provision",
      "--province",
      PROVINCE,
      "--period",
      "2025",
      "--units",
      join(fixtures, "units.csv"),
      "--service-account",
      account.client_email,
      "--out",
      out(),
      "--reads-per-minute",
      "0",
      "--writes-per-minute",
      "0",
    ];
    const first = await sheets(args);
    expect(first.code, first.out).toBe(0);
    const communes = parseCsv(await readFile(join(fixtures, "units.csv"), "utf8")).filter(
      (u) => u.parent_code === PROVINCE,
    );
    const files = (await readdir(fixtures)).filter((f) => f.endsWith(".json"));
    expect(files.length).toBe(communes.length + 1); // one sheet per commune and the template

    const registered = await api<SourcesAnswer>(`/api/sources?unit=${PROVINCE}`);
    expect(registered.status).toBe(200);
    expect(registered.body.sources.length).toBe(communes.length);
    expect(new Set(registered.body.sources.map((s) => s.unitCode))).toEqual(new Set(communes.map((c) => c.code)));

    const second = await sheets(args);
    expect(second.code, second.out).toBe(0);
    expect((await readdir(fixtures)).filter((f) => f.endsWith(".json")).length).toBe(files.length);
    expect((await api<SourcesAnswer>(`/api/sources?unit=${PROVINCE}`)).body.sources.length).toBe(communes.length);
    expect(second.out).toContain(`0 bảng tính mới, ${communes.length} đã có`);
  }, 120_000);

  it("reads the figures the communes type into their sheets", async () => {
    const sources = parseCsv(await readFile(out(), "utf8"));
    const { sheets: client } = await connect({
      keyFile,
      rootUrl: product.standinUrl,
      tokenUrl: `${product.standinUrl}/token`,
      readsPerMinute: 0,
      writesPerMinute: 0,
    });
    // Three communes type their number of security teams (row of security_team_count), this year and last.
    const typed = [
      [10, 12],
      [6, "7"],
      [18, 20],
    ];
    for (const [i, [previous, current]] of typed.entries()) {
      const id = /\/d\/([\w-]+)/.exec(sources[i]!.sheet!)![1]!;
      const rows = (await client.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["'Năm 2025'!A1:C40"] }))
        .data.valueRanges![0]!.values!;
      const row = rows.findIndex((r) => r[2] === "security_team_count") + 1;
      await client.spreadsheets.values.update({
        spreadsheetId: id,
        range: `'Năm 2025'!E${row}`,
        valueInputOption: "USER_ENTERED",
        requestBody: { values: [[previous, current]] },
      });
    }
    // The first commune also ticks “Chốt số liệu” for this year (the template's checkbox in column F).
    const first = /\/d\/([\w-]+)/.exec(sources[0]!.sheet!)![1]!;
    const firstRows = (
      await client.spreadsheets.values.batchGet({ spreadsheetId: first, ranges: ["'Năm 2025'!A1:C60"] })
    ).data.valueRanges![0]!.values!;
    await client.spreadsheets.values.update({
      spreadsheetId: first,
      range: `'Năm 2025'!F${firstRows.findIndex((r) => r[2] === "chot_so_lieu") + 1}`,
      valueInputOption: "RAW",
      requestBody: { values: [[true]] },
    });

    const sync = await api<SyncAnswer>("/api/sync", { method: "POST" });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body.run.status).toBe("ok");
    expect(sync.body.run.sourcesFailed).toBe(0);

    const summary = await api<SummaryAnswer>(`/api/summary?unit=${PROVINCE}&period=2025&compare=2024`);
    expect(summary.status).toBe(200);
    expect(summary.body.coverage.reported).toBe(3);
    const teams = summary.body.indicators.find((x) => x.code === "security_team_count")!;
    expect(teams.value).toBe(12 + 7 + 20);
    expect(teams.previous).toBe(10 + 6 + 18);
    // The ticked commune confirmed its figures; the others did not.
    const approvals = await api<ApprovalsAnswer>(`/api/approvals?unit=${PROVINCE}&period=2025`);
    const states = new Map(approvals.body.approvals.map((a) => [a.unitCode, a.state]));
    expect(states.get(sources[0]!.unit_code!)).toBe("submitted");
    expect(states.get(sources[1]!.unit_code!)).toBe("open");

    // `check` through the Worker's own list of sources: every sheet readable, vi_VN, header found.
    const check = await sheets(["check", "--unit", PROVINCE, "--reads-per-minute", "0"]);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`${sources.length}/${sources.length} nguồn sẵn sàng; 0 không đọc được; 0 cần sửa.`);
  }, 120_000);
});
