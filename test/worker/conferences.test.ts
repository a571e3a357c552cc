/** Conferences: created by an administrator, listed per unit, frozen into a snapshot later syncs do not move. */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import type { AppEnv } from "../../worker/env";
import { handleError } from "../../worker/errors";
import { sync } from "../../worker/routes/sync";
import {
  api,
  client,
  errorOf,
  formSheet,
  ok,
  putSheet,
  registerSources,
  resetDatabase,
  seedReference,
  syncNow,
} from "./helpers";

const sheet = (version: string, teams: number) =>
  formSheet(
    "Xã Bắc Đông Quan",
    ["Năm 2024", "Năm 2025"],
    [["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 11, teams]],
    { version },
  );

async function createConference(body: Record<string, unknown>) {
  return api("/api/admin/conferences", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("conferences", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("are created by an administrator and listed for their unit, times in ISO", async () => {
    const res = await client.admin.conferences.$post({
      json: {
        unitCode: "33",
        period: "2025",
        comparePeriod: "2024",
        title: "Hội nghị tổng kết năm 2025",
        startsAt: "2026-12-01T08:00:00+07:00",
      },
    });
    expect(res.status).toBe(201);
    const { conference } = await res.json();
    expect(conference).toEqual({
      id: expect.any(Number),
      unitCode: "33",
      period: "2025",
      comparePeriod: "2024",
      title: "Hội nghị tổng kết năm 2025",
      startsAt: "2026-12-01T01:00:00.000Z",
      windowHours: 72,
      frozenAt: null,
      // The scheduled syncs: every 15 minutes through the 72 hours before it starts.
      syncs: { from: "2026-11-28T01:00:00.000Z", until: "2026-12-01T01:00:00.000Z", everyMinutes: 15 },
    });
    expect((await ok(client.conferences.$get({ query: { unit: "33" } }))).conferences).toEqual([conference]);
    expect((await ok(client.conferences.$get({ query: { unit: "01" } }))).conferences).toEqual([]);
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE action LIKE 'conference.%'").all();
    expect(audit.results).toEqual([{ action: "conference.created" }]);
  });

  it("refuse a bad period or an unknown unit in Vietnamese", async () => {
    const bad = await createConference({
      unitCode: "33",
      period: "2025-Q7",
      title: "x",
      startsAt: "2026-12-01T01:00:00Z",
    });
    expect(bad.status).toBe(400);
    const unknown = await createConference({
      unitCode: "77",
      period: "2025",
      title: "x",
      startsAt: "2026-12-01T01:00:00Z",
    });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).message).toContain("77");
  });

  it("freeze the figures; a later sync moves the live figures, not the snapshot", async () => {
    await putSheet("conf-bdq", sheet("1", 12));
    await registerSources("unit_code,sheet,tab,layout\n12745,conf-bdq,,form\n");
    await syncNow();
    const { conference } = await ok(
      client.admin.conferences.$post({
        json: {
          unitCode: "33",
          period: "2025",
          comparePeriod: "2024",
          title: "Tổng kết",
          startsAt: "2026-12-01T01:00:00Z",
        },
      }),
    );

    const frozen = await ok(client.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } }));
    expect(Date.parse(frozen.conference.frozenAt!)).toBeGreaterThan(Date.now() - 60_000);
    const again = await api(`/api/admin/conferences/${conference.id}/freeze`, { method: "POST" });
    expect(again.status).toBe(409);

    await putSheet("conf-bdq", sheet("2", 20));
    await syncNow();
    const snapshot = await env.DB.prepare(
      "SELECT period, value FROM snapshot_values WHERE conference_id = ? ORDER BY period",
    )
      .bind(conference.id)
      .all();
    expect(snapshot.results).toEqual([
      { period: "2024", value: 11 },
      { period: "2025", value: 12 },
    ]);
    const live = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(live.indicators.find((i) => i.code === "security_team_count")!.value).toBe(20);
    const atConference = await ok(
      client.summary.$get({ query: { unit: "33", period: "2025", conference: String(conference.id) } }),
    );
    expect(atConference.frozen).toBe(true);
    expect(atConference.indicators.find((i) => i.code === "security_team_count")!.value).toBe(12);
  });
});

describe("manual sync rate limit", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  const asAdmin = (interval: string) => {
    const app = new Hono<AppEnv>();
    app.onError(handleError);
    app.use(async (c, next) => {
      c.set("principal", { email: "admin@test", role: "admin", scopeUnitCode: null, via: "development" });
      await next();
    });
    app.route("/api/sync", sync);
    return (path: string, init?: RequestInit) =>
      app.request(path, init, { ...env, SYNC_MANUAL_INTERVAL_SECONDS: interval });
  };

  it("answers 429 with Retry-After while a run is still running", async () => {
    await env.DB.prepare("INSERT INTO sync_runs (trigger, status, started_at) VALUES ('cron', 'running', ?)")
      .bind(Date.now() - 5_000)
      .run();
    const res = await api("/api/sync", { method: "POST" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(res)).code).toBe("rate_limited");
  });

  it("answers 429 right after a manual sync, telling how long to wait", async () => {
    const call = asAdmin("30");
    expect((await call("/api/sync", { method: "POST" })).status).toBe(200);
    const res = await call("/api/sync", { method: "POST" });
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    expect((await errorOf(res)).message).toContain(`${wait} giây`);
  });
});
