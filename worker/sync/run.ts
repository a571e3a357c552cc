/**
 * A sync run (PRODUCT.md §6): every active source is checked against Drive's `version`; changed ones are read,
 * validated and written, one atomic batch each (`source.ts`); a failed source keeps its last good values and says
 * why. Above `SYNC_QUEUE_THRESHOLD` sources the run fans out through the sync Queue (`queue.ts`), one job per
 * `SOURCES_PER_JOB` sources, each adding its counts to the run.
 */
import { type Db, getDb } from "../db/client";
import {
  addRunCounts,
  countSource,
  finishRun,
  type RunCounts,
  type RunTrigger,
  setRunTotal,
  startRun,
} from "../db/runs";
import { activeSourceSheets, activeSources, type SourceRecord, sourcesByIds } from "../db/sources";
import type { GoogleAccounts } from "../google/accounts";
import type { GoogleOptions } from "../google/client";
import { ensureRollups } from "../rollups/write";
import { SourceError } from "../sheets/types";
import { forSheet, googleFor, type SyncContext, syncContext } from "./context";
import { type SourceOutcome, syncSource } from "./source";
import { recordSourceError } from "./write";

/** One Queue message: a slice of a run's sources; `attempt` counts the times its sources met Google's quota. */
export type SyncJob = { runId: number; sourceIds: number[]; attempt?: number };

export type SyncOptions = {
  trigger: RunTrigger;
  actor?: string | null;
  /** Only these sources (an administrator reading one sheet at once), always in this invocation. */
  sourceIds?: number[];
  /** Read even a sheet Drive says is unchanged (“Đọc lại”). */
  force?: boolean;
  now?: () => number;
  google?: GoogleOptions;
  /** Sources read at the same time; Google's per-user quota is what really bounds a run. */
  concurrency?: number;
  /** Overrides `SYNC_QUEUE_THRESHOLD`. */
  queueThreshold?: number;
  /** Where the jobs of a fanned-out run go; `SYNC_QUEUE` by default (a test may collect them instead). */
  enqueue?: (jobs: SyncJob[]) => Promise<void>;
};

export type SyncResult = RunCounts & { runId: number; status: "running" | "ok" | "partial" | "failed" };

const SOURCES_PER_JOB = 25;

/**
 * Sheets refills its per-minute quota each minute and sends no Retry-After (GOOGLE.md "Quotas"): a source still
 * rate-limited after the client's own retries is tried again after this long, later in the run or in a later job.
 */
export const QUOTA_REFILL_MS = 61_000;
/** Times a run waits for the quota to refill, and times a Queue job's limited sources are sent back for it. */
const QUOTA_ROUNDS = 2;

/**
 * How sources stopped by Google's quota are handled: the run waits for the refill `waits` times and tries them again;
 * at the last round they fail, unless `deferLast` hands them back to the caller (a Queue job re-sends them).
 */
type QuotaPlan = { waits: number; deferLast: boolean };

const emptyCounts = (): RunCounts => ({
  sourcesTotal: 0,
  sourcesRead: 0,
  sourcesSkipped: 0,
  sourcesFailed: 0,
  valuesWritten: 0,
  valuesRemoved: 0,
  issuesFound: 0,
  googleRequests: 0,
});

