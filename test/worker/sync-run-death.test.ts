/**
 * A run that dies (its isolate evicted, its Queue consumer past its limit) has counted what it did as it went, and
 * the Worker closes it itself once it makes no progress (PRODUCT.md §6 “every run is recorded”).
 */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { formatDateTime } from "../../domain/time";
import { STALLED_RUN_MS } from "../../worker/db/runs";
import worker from "../../worker/index";
import { startManualSync } from "../../worker/sync/manual";
import { runSync, type SyncJob, syncJob } from "../../worker/sync/run";
import { runScheduledSync } from "../../worker/sync/scheduled";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const COMMUNES = ["12745", "11953", "11980", "11983", "12103"];
/** A quarter past six in Hà Nội: the cron has no sync to start, only runs to look after. */
const IDLE_CRON = Date.parse("2026-11-22T23:15:00Z");

async function runRow(id: number) {
  const { runs } = await ok(client.sync.runs.$get());
  const found = runs.find((r) => r.id === id);
  if (!found) throw new Error(`run ${id} is not listed`);
  return found;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("timed out");
}

async function fireCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: IDLE_CRON, cron: "*/15 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("a run that dies", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    for (const [i, unit] of COMMUNES.entries())
      await putSheet(
        `death-${unit}`,
        formSheet(`Xã ${unit}`, ["Năm 2025"], [["security_team_count", "Số tổ", 10 + i]]),
      );
    await registerSources(`unit_code,sheet,tab,layout\n${COMMUNES.map((u) => `${u},death-${u},,form`).join("\n")}\n`);
  });

  it("has counted each source it wrote; the cron closes it as failed after 10 minutes without progress, and a manual sync starts again", async () => {
    // The run's clock is 11 minutes behind: what it did, it did 11 minutes ago.
    const started = Date.now() - 11 * 60_000;
    // The fourth sheet's Drive call never answers: the isolate is gone from there on.
    const dead = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).includes("death-11983") ? new Promise<Response>(() => undefined) : fetch(input, init);
    void runSync(env, { trigger: "cron", now: () => started, concurrency: 1, google: { fetch: dead } });
    const rows = await until(
      async () =>
        (await env.DB.prepare("SELECT id, sources_read FROM sync_runs").all<{ id: number; sources_read: number }>())
          .results,
      (found) => found[0]?.sources_read === 3,
    );
    const id = rows[0]!.id;
    // Counted as it went: three sheets written, their values, the whole list known.
    expect(await runRow(id)).toMatchObject({
      status: "running",
      sourcesTotal: 5,
      sourcesRead: 3,
      sourcesFailed: 0,
      valuesWritten: 3,
      finishedAt: null,
    });

    // Nine minutes after its last progress it may still be alive: it stays running and a manual sync waits.
    const nineLater = started + 9 * 60_000;
    await runScheduledSync(env, IDLE_CRON, { now: () => nineLater });
    expect((await runRow(id)).status).toBe("running");
    await expect(startManualSync(env, "admin@test", nineLater)).rejects.toMatchObject({ code: "rate_limited" });

    // The real cron, eleven minutes after: closed with its true counts and why.
    expect(Date.now() - started).toBeGreaterThan(STALLED_RUN_MS);
    await fireCron();
    const closed = await runRow(id);
    expect(closed).toMatchObject({ status: "failed", sourcesRead: 3, valuesWritten: 3, sourcesTotal: 5 });
    expect(closed.finishedAt).not.toBeNull();
    expect(closed.error).toBe(
      `Lần đồng bộ dừng giữa chừng: không có tiến triển từ ${formatDateTime(started)}; đã đọc 3 bảng tính, 0 không đổi, 0 lỗi, 2 chưa đến lượt — số liệu đã ghi được giữ nguyên, các bảng tính còn lại sẽ được đọc ở lần đồng bộ sau`,
    );

    // Manual syncs are accepted again: the two sheets left are read, the three written are unchanged.
    expect(await syncNow()).toMatchObject({ status: "ok", sourcesRead: 2, sourcesSkipped: 3, sourcesFailed: 0 });
  });

  it("of a fanned-out run, the jobs that ran are counted; the run is closed when the rest never come", async () => {
    const jobs: SyncJob[] = [];
    const run = await runSync(env, { trigger: "cron", queueThreshold: 2, enqueue: async (j) => void jobs.push(...j) });
    const ids = jobs.flatMap((j) => j.sourceIds);
    // The consumer reads two sources, then is stopped past its limit before it accounts for its job.
    await syncJob(env, { runId: run.runId, sourceIds: ids.slice(0, 2) });
    expect(await runRow(run.runId)).toMatchObject({ status: "running", sourcesRead: 2, valuesWritten: 2 });

    await runScheduledSync(env, IDLE_CRON, { now: () => Date.now() + STALLED_RUN_MS + 60_000 });
    const closed = await runRow(run.runId);
    expect(closed).toMatchObject({ status: "failed", sourcesRead: 2, sourcesTotal: 5 });
    expect(closed.error).toContain("đã đọc 2 bảng tính, 0 không đổi, 0 lỗi, 3 chưa đến lượt");
    // A late job of the closed run still counts its sources but does not reopen or re-finish it.
    await syncJob(env, { runId: run.runId, sourceIds: ids.slice(2) });
    expect(await runRow(run.runId)).toMatchObject({ status: "failed", sourcesRead: 5, error: closed.error });
  });
});
