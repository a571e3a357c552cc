/**
 * A sync run (PRODUCT.md §6): every active source is checked against Drive's `version`; changed ones are read,
 * validated and written, one atomic batch each; a failed source keeps its last good values and says why.
 * Above `SYNC_QUEUE_THRESHOLD` sources the run fans out through the sync Queue (see `queue.ts`).
 */

import { previousYearPeriod } from "../../domain/periods";
import { listIndicators } from "../db/catalog";
import { type Db, getDb } from "../db/client";
import { ensurePeriods } from "../db/periods";
import { ensureRollups } from "../db/rollups";
import { addRunCounts, finishRun, type RunCounts, type RunTrigger, setRunTotal, startRun } from "../db/runs";
import {
  activeSourceIds,
  activeSources,
  recordFeedback,
  recordSourceError,
  type SourceRecord,
  sourcesByIds,
  spreadsheetsOfSeveralSources,
} from "../db/sources";
import { communesUnder, unitListFor } from "../db/units";
import { storedForSource, writeSourceReading } from "../db/values";
import { GoogleClient, type GoogleOptions } from "../google/client";
import { GoogleError } from "../google/errors";
import type { Indicator } from "../reference/catalog";
import { type ReadContext, SourceError } from "../sheets/types";
import { validateReading } from "../sheets/validate";
import { FEEDBACK_TAB, type FeedbackInput, writeFeedback } from "./feedback";
import { asSourceError, configurationProblem, locateSource, readSource } from "./read-source";

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
/** Rounds of waiting for the quota inside one run (a cron or manual invocation), and Queue jobs re-sent for it. */
const QUOTA_ROUNDS = 2;

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

/**
 * The Google client of a run. Pacing protects Google's quota (`GOOGLE_READS_PER_MINUTE`, `GOOGLE_WRITES_PER_MINUTE`,
 * 0 = off; local runs set 0: the stand-in has none); `SHEETS_FEEDBACK=true` writes the check results back.
 */
function googleOptions(env: Env, now: () => number, extra: GoogleOptions = {}): GoogleOptions {
  const perMinute = (value: string | undefined) => {
    const configured = Number(value ?? "55");
    return Number.isFinite(configured) && configured >= 0 ? configured : 55;
  };
  return {
    now,
    readsPerMinute: perMinute(env.GOOGLE_READS_PER_MINUTE),
    writesPerMinute: perMinute(env.GOOGLE_WRITES_PER_MINUTE),
    writes: env.SHEETS_FEEDBACK === "true",
    ...extra,
  };
}

