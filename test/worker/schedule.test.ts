/** The 15-minute cron's decisions at given times, and the scheduled handler end to end (PRODUCT.md §6). */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { decideSchedule } from "../../worker/sync/schedule";
import { formSheet, putSheet, registerSources, resetDatabase, seedReference } from "./helpers";

const at = (iso: string) => Date.parse(iso);
const conference = (id: number, startsAt: string, windowHours = 72, frozenAt: number | null = null) => ({
  id,
  startsAt: at(startsAt),
  windowHours,
  frozenAt,
});

describe("cron decisions", () => {
  it.each([
    ["2026-11-22T23:00:00Z", true, "daily"], // 06:00 in Hà Nội
    ["2026-11-22T23:14:59Z", true, "daily"],
    ["2026-11-22T23:15:00Z", false, "idle"],
    ["2026-11-22T22:45:00Z", false, "idle"],
    ["2026-11-23T06:00:00Z", false, "idle"], // 06:00 UTC is 13:00 in Hà Nội
  ])("at %s without conferences: sync=%s (%s)", (time, sync, reason) => {
    expect(decideSchedule(at(time), [])).toMatchObject({ sync, reason, freeze: [] });
  });

  it("syncs every 15 minutes inside a conference's window, not before it, and freezes it once it starts", () => {
    const c = [conference(7, "2026-12-01T01:00:00Z")];
    expect(decideSchedule(at("2026-11-28T00:45:00Z"), c)).toMatchObject({ sync: false, reason: "idle" });
    expect(decideSchedule(at("2026-11-28T01:00:00Z"), c)).toMatchObject({
      sync: true,
      trigger: "conference",
      reason: "conference_window",
    });
    expect(decideSchedule(at("2026-11-30T14:15:00Z"), c)).toMatchObject({ sync: true, trigger: "conference" });
    expect(decideSchedule(at("2026-12-01T00:45:00Z"), c)).toMatchObject({ sync: true, freeze: [] });
    expect(decideSchedule(at("2026-12-01T01:00:00Z"), c)).toMatchObject({ sync: false, freeze: [7] });
  });

  it("honours a conference's own window and ignores frozen ones", () => {
    const c = [
      conference(1, "2026-12-01T01:00:00Z", 24),
      conference(2, "2026-11-29T01:00:00Z", 72, at("2026-11-29T01:00:00Z")),
    ];
    expect(decideSchedule(at("2026-11-29T12:00:00Z"), c)).toMatchObject({ sync: false, freeze: [] });
    expect(decideSchedule(at("2026-11-30T01:00:00Z"), c)).toMatchObject({ sync: true, trigger: "conference" });
  });
});

describe("the scheduled handler", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("cron-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,cron-bdq,,form\n");
  });

  async function fire(time: string) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at(time), cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    return (await env.DB.prepare("SELECT trigger, status FROM sync_runs ORDER BY id").all()).results;
  }

  it("runs the daily sync at 06:00 Hà Nội time and nothing at 06:15", async () => {
    expect(await fire("2026-11-22T23:15:00Z")).toEqual([]);
    expect(await fire("2026-11-22T23:00:00Z")).toEqual([{ trigger: "cron", status: "ok" }]);
  });

  it("syncs inside a conference window and freezes the conference when it starts", async () => {
    await env.DB.prepare(
      "INSERT INTO conferences (unit_code, period, title, starts_at, window_hours, created_at) VALUES ('33', '2025', 'Hội nghị tổng kết', ?, 72, ?)",
    )
      .bind(at("2026-12-01T01:00:00Z"), Date.now())
      .run();
    expect(await fire("2026-11-30T10:30:00Z")).toEqual([{ trigger: "conference", status: "ok" }]);
    await fire("2026-12-01T01:00:00Z");
    const conf = await env.DB.prepare("SELECT frozen_at FROM conferences").first<{ frozen_at: number | null }>();
    expect(conf!.frozen_at).not.toBeNull();
    const snap = await env.DB.prepare("SELECT unit_code, indicator_code, value FROM snapshot_values").all();
    expect(snap.results).toEqual([{ unit_code: "12745", indicator_code: "security_team_count", value: 12 }]);
  });
});
