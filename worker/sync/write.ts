/**
 * Storing what a source's reading changed — its values, its issues, its status and the roll-ups above its communes —
 * in one D1 batch, so a run that dies half-way leaves each source either as it was or fully updated (PRODUCT.md §6).
 */
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { replaceSourceError, replaceSourceIssues } from "../db/issues";
import { markFailed, markRead, recountSourcePeriods, type SourceRecord } from "../db/sources";
import { type StoredValue, valueChanges } from "../db/values";
import { rollupWrite } from "../rollups/write";
import type { CellIssue, CellValue, SourceError } from "../sheets/types";

export type Reading = { values: CellValue[]; issues: CellIssue[]; title: string; locale: string | null };

/** Changed values upserted, vanished ones removed (and audited), issues replaced, roll-ups moved: one batch. */
export async function writeReading(
  db: Db,
  source: SourceRecord,
  reading: Reading,
  version: { version: string; modifiedTime: string },
  runId: number,
  now: number,
  existing: StoredValue[],
): Promise<{ written: number; removed: number }> {
  const change = valueChanges(db, source.id, reading, existing, runId, now);
  await runBatch(db, [
    ...change.statements,
    ...rollupWrite(
      change.touched.map((v) => v.unitCode),
      change.touched.map((v) => v.period),
    ),
    ...replaceSourceIssues(db, source.id, reading.issues, runId, now),
    markRead(db, source.id, { title: reading.title, locale: reading.locale, ...version }, runId, now),
    ...(change.touched.length ? recountSourcePeriods(source.id) : []),
  ]);
  return { written: change.written, removed: change.removed };
}

/** A source that could not be read keeps its values; it records why, as its status and as one issue. */
export async function recordSourceError(
  db: Db,
  source: SourceRecord,
  error: SourceError,
  runId: number,
  now: number,
): Promise<void> {
  await runBatch(db, [
    ...replaceSourceError(db, source, error, runId, now),
    markFailed(db, source.id, error, runId, now),
  ]);
}