export async function runSync(env: Env, options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  await ensureRollups(db);
  const runId = await startRun(db, options.trigger, options.actor ?? null, now());
  const counts = emptyCounts();
  let google: GoogleClient;
  try {
    google = new GoogleClient(env, googleOptions(env, now, options.google));
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
    await finishRun(
      db,
      runId,
      counts,
      now(),
      "Lượt đồng bộ bị lỗi hệ thống; số liệu đã ghi được giữ nguyên, hãy thử lại sau",
    );
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
  const ids = options.sourceIds ?? (await activeSourceIds(db));
  const enqueue = options.enqueue ?? (env.SYNC_QUEUE ? (jobs: SyncJob[]) => sendJobs(env.SYNC_QUEUE, jobs) : null);
  if (!options.sourceIds && ids.length > threshold && enqueue) {
    counts.sourcesTotal = ids.length;
    await setRunTotal(db, runId, ids.length);
    const jobs: SyncJob[] = [];
    for (let i = 0; i < ids.length; i += SOURCES_PER_JOB)
      jobs.push({ runId, sourceIds: ids.slice(i, i + SOURCES_PER_JOB) });
    await enqueue(jobs);
    return { ...counts, runId, status: "running" };
  }

  const list = options.sourceIds ? await sourcesByIds(db, options.sourceIds) : await activeSources(db);
  counts.sourcesTotal = list.length;
  const ctx = { ...(await syncContext(db, google, runId, now)), force: options.force === true };
  await syncSources(ctx, list, counts, options.concurrency ?? 4, QUOTA_ROUNDS);
  counts.googleRequests = google.requests;
  await finishRun(db, runId, counts, now(), ctx.configError);
  return { ...counts, runId, status: ctx.configError ? "failed" : counts.sourcesFailed > 0 ? "partial" : "ok" };
}

async function sendJobs(queue: Queue<SyncJob>, jobs: SyncJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await queue.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
}

/** What every source of a run shares: the catalog, the unit list, the communes of each table's unit. */
type SyncContext = {
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
  /**
   * A refusal no sheet can fix (an API not enabled, a key Google refuses), once found: said on the run, given as the
   * cause on every source left, and no more Google calls are made for them.
   */
  configError: string | null;
  /** Spreadsheets registered for more than one source: their check results would overwrite each other. */
  sharedSpreadsheets: Set<string>;
  runId: number;
  now: () => number;
  /** Read every source, changed or not. */
  force?: boolean;
};

async function syncContext(db: Db, google: GoogleClient, runId: number, now: () => number): Promise<SyncContext> {
  const [catalog, listDate] = await Promise.all([
    listIndicators(db),
    unitListFor(db, new Date(now()).toISOString().slice(0, 10)),
  ]);
  const readerKey = await fingerprint(JSON.stringify([catalog, listDate]));
  const sharedSpreadsheets = new Set(google.writes ? await spreadsheetsOfSeveralSources(db) : []);
  return {
    sharedSpreadsheets,
    db,
    google,
    catalog,
    listDate,
    communes: new Map(),
    periods: new Set(),
    runId,
    now,
    readerKey,
    configError: null,
  };
}

/**
 * Syncs the sources `concurrency` at a time. A source that still meets Google's quota after the client's retries
 * waits for the quota to refill and is tried again, up to `quotaRounds` times; those still limited are returned.
 */
async function syncSources(
  ctx: SyncContext,
  list: SourceRecord[],
  counts: RunCounts,
  concurrency: number,
  quotaRounds: number,
): Promise<SourceRecord[]> {
  let pending = list;
  for (let round = 0; pending.length; round++) {
    const queue = [...pending];
    const limited: SourceRecord[] = [];
    const worker = async () => {
      for (let source = queue.shift(); source; source = queue.shift()) {
        if (!(await syncOneSource(ctx, source, counts, round < quotaRounds || quotaRounds < 0))) limited.push(source);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    if (!limited.length || round >= quotaRounds) return limited;
    pending = limited.sort((a, b) => a.id - b.id);
    await ctx.google.wait(QUOTA_REFILL_MS);
  }
  return [];
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
  const google = new GoogleClient(env, googleOptions(env, now, options.google));
  const list = await sourcesByIds(db, job.sourceIds);
  const counts = emptyCounts();
  const ctx = await syncContext(db, google, job.runId, now);
  // A job does not wait for the quota itself: its limited sources go back to the Queue, to be read a minute later.
  const attempt = job.attempt ?? 0;
  const again = attempt < QUOTA_ROUNDS;
  const limited = await syncSources(ctx, list, counts, options.concurrency ?? 8, again ? -1 : 0);
  if (limited.length) {
    const requeue =
      options.requeue ?? ((next: SyncJob, delaySeconds: number) => env.SYNC_QUEUE.send(next, { delaySeconds }));
    await requeue(
      { runId: job.runId, sourceIds: limited.map((s) => s.id), attempt: attempt + 1 },
      Math.ceil(QUOTA_REFILL_MS / 1000),
    );
  }
  // Sources deactivated since the run started still count, so the run can finish.
  counts.sourcesSkipped += job.sourceIds.length - list.length;
  counts.googleRequests = google.requests;
  await addRunCounts(db, job.runId, counts, now(), ctx.configError);
}

/** A job that exhausted its retries: its sources count as failed, and say so, so the run still finishes. */
export async function abandonJob(env: Env, job: SyncJob, now = Date.now()): Promise<void> {
  const db = getDb(env.DB);
  const list = await sourcesByIds(db, job.sourceIds);
  const error = new SourceError("google", "Không đọc được bảng tính sau nhiều lần thử; sẽ thử lại ở lần đồng bộ sau");
  for (const source of list) await recordSourceError(db, source, error, job.runId, now).catch(() => undefined);
  await addRunCounts(
    db,
    job.runId,
    { ...emptyCounts(), sourcesFailed: job.sourceIds.length, issuesFound: list.length },
    now,
  );
}

async function communesFor(ctx: SyncContext, unitCode: string): Promise<ReadContext["communes"]> {
  let hit = ctx.communes.get(unitCode);
  if (!hit) {
    hit = ctx.listDate ? communesUnder(ctx.db, ctx.listDate, unitCode) : Promise.resolve([]);
    ctx.communes.set(unitCode, hit);
  }
  return hit;
}

/**
 * Syncs one source; false when Google's quota stopped it and `deferrable` lets it be tried again later (nothing of
 * it is then recorded).
 */
async function syncOneSource(
  ctx: SyncContext,
  source: SourceRecord,
  counts: RunCounts,
  deferrable: boolean,
): Promise<boolean> {
  const { db, google, runId, now } = ctx;
  try {
    if (ctx.configError) throw new SourceError("config", causeOfRun(ctx.configError));
    const { readId, version, canEdit } = await locateSource(google, source.spreadsheetId);
    // A shortcut's target is part of the key: pointing it elsewhere is a change.
    const readAsOf = (v: string) => `${readId === source.spreadsheetId ? "" : `${readId}:`}${v}@${ctx.readerKey}`;
    const readAs = readAsOf(version.version);
    if (!ctx.force && source.lastStatus !== "error" && source.lastVersion === readAs) {
      counts.sourcesSkipped++;
      return true;
    }
    const communes = source.layout === "table" ? await communesFor(ctx, source.unitCode) : [];
    const raw = await readSource(google, source, { catalog: ctx.catalog, unitCode: source.unitCode, communes }, readId);
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
      throw new SourceError(
        "write_failed",
        "Không ghi được số liệu của bảng tính vào cơ sở dữ liệu; số liệu cũ được giữ nguyên, sẽ thử lại ở lần đồng bộ sau",
      );
    }
    if (google.writes) {
      const names = new Map(communes.map((c) => [c.code, c.fullName ?? c.name]));
      await writeBack(ctx, source, { canEdit, version: version.version }, readAsOf, {
        spreadsheetId: readId,
        reading,
        catalog: ctx.catalog,
        tabs: raw.tabs,
        communeNames: source.layout === "table" ? names : null,
        checkedAt: now(),
      });
    }
    counts.sourcesRead++;
    counts.valuesWritten += result.written;
    counts.valuesRemoved += result.removed;
    counts.issuesFound += reading.issues.length;
    return true;
  } catch (err) {
    if (deferrable && err instanceof GoogleError && err.kind === "rate_limited") return false;
    const problem = configurationProblem(err, google);
    if (problem && !ctx.configError) ctx.configError = problem;
    const error = problem ? new SourceError("config", causeOfRun(problem)) : asSourceError(err, google.email);
    counts.sourcesFailed++;
    counts.issuesFound++;
    await recordSourceError(db, source, error, runId, now()).catch((e) =>
      console.error(`recording the error of source ${source.id} failed`, e),
    );
    return true;
  }
}

/**
 * Writes the check results into the sheet when the service account may edit it, and remembers the version with the
 * write in it — only when nobody else edited the sheet since it was read, so a clerk's edit is never taken for the
 * Worker's own. It never fails the read: the figures are already stored; what went wrong is said on the source.
 */
async function writeBack(
  ctx: SyncContext,
  source: SourceRecord,
  located: { canEdit: boolean; version: string },
  readAsOf: (version: string) => string,
  input: FeedbackInput,
): Promise<void> {
  const { db, google, now } = ctx;
  const record = (feedback: Parameters<typeof recordFeedback>[2]) =>
    recordFeedback(db, source.id, feedback, now()).catch((err) =>
      console.error(`recording the feedback of source ${source.id} failed`, err),
    );
  if (!located.canEdit) {
    const error = `Chưa bật phản hồi vào bảng tính: bảng tính chỉ chia sẻ quyền “Người xem” cho ${google.email} — bấm “Chia sẻ”, đổi quyền của tài khoản này thành “Người chỉnh sửa” để kết quả kiểm tra hiện ngay trong trang “${FEEDBACK_TAB}”`;
    return record({ status: "read_only", error });
  }
  if (ctx.sharedSpreadsheets.has(input.spreadsheetId)) {
    const error = `Chưa ghi kết quả kiểm tra vào bảng tính: bảng tính này được đăng ký cho nhiều trang hoặc nhiều đơn vị, kết quả của chúng sẽ ghi đè nhau — xem các lỗi ở trang “Lỗi cần sửa” của bảng điều khiển`;
    return record({ status: "skipped", error });
  }
  let untouched: boolean;
  try {
    untouched = (await google.file(input.spreadsheetId)).version === located.version;
    await writeFeedback(google, input);
  } catch (err) {
    const why = err instanceof GoogleError ? ` (Google: ${err.message})` : "";
    const error = `Chưa ghi được kết quả kiểm tra vào bảng tính${why}; số liệu đã đọc vẫn được giữ, sẽ ghi lại ở lần đọc sau`;
    // The version is forgotten: the next sync reads the sheet again and writes its results then.
    return record({ status: "failed", error, version: null });
  }
  // Written. Its version is remembered when the sheet had not changed since the read; otherwise the next sync reads it.
  const after = untouched ? await google.file(input.spreadsheetId).catch(() => null) : null;
  await record({ status: "written", error: null, version: after ? readAsOf(after.version) : null });
}

/** A source's cause when the run as a whole cannot reach Google: the run's problem, not the sheet's. */
function causeOfRun(problem: string): string {
  return `Chưa đọc được vì lỗi cấu hình Google của cả lượt đồng bộ, không phải lỗi của bảng tính này: ${problem}`;
}

async function fingerprint(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
