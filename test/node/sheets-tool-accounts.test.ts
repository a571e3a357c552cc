/**
 * `npm run sheets` with several Worker accounts (PRODUCT.md §6): provision shares each sheet with the account that
 * reads it (the Worker's own rendezvous hash), and check reads each source with that account's key.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../../standin/server.mjs";
import { createServiceAccount } from "../../standin/service-account.mjs";
import { main } from "../../tools/sheets/cli.mjs";
import { parseCsv } from "../../tools/sheets/data.mjs";
import { accountIndexFor, sortedEmails } from "../../worker/google/rendezvous.mjs";

const SHARED_UNITS = resolve(__dirname, "../../../shared/data/admin-units-2025-07-01.csv");
const PROVINCE = "12";
/**
 * Communes provisioned: sheet ids are random, as Google's are, so twelve sheets make all of them landing on one of the
 * three accounts (3 / 3^12) too rare to matter, where six made it a flaky 0.4%.
 */
const COMMUNES = 12;
const admin = createServiceAccount("provisioner@antq-admin.iam.gserviceaccount.com");
const readers = [1, 2, 3].map((i) => createServiceAccount(`antq-read-${i}@antq-prod.iam.gserviceaccount.com`));
const EMAILS = sortedEmails(readers.map((r) => r.client_email));

let dir: string;
let work: string;
let standin: Standin;

async function run(args: string[], key: string) {
  const out: string[] = [];
  const err: string[] = [];
  const google = ["--google", standin.url, "--token-url", `${standin.url}/token`];
  const pacing = ["--reads-per-minute", "0", "--writes-per-minute", "0", "--retry-base-ms", "20"];
  const code = await main([...args, "--key", join(work, key), ...google, ...pacing], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: {},
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sheets-accounts-standin-"));
  work = await mkdtemp(join(tmpdir(), "sheets-accounts-work-"));
  await writeFile(join(work, "admin.json"), JSON.stringify(admin));
  // What the Worker's GOOGLE_SERVICE_ACCOUNTS holds.
  await writeFile(join(work, "keys.json"), JSON.stringify(readers));
  await writeFile(join(work, "first-key.json"), JSON.stringify(readers[0]));
  const lines = (await readFile(SHARED_UNITS, "utf8")).split("\n");
  await writeFile(
    join(work, "units.csv"),
    `${[lines[0], ...lines.filter((l) => l.split(",")[4] === PROVINCE).slice(0, COMMUNES)].join("\n")}\n`,
  );
  standin = await startStandin({
    dir,
    serviceAccounts: Object.fromEntries([admin, ...readers].map((a) => [a.client_email, a.public_key])),
  });
});
afterAll(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe("several Worker accounts", () => {
  it("provision shares each sheet with the account that reads it; check reads each with that account's key", async () => {
    const sourcesCsv = join(work, "sources.csv");
    const provisioned = await run(
      [
        "provision",
        ...["--province", PROVINCE, "--period", "2025", "--units", join(work, "units.csv"), "--out", sourcesCsv],
        ...["--service-account", readers.map((r) => r.client_email).join(",")],
      ],
      "admin.json",
    );
    expect(provisioned.code, provisioned.err).toBe(0);
    const sources = parseCsv(await readFile(sourcesCsv, "utf8"));
    expect(sources).toHaveLength(COMMUNES);
    const idOf = (sheet: string) => /\/d\/([^/]+)/.exec(sheet)?.[1] ?? sheet;
    const used = new Set<string>();
    for (const s of sources) {
      const id = idOf(s.sheet!);
      const own = EMAILS[accountIndexFor(EMAILS, id)]!;
      used.add(own);
      const shared = (
        JSON.parse(await readFile(join(dir, `${id}.json`), "utf8")).permissions as { emailAddress?: string }[]
      )
        .map((p) => p.emailAddress)
        .filter((e) => e?.startsWith("antq-read-"));
      // Shared with its own account only: the others never read it.
      expect(shared).toEqual([own]);
    }
    expect(used.size).toBeGreaterThan(1);

    // With the whole key list every source is read by its own account and is ready.
    const all = await run(["check", "--sources", sourcesCsv, "--units", join(work, "units.csv")], "keys.json");
    expect(all.code, all.err).toBe(0);
    expect(all.out).toContain(`${COMMUNES}/${COMMUNES} nguồn sẵn sàng`);
    // With one key only, the sheets of the other accounts are not shared with it, and the tool says so.
    const one = await run(["check", "--sources", sourcesCsv, "--units", join(work, "units.csv")], "first-key.json");
    const others = sources.filter((s) => EMAILS[accountIndexFor(EMAILS, idOf(s.sheet!))] !== readers[0]!.client_email);
    expect(one.out).toContain(
      `${COMMUNES - others.length}/${COMMUNES} nguồn sẵn sàng; ${others.length} không đọc được`,
    );
  });
});
