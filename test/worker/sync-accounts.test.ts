/**
 * Several service accounts (PRODUCT.md §6): each sheet is read by one account, always the same; the source says which
 * email its sheet must be shared with; a key list that is not right fails the run once, naming the key.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { hc } from "hono/client";
import { beforeEach, describe, expect, it } from "vitest";
import type { AppType } from "../../worker/app";
import { accountIndexFor } from "../../worker/google/rendezvous.mjs";
import worker from "../../worker/index";
import { runSync } from "../../worker/sync/run";
import { formSheet, ok, putSheet, registerSources, resetDatabase, seedReference } from "./helpers";

const COMMUNES = ["12745", "11953", "11980", "11983", "12103"];
type Key = { client_email: string; private_key: string };
const KEYS = JSON.parse(env.TEST_SERVICE_ACCOUNTS) as Key[];
const EMAILS = KEYS.map((k) => k.client_email).sort();
/** The Worker as deployed with a key list in `GOOGLE_SERVICE_ACCOUNTS` beside the single key. */
const withKeys = (list: string): Env => ({ ...env, GOOGLE_SERVICE_ACCOUNTS: list });
/** The API of that Worker, as the dashboard calls it. */
const apiOf = (deployed: Env) =>
  hc<AppType>("http://dashboard.local", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      worker.fetch(new Request(input, init), deployed, createExecutionContext()),
  }).api;

/**
 * A fetch that notes which account called for each sheet (`acct-N` → emails): the token endpoint's answers tell
 * whose each bearer token is.
 */
function recorder(whose = new Map<string, string>()) {
  const callers = new Map<string, Set<string>>();
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (String(input) === env.GOOGLE_TOKEN_URL) {
      const assertion = new URLSearchParams(String(init?.body)).get("assertion") ?? "";
      const claims = JSON.parse(atob(assertion.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
      const { access_token } = (await res.clone().json()) as { access_token: string };
      whose.set(`Bearer ${access_token}`, claims.iss);
    }
    const sheet = /acct-\d+/.exec(String(input))?.[0];
    const token = new Headers(init?.headers).get("authorization");
    if (sheet && token) callers.set(sheet, (callers.get(sheet) ?? new Set()).add(whose.get(token) ?? token));
    return res;
  };
  return { fetcher, callers, whose };
}

/** Sheet ids for the five communes such that each of the three accounts reads at least one. */
function sheetIds(): string[] {
  const ids: string[] = [];
  const covered = new Set<number>();
  for (let k = 0; ids.length < COMMUNES.length; k++) {
    const id = `acct-${k}`;
    const account = accountIndexFor(EMAILS, id);
    if (covered.size < EMAILS.length && covered.has(account)) continue;
    covered.add(account);
    ids.push(id);
  }
  return ids;
}

describe("several service accounts", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("read each sheet as its own account, the same every run; the source names the email to share with, a 403 names it too", async () => {
    const ids = sheetIds();
    for (const [i, id] of ids.entries())
      await putSheet(id, {
        ...formSheet(`Xã ${COMMUNES[i]}`, ["Năm 2025"], [["security_team_count", "Số tổ", 10 + i]]),
        ...(i === 0 ? { access: "forbidden" as const } : {}),
      });
    await registerSources(`unit_code,sheet,tab,layout\n${COMMUNES.map((u, i) => `${u},${ids[i]},,form`).join("\n")}\n`);

    const { fetcher, callers, whose } = recorder();
    const deployed = withKeys(env.TEST_SERVICE_ACCOUNTS);
    const run = await runSync(deployed, { trigger: "manual", google: { fetch: fetcher } });
    expect(run).toMatchObject({ status: "partial", sourcesRead: 4, sourcesFailed: 1 });
    // One account per sheet, the one the hash names; the three accounts all called.
    for (const id of ids) expect(callers.get(id)).toEqual(new Set([EMAILS[accountIndexFor(EMAILS, id)]]));
    expect(new Set([...callers.values()].flatMap((t) => [...t])).size).toBe(3);

    // The API says each sheet's account, where the hash puts it; the forbidden one's error names that account.
    const { sources } = await ok(apiOf(deployed).sources.$get({ query: {} }));
    const byId = new Map(sources.map((s) => [s.spreadsheetId, s]));
    for (const id of ids) expect(byId.get(id)?.serviceAccount).toBe(EMAILS[accountIndexFor(EMAILS, id)]);
    const forbidden = byId.get(ids[0]!)!;
    expect(forbidden.lastError).toContain(`thêm ${forbidden.serviceAccount} với quyền “Người xem”`);

    // The same accounts the next time, whatever the order of the keys in the list.
    // (Tokens are cached: the first run's tell whose they are.)
    const again = recorder(whose);
    const reversed = withKeys(JSON.stringify([...KEYS].reverse()));
    await runSync(reversed, { trigger: "manual", force: true, google: { fetch: again.fetcher } });
    expect(again.callers).toEqual(callers);
  });

  it("adding an account moves only the sheets the new account takes", () => {
    const ids = Array.from({ length: 3321 }, (_, i) => `sheet-${i}`);
    const four = [...EMAILS, "antq-read-4@local-standin.iam.gserviceaccount.com"].sort();
    const moved = ids.filter((id) => EMAILS[accountIndexFor(EMAILS, id)] !== four[accountIndexFor(four, id)]);
    expect(
      moved.every((id) => four[accountIndexFor(four, id)] === "antq-read-4@local-standin.iam.gserviceaccount.com"),
    ).toBe(true);
    // About a quarter of the sheets, and each account's share about a third before.
    expect(moved.length / ids.length).toBeGreaterThan(0.2);
    expect(moved.length / ids.length).toBeLessThan(0.3);
    const shares = EMAILS.map((_, a) => ids.filter((id) => accountIndexFor(EMAILS, id) === a).length / ids.length);
    for (const share of shares) expect(Math.abs(share - 1 / 3)).toBeLessThan(0.04);
  });

  const [one, two] = KEYS as [Key, Key];
  it.each([
    ["a list that is not JSON", "[{client_email: x}]", "không phải JSON hợp lệ"],
    ["an empty list", "[]", "ít nhất một tệp khóa"],
    [
      "a key without private_key",
      JSON.stringify([one, { client_email: two.client_email }]),
      "khóa thứ 2 thiếu client_email hoặc private_key",
    ],
    [
      "a key without client_email",
      JSON.stringify([{ private_key: one.private_key }, two]),
      "khóa thứ 1 thiếu client_email hoặc private_key",
    ],
    [
      "one account twice",
      JSON.stringify([one, two, one]),
      `khóa thứ 3 và khóa thứ 1 cùng là tài khoản ${one.client_email}`,
    ],
  ])("%s fails the run once, naming the key, and touches no sheet", async (_what, list, words) => {
    await putSheet("acct-bad", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,acct-bad,,form\n");
    const run = await runSync(withKeys(list), { trigger: "manual" });
    expect(run).toMatchObject({ status: "failed", sourcesFailed: 0, sourcesRead: 0, googleRequests: 0 });
    const { runs } = await ok(apiOf(withKeys(list)).sync.runs.$get());
    expect(runs[0]).toMatchObject({ status: "failed" });
    expect(runs[0]!.error).toContain("GOOGLE_SERVICE_ACCOUNTS");
    expect(runs[0]!.error).toContain(words);
    const { sources } = await ok(apiOf(withKeys(list)).sources.$get({ query: {} }));
    expect(sources).toMatchObject([{ lastStatus: null, lastError: null, serviceAccount: null }]);
  });
});
