/**
 * Pacing across the Worker (PRODUCT.md §6, GOOGLE.md “Quotas”): reads are paced per service account and per Cloud
 * project; one run reads at a time, so the pacing of the isolate that reads holds for the Worker.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { GoogleAccounts } from "../../worker/google/accounts";
import { resetReadPacing } from "../../worker/google/client";
import { clearTokenCache } from "../../worker/google/token";
import worker from "../../worker/index";
import { formSheet, putSheet, registerSources, resetDatabase, seedReference } from "./helpers";

const START = Date.parse("2026-11-23T00:00:00Z");

/** Three accounts of one project, answering at once; each read's start (its slot) noted by account. */
function threeAccounts(limits: { readsPerMinute: number; projectReadsPerMinute: number }) {
  const clock = { now: START };
  const starts = new Map<string, number[]>();
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith("/token")) {
      const assertion = new URLSearchParams(String(init?.body)).get("assertion") ?? "";
      const { iss } = JSON.parse(atob(assertion.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
      return Response.json({ access_token: `tok-${iss}`, expires_in: 3600, token_type: "Bearer" });
    }
    const who = new Headers(init?.headers).get("authorization")!.slice("Bearer tok-".length);
    starts.set(who, [...(starts.get(who) ?? []), clock.now]);
    return Response.json({ properties: { title: "x" }, sheets: [] });
  }) as typeof fetch;
  // Virtual time: the sleepers wake one by one in time order, each running on to its request before the next wakes.
  const sleepers: { wake: number; resolve: () => void }[] = [];
  const drain = async () => {
    for (let next = sleepers.shift(); next; next = sleepers.shift()) {
      clock.now = Math.max(clock.now, next.wake);
      next.resolve();
      await new Promise((resolve) => setTimeout(resolve, 0));
      sleepers.sort((a, b) => a.wake - b.wake);
    }
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      sleepers.push({ wake: clock.now + ms, resolve });
      sleepers.sort((a, b) => a.wake - b.wake);
      if (sleepers.length === 1) setTimeout(drain, 0);
    });
  const accounts = new GoogleAccounts(
    {
      ...env,
      GOOGLE_TOKEN_URL: "http://fake-google.invalid/token",
      GOOGLE_SERVICE_ACCOUNTS: env.TEST_SERVICE_ACCOUNTS,
    },
    { fetch: fetcher, now: () => clock.now, sleep, ...limits },
  );
  return { accounts, starts };
}

describe("pacing", () => {
  beforeEach(() => {
    clearTokenCache();
    resetReadPacing();
  });

  it("keeps each account to its reads a minute, and the accounts side by side do not wait for each other", async () => {
    const { accounts, starts } = threeAccounts({ readsPerMinute: 2, projectReadsPerMinute: 0 });
    // Four reads per account, all asked at once: two now, two a minute later, whatever the other accounts do.
    await Promise.all(accounts.clients.flatMap((c) => [1, 2, 3, 4].map((i) => c.spreadsheet(`s${i}`))));
    expect([...starts.values()].map((t) => t.map((at) => at - START))).toEqual([
      [0, 0, 60_000, 60_000],
      [0, 0, 60_000, 60_000],
      [0, 0, 60_000, 60_000],
    ]);
  });

  it("keeps a project's accounts together under the project's reads a minute", async () => {
    const { accounts, starts } = threeAccounts({ readsPerMinute: 60, projectReadsPerMinute: 6 });
    await Promise.all(accounts.clients.flatMap((c) => [1, 2, 3, 4].map((i) => c.spreadsheet(`s${i}`))));
    const all = [...starts.values()].flat().sort((a, b) => a - b);
    expect(all).toHaveLength(12);
    // Six a minute for the three accounts together: six now (never closer than 5 s, half the average gap), the next
    // six each a minute after one of them.
    expect(all.map((t) => (t - START) / 1000)).toEqual([0, 5, 10, 15, 20, 25, 60, 65, 70, 75, 80, 85]);
  });

  it("makes up for a pause: a minute's reads may go as soon as the minute allows, not only evenly spread", async () => {
    const { accounts, starts } = threeAccounts({ readsPerMinute: 60, projectReadsPerMinute: 120 });
    const [first] = accounts.clients;
    // Two reads, then nothing for 20 s (a Queue batch ending, the next starting), then six more.
    await Promise.all([first!.spreadsheet("a"), first!.spreadsheet("b")]);
    await first!.wait(20_000);
    await Promise.all(accounts.clients.flatMap((c) => [1, 2].map((i) => c.spreadsheet(`s${i}`))));
    const all = [...starts.values()].flat().sort((a, b) => a - b);
    // Spread evenly (one every 0.5 s) the six would end 2.5 s after the pause; here they go 250 ms apart.
    expect(all.slice(2).map((t) => t - all[2]!)).toEqual([0, 250, 500, 750, 1000, 1250]);
  });

  it("in a new isolate, goes on at the limit as if the minute before had been used to the full, never in a burst", async () => {
    // The isolate before this one (the previous Queue batch's) may have sent its minute's reads just now.
    resetReadPacing("unknown");
    const { accounts, starts } = threeAccounts({ readsPerMinute: 2, projectReadsPerMinute: 0 });
    await Promise.all(accounts.clients.map((c) => Promise.all([c.spreadsheet("a"), c.spreadsheet("b")])));
    // Two a minute: one every 30 s, the first 30 s from now, where a known-empty minute would have sent both at once.
    for (const times of starts.values()) expect(times.map((t) => t - START)).toEqual([30_000, 60_000]);
  });

  it("never lets an account or the project go over its reads in any clock minute, however the calls come", async () => {
    const { accounts, starts } = threeAccounts({ readsPerMinute: 5, projectReadsPerMinute: 12 });
    await Promise.all(
      accounts.clients.flatMap((c, a) =>
        Array.from({ length: 12 }, (_, i) => c.wait((a * 7 + i * 13) * 401).then(() => c.spreadsheet(`s${i}`))),
      ),
    );
    const perMinute = (times: number[]) =>
      Math.max(...times.map((t) => times.filter((u) => Math.floor(u / 60_000) === Math.floor(t / 60_000)).length));
    for (const times of starts.values()) expect(perMinute(times)).toBeLessThanOrEqual(5);
    expect(perMinute([...starts.values()].flat())).toBeLessThanOrEqual(12);
    expect([...starts.values()].flat()).toHaveLength(36);
  });
});

describe("one run at a time", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("pace-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,pace-bdq,,form\n");
  });

  it("the daily cron starts no run while one is running, and starts it once that one is done or closed", async () => {
    const fire = async () => {
      const ctx = createExecutionContext();
      const scheduledTime = Date.parse("2026-11-22T23:00:00Z"); // 06:00 in Hà Nội
      await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/15 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      return (await env.DB.prepare("SELECT trigger, status FROM sync_runs ORDER BY id").all()).results;
    };
    await env.DB.prepare(
      "INSERT INTO sync_runs (trigger, status, started_at, progressed_at) VALUES ('manual', 'running', ?, ?)",
    )
      .bind(Date.now() - 60_000, Date.now() - 30_000)
      .run();
    expect(await fire()).toEqual([{ trigger: "manual", status: "running" }]);
    await env.DB.prepare("UPDATE sync_runs SET status = 'ok', finished_at = ?").bind(Date.now()).run();
    expect(await fire()).toEqual([
      { trigger: "manual", status: "ok" },
      { trigger: "cron", status: "ok" },
    ]);
  });
});