/** A run started by the cron, by hand or for one sheet: fanned out to the Queue when large, else read here. */
export async function runSync(env: Env, options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  await ensureRollups(db);
  const runId = await startRun(db, options.trigger, options.actor ?? null, now());
  const counts = emptyCounts();
  const built = googleFor(env, now, options.google);
  if (!built.ok) {
    await finishRun(db, runId, counts, now(), built.error);
    return { ...counts, runId, status: "failed" };
  }
  try {
    const sheets = options.sourceIds ? [] : await activeSourceSheets(db);
    const jobs = options.sourceIds ? null : fanOut(env, options, runId, sheets, built.google);
    if (jobs) {
      counts.sourcesTotal = sheets.length;
      await setRunTotal(db, runId, sheets.length);
      await jobs.send();
      return { ...counts, runId, status: "running" };
    }
    const list = options.sourceIds ? await sourcesByIds(db, options.sourceIds) : await activeSources(db);
    counts.sourcesTotal = list.length;
    await setRunTotal(db, runId, list.length);
    const ctx = await syncContext(db, built.google, { runId, now, force: options.force });
    // Enough sources at once to keep every account's paced reads going.
    const concurrency = options.concurrency ?? Math.max(4, 3 * built.google.clients.length);
    await syncSources(ctx, list, counts, concurrency, { waits: QUOTA_ROUNDS, deferLast: false });
    counts.googleRequests = built.google.requests;
    await finishRun(db, runId, counts, now(), ctx.configError);
    return { ...counts, runId, status: ctx.configError ? "failed" : counts.sourcesFailed > 0 ? "partial" : "ok" };
  } catch (err) {
    // Each source's failure is caught where it happens; this is D1 or the Queue failing for the whole run.
    console.error(`sync run ${runId} failed`, err);
    const error = "Lượt đồng bộ bị lỗi hệ thống; số liệu đã ghi được giữ nguyên, hãy thử lại sau";
    await finishRun(db, runId, counts, now(), error);
    return { ...counts, runId, status: "failed" };
  }
}

/** The Queue jobs of a run too large for one invocation, or null when it is read here. */
function fanOut(
  env: Env,
  options: SyncOptions,
  runId: number,
  sheets: { id: number; spreadsheetId: string }[],
  accounts: GoogleAccounts,
): { send: () => Promise<void> } | null {
  const threshold = options.queueThreshold ?? Number(env.SYNC_QUEUE_THRESHOLD ?? "200");
  const enqueue = options.enqueue ?? (env.SYNC_QUEUE ? (jobs: SyncJob[]) => sendJobs(env.SYNC_QUEUE, jobs) : null);
  if (sheets.length <= threshold || !enqueue) return null;
  const ids = dealByAccount(sheets, accounts);
  const jobs: SyncJob[] = [];
  for (let i = 0; i < ids.length; i += SOURCES_PER_JOB)
    jobs.push({ runId, sourceIds: ids.slice(i, i + SOURCES_PER_JOB) });
  return { send: () => enqueue(jobs) };
}

/**
 * The sources' ids dealt out by account, one of each account's sheets in turn: every job, and every Queue batch of
 * jobs, then gives each account its share. In id order a batch's accounts get uneven shares (30 of 100 sheets for
 * one, 15 for another), and the batch lasts as long as its busiest account's paced reads while the others sit idle.
 */
function dealByAccount(sheets: { id: number; spreadsheetId: string }[], accounts: GoogleAccounts): number[] {
  const hands = accounts.clients.map(() => [] as number[]);
  for (const s of sheets) hands[accounts.indexFor(s.spreadsheetId)]?.push(s.id);
  const rounds = Math.max(0, ...hands.map((hand) => hand.length));
  return Array.from({ length: rounds }, (_, i) => hands.flatMap((hand) => hand.slice(i, i + 1))).flat();
}

async function sendJobs(queue: Queue<SyncJob>, jobs: SyncJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await queue.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
}

/**
 * Adds one source's outcome to the run's counts in memory. D1 has it already: a read or failed source is counted in
 * its own write batch, a skipped one here (it writes nothing else).
 */
function tally(counts: RunCounts, outcome: SourceOutcome): void {
  switch (outcome.kind) {
    case "skipped":
      counts.sourcesSkipped++;
      return;
    case "read":
      counts.sourcesRead++;
      counts.valuesWritten += outcome.written;
      counts.valuesRemoved += outcome.removed;
      counts.issuesFound += outcome.issues;
      return;
    case "failed":
      // The source's own error is one issue.
      counts.sourcesFailed++;
      counts.issuesFound++;
      return;
    case "deferred":
      return;
  }
}

/**
 * Syncs the sources `concurrency` at a time, waiting for Google's quota to refill between rounds as the plan says.
 * Returns the sources deferred at the last round (nothing of them recorded).
 */
