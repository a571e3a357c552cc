/** The Google client alone: token caching and read pacing, with an injected fetch, clock and sleep. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { GoogleClient, resetReadPacing } from "../../worker/google/client";
import { clearTokenCache } from "../../worker/google/token";

type Call = { url: string; at: number };

function fakeGoogle(clock: { now: number }) {
  const calls: Call[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push({ url, at: clock.now });
    if (url.endsWith("/token"))
      return Response.json({ access_token: `tok-${calls.length}`, expires_in: 3600, token_type: "Bearer" });
    return Response.json({
      version: "1",
      modifiedTime: "2026-01-01T00:00:00.000Z",
      properties: { title: "x" },
      sheets: [],
    });
  }) as typeof fetch;
  return { calls, fetcher };
}

const fakeEnv = { ...env, GOOGLE_TOKEN_URL: "http://fake-google.invalid/token" };

describe("the Google client", () => {
  beforeEach(() => {
    clearTokenCache();
    resetReadPacing();
  });

  it("caches the access token until a minute before it expires", async () => {
    const clock = { now: Date.parse("2026-11-23T00:00:00Z") };
    const { calls, fetcher } = fakeGoogle(clock);
    const google = new GoogleClient(fakeEnv, { fetch: fetcher, now: () => clock.now, readsPerMinute: 0 });
    const tokens = () => calls.filter((c) => c.url.endsWith("/token")).length;
    await google.file("a");
    await google.file("b");
    expect(tokens()).toBe(1);
    clock.now += 58 * 60_000;
    await google.file("c");
    expect(tokens()).toBe(1);
    clock.now += 61_000; // 59 min 1 s after issue: less than a minute left
    await google.file("d");
    expect(tokens()).toBe(2);
  });

  it("paces Sheets reads under the per-minute quota and leaves Drive metadata unpaced", async () => {
    const clock = { now: Date.parse("2026-11-23T00:00:00Z") };
    const { fetcher } = fakeGoogle(clock);
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock.now += ms;
    };
    const google = new GoogleClient(fakeEnv, { fetch: fetcher, now: () => clock.now, sleep, readsPerMinute: 2 });
    await google.file("a");
    await google.spreadsheet("a");
    clock.now += 10_000;
    await google.batchGet("a", ["A1:B2"]);
    // Two reads in the minute already: the third waits for the first to be a minute old; Drive is not waited for.
    await google.file("b");
    await google.spreadsheet("b");
    expect(sleeps).toEqual([50_000]);
  });

  it("does not pace when told 0 reads per minute (the benchmark)", async () => {
    const clock = { now: Date.parse("2026-11-23T00:00:00Z") };
    const { fetcher } = fakeGoogle(clock);
    const sleeps: number[] = [];
    const google = new GoogleClient(fakeEnv, {
      fetch: fetcher,
      now: () => clock.now,
      sleep: async (ms) => void sleeps.push(ms),
      readsPerMinute: 0,
    });
    for (let i = 0; i < 5; i++) await google.batchGet("a", ["A1"]);
    expect(sleeps).toEqual([]);
  });
});
