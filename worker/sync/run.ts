/**
 * A sync run (PRODUCT.md §6): every active source is checked against Drive's `version`; changed ones are read,
 * validated and written, one atomic batch each; a failed source keeps its last good values and says why.
 */
import { getDb, type Db } from "../db/client";
import { ensurePeriods, listIndicators, unitListFor } from "../db/reference";
import { activeSources, finishRun, recordSourceError, startRun, writeSourceReading, type RunCounts, type RunTrigger, type SourceRecord } from "../db/sync";
import { GoogleClient, type GoogleOptions } from "../google/client";
import type { Indicator } from "../reference/catalog";
import { asSourceError, readSource } from "./read-source";

export type SyncOptions = {
  trigger: RunTrigger;
  actor?: string | null;
  now?: () => number;
  google?: GoogleOptions;
  /** Sources read at the same time; Google's per-user quota is what really bounds a run. */
  concurrency?: number;
};

export type SyncResult = RunCounts & { runId: number; status: "ok" | "partial" | "failed" };

export async function runSync(env: Env, options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const db = getDb(env.DB);
  const runId = await startRun(db, options.trigger, options.actor ?? null, now());
  const counts: RunCounts = {
    sourcesTotal: 0,
    sourcesRead: 0,
    sourcesSkipped: 0,
    sourcesFailed: 0,
    valuesWritten: 0,
    valuesRemoved: 0,
    issuesFound: 0,
    googleRequests: 0,
  };
  let google: GoogleClient;
  try {
    google = new GoogleClient(env, { now, ...options.google });
  } catch (err) {
    const error = asSourceError(err).message;
    await finishRun(db, runId, counts, now(), error);
    return { ...counts, runId, status: "failed" };
  }
  const [list, catalog] = await Promise.all([activeSources(db), listIndicators(db)]);
  counts.sourcesTotal = list.length;
  const listDate = await unitListFor(db, new Date(now()).toISOString().slice(0, 10));

  const queue = [...list];
  const worker = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      await syncOneSource(db, google, source, catalog, listDate, runId, now, counts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  counts.googleRequests = google.requests;
  await finishRun(db, runId, counts, now());
  return { ...counts, runId, status: counts.sourcesFailed > 0 ? "partial" : "ok" };
}

async function syncOneSource(
  db: Db,
  google: GoogleClient,
  source: SourceRecord,
  catalog: Indicator[],
  _listDate: string | null,
  runId: number,
  now: () => number,
  counts: RunCounts,
): Promise<void> {
  try {
    const version = await google.fileVersion(source.spreadsheetId);
    if (source.lastStatus !== "error" && source.lastVersion !== null && source.lastVersion === version.version) {
      counts.sourcesSkipped++;
      return;
    }
    const reading = await readSource(google, source, { catalog, unitCode: source.unitCode, communes: [] });
    await ensurePeriods(db, reading.values.map((v) => v.period));
    const result = await writeSourceReading(db, source, reading, version, runId, now());
    counts.sourcesRead++;
    counts.valuesWritten += result.written;
    counts.valuesRemoved += result.removed;
    counts.issuesFound += reading.issues.length;
  } catch (err) {
    counts.sourcesFailed++;
    counts.issuesFound++;
    await recordSourceError(db, source, asSourceError(err), runId, now());
  }
}