async function syncSources(
  ctx: SyncContext,
  list: SourceRecord[],
  counts: RunCounts,
  concurrency: number,
  plan: QuotaPlan,
): Promise<SourceRecord[]> {
  let pending = list;
  for (let round = 0; ; round++) {
    const queue = [...pending];
    const deferred: SourceRecord[] = [];
    const mayDefer = round < plan.waits || plan.deferLast;
    const worker = async () => {
      for (let source = queue.shift(); source; source = queue.shift()) {
        // Read by its own account; a configuration problem it meets is the run's.
        const own = forSheet(ctx, source.spreadsheetId);
        const outcome = await syncSource(own, source, mayDefer);
        if (own.configError && !ctx.configError) ctx.configError = own.configError;
        if (outcome.kind === "deferred") deferred.push(source);
        if (outcome.kind === "skipped") await countSource(ctx.db, ctx.runId, { sourcesSkipped: 1 }, ctx.now());
        tally(counts, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    if (!deferred.length || round >= plan.waits) return deferred;
    pending = deferred.sort((a, b) => a.id - b.id);
    await ctx.google.wait(QUOTA_REFILL_MS);
  }
}

/** Reads the sources of one Queue message and adds what it did to its run (finishing the run after its last job). */
export async function syncJob(
  env: Env,
  job: SyncJob,
  options: Pick<SyncOptions, "now" | "google" | "concurrency"> & {
    requeue?: (job: SyncJob, delaySeconds: number) => Promise<void>;
  } = {},
): Promise<void> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  await ensureRollups(db);
  const built = googleFor(env, now, options.google);
  const list = await sourcesByIds(db, job.sourceIds);
  if (!built.ok) return failJob(db, job, list, new SourceError("config", built.error), now(), built.error);
  const counts = emptyCounts();
  const ctx = await syncContext(db, built.google, { runId: job.runId, now });
  // A job does not wait for the quota itself: its limited sources go back to the Queue, to be read a minute later.
  const attempt = job.attempt ?? 0;
  // Enough sources at once to keep every account's paced reads going.
  const concurrency = options.concurrency ?? Math.max(8, 3 * built.google.clients.length);
  const deferred = await syncSources(ctx, list, counts, concurrency, {
    waits: 0,
    deferLast: attempt < QUOTA_ROUNDS,
  });
  if (deferred.length) {
    const requeue =
      options.requeue ?? ((next: SyncJob, delaySeconds: number) => env.SYNC_QUEUE.send(next, { delaySeconds }));
    await requeue(
      { runId: job.runId, sourceIds: deferred.map((s) => s.id), attempt: attempt + 1 },
      Math.ceil(QUOTA_REFILL_MS / 1000),
    );
  }
  // Each source was counted as it ended; sources deactivated since the run started still count, so the run can finish.
  const beside = { sourcesSkipped: job.sourceIds.length - list.length, googleRequests: built.google.requests };
  await addRunCounts(db, job.runId, beside, now(), ctx.configError);
}

/** A job that exhausted its retries: its sources count as failed, and say so, so the run still finishes. */
export async function abandonJob(env: Env, job: SyncJob, now = Date.now()): Promise<void> {
  const db = getDb(env.DB);
  const error = new SourceError("google", "Không đọc được bảng tính sau nhiều lần thử; sẽ thử lại ở lần đồng bộ sau");
  await failJob(db, job, await sourcesByIds(db, job.sourceIds), error, now, null);
}

/** Every source of a job failed with one error (and the run's own error, when it is a configuration one). */
async function failJob(
  db: Db,
  job: SyncJob,
  list: SourceRecord[],
  error: SourceError,
  now: number,
  runError: string | null,
): Promise<void> {
  // Each recorded error counts its source; the others (deactivated, or not recorded) are counted failed here.
  let recorded = 0;
  for (const source of list)
    await recordSourceError(db, source, error, job.runId, now).then(
      () => recorded++,
      () => undefined,
    );
  await addRunCounts(db, job.runId, { sourcesFailed: job.sourceIds.length - recorded }, now, runError);
}
