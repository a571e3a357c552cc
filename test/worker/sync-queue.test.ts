/** A run above the threshold fans out through the Queue; the run record completes when its last job is done. */

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { accountIndexFor } from "../../worker/google/rendezvous.mjs";
import worker from "../../worker/index";
import { runSync, type SyncJob, syncJob } from "../../worker/sync/run";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference } from "./helpers";

const COMMUNES = ["12745", "11953", "11980", "11983", "12103"];

async function deliver(queue: string, jobs: SyncJob[]) {
  const batch = createMessageBatch<SyncJob>(
    queue,
    jobs.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function run(id: number) {
  const { runs } = await ok(client.sync.runs.$get());
  const found = runs.find((r) => r.id === id);
  if (!found) throw new Error(`run ${id} is not listed`);
  return found;
}

describe("a run fanned out through the Queue", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    for (const [i, unit] of COMMUNES.entries()) {
      await putSheet(
        `queue-${unit}`,
        formSheet(`Xã ${unit}`, ["Năm 2025"], [["security_team_count", "Số tổ", 10 + i]]),
      );
    }
    await registerSources(`unit_code,sheet,tab,layout\n${COMMUNES.map((u) => `${u},queue-${u},,form`).join("\n")}\n`);
  });

  it("enqueues jobs, stays running until the last job, then finishes with every count", async () => {
    const jobs: SyncJob[] = [];
    const started = await runSync(env, {
      trigger: "manual",
      queueThreshold: 2,
      enqueue: async (j) => void jobs.push(...j),
    });
    expect(started).toMatchObject({ status: "running", sourcesTotal: 5 });
    expect(jobs.flatMap((j) => j.sourceIds)).toHaveLength(5);
    // Split in two deliveries to see the run still running after the first.
    const ids = jobs.flatMap((j) => j.sourceIds);
    const first = await deliver("antq-sync", [{ runId: started.runId, sourceIds: ids.slice(0, 3) }]);
    expect(first.explicitAcks).toEqual(["m0"]);
    expect(await run(started.runId)).toMatchObject({ status: "running", sourcesRead: 3, finishedAt: null });
    const second = await deliver("antq-sync", [{ runId: started.runId, sourceIds: ids.slice(3) }]);
    expect(second.retryMessages).toEqual([]);
    expect(await run(started.runId)).toMatchObject({
      status: "ok",
      sourcesTotal: 5,
      sourcesRead: 5,
      sourcesFailed: 0,
      valuesWritten: 5,
    });
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(10 + 11 + 12 + 13 + 14);
  });

  it("sends the sources that still meet Google's read quota back to the Queue for a minute later, then counts them", async () => {
    const limited = Array.from({ length: 5 }, () => ({ status: 429, api: "sheets" as const }));
    await putSheet("queue-12745", {
      ...formSheet("Xã 12745", ["Năm 2025"], [["security_team_count", "Số tổ", 10]]),
      faults: limited,
    });
    const jobs: SyncJob[] = [];
    const started = await runSync(env, {
      trigger: "manual",
      queueThreshold: 2,
      enqueue: async (j) => void jobs.push(...j),
    });
    const requeued: [SyncJob, number][] = [];
    const options = {
      google: { sleep: async () => undefined },
      requeue: async (job: SyncJob, delay: number) => void requeued.push([job, delay]),
    };
    for (const job of jobs) await syncJob(env, job, options);
    const first = await ok(client.sources.$get({ query: { unit: "12745" } }));
    expect(first.sources[0]!.lastStatus).toBeNull();
    expect(requeued).toHaveLength(1);
    const [again, delay] = requeued[0]!;
    expect(delay).toBeGreaterThanOrEqual(60);
    expect(again).toMatchObject({ runId: started.runId, attempt: 1 });
    expect(await run(started.runId)).toMatchObject({ status: "running", sourcesRead: 4 });
    await syncJob(env, again, options);
    expect(await run(started.runId)).toMatchObject({ status: "ok", sourcesRead: 5, sourcesFailed: 0 });
  });

  it("counts the sources of a dead-lettered job as failed so the run still finishes, keeping their values", async () => {
    const jobs: SyncJob[] = [];
    const started = await runSync(env, {
      trigger: "manual",
      queueThreshold: 2,
      enqueue: async (j) => void jobs.push(...j),
    });
    const ids = jobs.flatMap((j) => j.sourceIds);
    await deliver("antq-sync", [{ runId: started.runId, sourceIds: ids.slice(0, 4) }]);
    const dead = await deliver("antq-sync-dlq", [{ runId: started.runId, sourceIds: ids.slice(4) }]);
    expect(dead.explicitAcks).toEqual(["m0"]);
    expect(await run(started.runId)).toMatchObject({ status: "partial", sourcesRead: 4, sourcesFailed: 1 });
    const { sources } = await ok(client.sources.$get({ query: { unit: "33" } }));
    expect(sources.filter((s) => s.lastStatus === "error").map((s) => s.unitCode)).toEqual(["12103"]);
  });

  it("goes through the real SYNC_QUEUE binding and its consumer, as wrangler.toml configures them", async () => {
    const started = await runSync(env, { trigger: "manual", queueThreshold: 2 });
    expect(started.status).toBe("running");
    let record = await run(started.runId);
    for (let i = 0; i < 100 && record.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      record = await run(started.runId);
    }
    expect(record).toMatchObject({ status: "ok", sourcesTotal: 5, sourcesRead: 5 });
    expect(Date.parse(record.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
  });

  it("deals each job the accounts' sheets in turn, so every account of a Queue batch reads its share", async () => {
    const keys = JSON.parse(env.TEST_SERVICE_ACCOUNTS) as { client_email: string }[];
    const emails = keys.map((k) => k.client_email).sort();
    // Registered one account's sheets after another: in id order a job would hold them in runs.
    const byAccount = emails.map(() => [] as string[]);
    for (let k = 0; byAccount.some((ids) => ids.length < 3); k++) {
      const id = `deal-${k}`;
      const hand = byAccount[accountIndexFor(emails, id)]!;
      if (hand.length < 3) hand.push(id);
    }
    const ids = byAccount.flat();
    await registerSources(
      `unit_code,sheet,tab,layout\n${ids.map((id, i) => `${COMMUNES[i % COMMUNES.length]},${id},,form`).join("\n")}\n`,
    );
    const jobs: SyncJob[] = [];
    const deployed = { ...env, GOOGLE_SERVICE_ACCOUNTS: env.TEST_SERVICE_ACCOUNTS };
    await runSync(deployed, { trigger: "manual", queueThreshold: 2, enqueue: async (j) => void jobs.push(...j) });
    const { results } = await env.DB.prepare("SELECT id, spreadsheet_id AS sheet FROM sources").all<{
      id: number;
      sheet: string;
    }>();
    const sheetOf = new Map(results.map((r) => [r.id, r.sheet]));
    const accounts = jobs.flatMap((j) => j.sourceIds).map((id) => accountIndexFor(emails, sheetOf.get(id)!));
    expect(accounts).toHaveLength(ids.length + COMMUNES.length);
    // Each round of as many sheets as there are accounts holds every account once, until one has no sheet left.
    const n = emails.length;
    const rounds = Math.min(...emails.map((_, a) => accounts.filter((x) => x === a).length));
    expect(rounds).toBeGreaterThanOrEqual(3);
    for (let r = 0; r < rounds; r++) expect(new Set(accounts.slice(r * n, r * n + n)).size).toBe(n);
  });

  it("records the run as failed, with a reason, when the Queue refuses the jobs", async () => {
    const started = await runSync(env, {
      trigger: "manual",
      queueThreshold: 2,
      enqueue: async () => {
        throw new Error("queue unavailable");
      },
    });
    expect(started.status).toBe("failed");
    const record = await run(started.runId);
    expect(record).toMatchObject({ status: "failed", error: expect.stringContaining("thử lại") });
    expect(record.finishedAt).not.toBeNull();
  });
});
