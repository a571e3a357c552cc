/**
 * A sync run (PRODUCT.md §6): every active source is checked against Drive's `version`; changed ones are read,
 * validated and written, one atomic batch each; a failed source keeps its last good values and says why.
 * Above `SYNC_QUEUE_THRESHOLD` sources the run fans out through the sync Queue (see `queue.ts`).
 */
import { getDb, type Db } from "../db/client";
import { ensurePeriods, listIndicators, unitListFor } from "../db/reference";
import {
  activeSourceIds,
  activeSources,
  addRunCounts,
  communesUnder,
  finishRun,
  storedForSource,
  recordSourceError,
  setRunTotal,
  sourcesByIds,
  startRun,
  writeSourceReading,
  type RunCounts,
  type RunTrigger,
  type SourceRecord,
} from "../db/sync";
import { GoogleClient, type GoogleOptions } from "../google/client";
import type { Indicator } from "../reference/catalog";
import { previousYearPeriod } from "../reference/periods";
import { SourceError, type ReadContext } from "../sheets/types";
import { validateReading } from "../sheets/validate";
import { asSourceError, readSource } from "./read-source";

/** One Queue message: a slice of a run's sources. */
export type SyncJob = { runId: number; sourceIds: number[] };

export type SyncOptions = {
  trigger: RunTrigger;
  actor?: string | null;
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

export const emptyCounts = (): RunCounts => ({
  sourcesTotal: 0,
  sourcesRead: 0,
  sourcesSkipped: 0,
  sourcesFailed: 0,
  valuesWritten: 0,
  valuesRemoved: 0,
  issuesFound: 0,
  googleRequests: 0,
});

/** Pacing protects Google's quota (`GOOGLE_READS_PER_MINUTE`, 0 = off; local runs set 0: the stand-in has none). */
export function readsPerMinute(env: Env): number {
  const configured = Number(env.GOOGLE_READS_PER_MINUTE ?? "55");
  return Number.isFinite(configured) && configured >= 0 ? configured : 55;
}

export async function runSync(env: Env, options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  const runId = await startRun(db, options.trigger, options.actor ?? null, now());
  const counts = emptyCounts();
  let google: GoogleClient;
  try {
    google = new GoogleClient(env, { now, readsPerMinute: readsPerMinute(env), ...options.google });
  } catch (err) {
    const error = asSourceError(err).message;
    await finishRun(db, runId, counts, now(), error);
    return { ...counts, runId, status: "failed" };
  }

  try {
    return await runSources(env, db, google, runId, counts, options, now);
  } catch (err) {
    // Each source's failure is caught where it happens; this is D1 or the Queue failing for the whole run.
    console.error(`sync run ${runId} failed`, err);
    await finishRun(db, runId, counts, now(), "Lượt đồng bộ bị lỗi hệ thống; số liệu đã ghi được giữ nguyên, hãy thử lại sau");
    return { ...counts, runId, status: "failed" };
  }
}

async function runSources(
  env: Env,
  db: Db,
  google: GoogleClient,
  runId: number,
  counts: RunCounts,
  options: SyncOptions,
  now: () => number,
): Promise<SyncResult> {
  const threshold = options.queueThreshold ?? Number(env.SYNC_QUEUE_THRESHOLD ?? "200");
  const ids = await activeSourceIds(db);
  const enqueue = options.enqueue ?? (env.SYNC_QUEUE ? (jobs: SyncJob[]) => sendJobs(env.SYNC_QUEUE, jobs) : null);
  if (ids.length > threshold && enqueue) {
    counts.sourcesTotal = ids.length;
    await setRunTotal(db, runId, ids.length);
    const jobs: SyncJob[] = [];
    for (let i = 0; i < ids.length; i += SOURCES_PER_JOB) jobs.push({ runId, sourceIds: ids.slice(i, i + SOURCES_PER_JOB) });
    await enqueue(jobs);
    return { ...counts, runId, status: "running" };
  }

  const list = await activeSources(db);
  counts.sourcesTotal = list.length;
  const ctx = await syncContext(db, google, runId, now);
  await syncSources(ctx, list, counts, options.concurrency ?? 4);
  counts.googleRequests = google.requests;
  await finishRun(db, runId, counts, now());
  return { ...counts, runId, status: counts.sourcesFailed > 0 ? "partial" : "ok" };
}

async function sendJobs(queue: Queue<SyncJob>, jobs: SyncJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await queue.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
}

/** What every source of a run shares: the catalog, the unit list, the communes of each table's unit. */
export type SyncContext = {
  db: Db;
  google: GoogleClient;
  catalog: Indicator[];
  listDate: string | null;
  communes: Map<string, Promise<ReadContext["communes"]>>;
  /**
   * The catalog and unit list the sheets are read against; stored with the sheet's version, so an unchanged sheet is
   * read again once after either changes.
   */
  readerKey: string;
  /** Periods already recorded in this run: the per-source path stays free of repeated writes. */
  periods: Set<string>;
  runId: number;
  now: () => number;
};

export async function syncContext(db: Db, google: GoogleClient, runId: number, now: () => number): Promise<SyncContext> {
  const [catalog, listDate] = await Promise.all([listIndicators(db), unitListFor(db, new Date(now()).toISOString().slice(0, 10))]);
  const readerKey = await fingerprint(JSON.stringify([catalog, listDate]));
  return { db, google, catalog, listDate, communes: new Map(), periods: new Set(), runId, now, readerKey };
}

export async function syncSources(ctx: SyncContext, list: SourceRecord[], counts: RunCounts, concurrency: number): Promise<void> {
  const queue = [...list];
  const worker = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) await syncOneSource(ctx, source, counts);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** Reads the sources of one Queue message and adds what it did to its run (finishing the run after its last job). */
export async function syncJob(env: Env, job: SyncJob, options: Pick<SyncOptions, "now" | "google" | "concurrency"> = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  const google = new GoogleClient(env, { now, readsPerMinute: readsPerMinute(env), ...options.google });
  const list = await sourcesByIds(db, job.sourceIds);
  const counts = emptyCounts();
  const ctx = await syncContext(db, google, job.runId, now);
  await syncSources(ctx, list, counts, options.concurrency ?? 8);
  // Sources deactivated since the run started still count, so the run can finish.
  counts.sourcesSkipped += job.sourceIds.length - list.length;
  counts.googleRequests = google.requests;
  await addRunCounts(db, job.runId, counts, now());
}

/** A job that exhausted its retries: its sources count as failed, and say so, so the run still finishes. */
export async function abandonJob(env: Env, job: SyncJob, now = Date.now()): Promise<void> {
  const db = getDb(env.DB);
  const list = await sourcesByIds(db, job.sourceIds);
  const error = new SourceError("google", "Không đọc được bảng tính sau nhiều lần thử; sẽ thử lại ở lần đồng bộ sau");
  for (const source of list) await recordSourceError(db, source, error, job.runId, now).catch(() => undefined);
  await addRunCounts(db, job.runId, { ...emptyCounts(), sourcesFailed: job.sourceIds.length, issuesFound: list.length }, now);
}

async function communesFor(ctx: SyncContext, unitCode: string): Promise<ReadContext["communes"]> {
  let hit = ctx.communes.get(unitCode);
  if (!hit) {
    hit = ctx.listDate ? communesUnder(ctx.db, ctx.listDate, unitCode) : Promise.resolve([]);
    ctx.communes.set(unitCode, hit);
  }
  return hit;
}

async function syncOneSource(ctx: SyncContext, source: SourceRecord, counts: RunCounts): Promise<void> {
  const { db, google, runId, now } = ctx;
  try {
    const version = await google.fileVersion(source.spreadsheetId);
    const readAs = `${version.version}@${ctx.readerKey}`;
    if (source.lastStatus !== "error" && source.lastVersion === readAs) {
      counts.sourcesSkipped++;
      return;
    }
    const communes = source.layout === "table" ? await communesFor(ctx, source.unitCode) : [];
    const raw = await readSource(google, source, { catalog: ctx.catalog, unitCode: source.unitCode, communes });
    const wanted = new Set<string>();
    const unitCodes = new Set<string>();
    for (const v of raw.values) {
      const prev = previousYearPeriod(v.period);
      if (prev) wanted.add(prev);
      unitCodes.add(v.unitCode);
    }
    const { existing, previous } = await storedForSource(db, source.id, [...unitCodes], [...wanted]);
    const reading = { ...raw, ...validateReading(raw, ctx.catalog, previous) };
    const newPeriods = [...new Set(reading.values.map((v) => v.period))].filter((p) => !ctx.periods.has(p));
    if (newPeriods.length) {
      await ensurePeriods(db, newPeriods);
      newPeriods.forEach((p) => ctx.periods.add(p));
    }
    let result;
    try {
      result = await writeSourceReading(db, source, reading, { ...version, version: readAs }, runId, now(), existing);
    } catch (err) {
      console.error(`writing source ${source.id} failed`, err);
      throw new SourceError("write_failed", "Không ghi được số liệu của bảng tính vào cơ sở dữ liệu; số liệu cũ được giữ nguyên, sẽ thử lại ở lần đồng bộ sau");
    }
    counts.sourcesRead++;
    counts.valuesWritten += result.written;
    counts.valuesRemoved += result.removed;
    counts.issuesFound += reading.issues.length;
  } catch (err) {
    counts.sourcesFailed++;
    counts.issuesFound++;
    await recordSourceError(db, source, asSourceError(err), runId, now()).catch((e) => console.error(`recording the error of source ${source.id} failed`, e));
  }
}

async function fingerprint(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
