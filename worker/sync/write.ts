/**
 * Storing what a source's reading changed — its values, its issues, its status and the roll-ups above its communes —
 * in one D1 batch, so a run that dies half-way leaves each source either as it was or fully updated (PRODUCT.md §6).
 */
import type { SQL } from "drizzle-orm";
import { type PendingValue, replacePending, WITHDRAWN, withdrawSubmissions } from "../db/approvals";
import { runBatch, type Statement } from "../db/batch";
import type { Db } from "../db/client";
import { replaceSourceError, replaceSourceIssues } from "../db/issues";
import { countSource } from "../db/runs";
import { markFailed, markRead, recountSourcePeriods, type SourceRecord } from "../db/sources";
import { type StoredValue, valueChanges } from "../db/values";
import { changedValuesWrite } from "../rollups/write";
import type { CellIssue, CellValue, SourceError } from "../sheets/types";

export type Reading = {
  values: CellValue[];
  issues: CellIssue[];
  title: string;
  locale: string | null;
  /** What the models tab changed (its lists and their roll-ups, PRODUCT.md §15): none when nothing did. */
  modelStatements?: SQL[];
};

/**
 * What approvals hold back from a reading (PRODUCT.md §12): the slots of accepted communes kept as accepted, with
 * what the sheet says there now as pending changes; and the submitted communes whose submission a change withdraws.
 */
export type Held = {
  keep: ReadonlySet<string>;
  accepted: { unitCode: string; period: string }[];
  pending: PendingValue[];
  submitted: ReadonlySet<string>;
  /** Who edited the sheet, as Drive says it: the withdrawals are audited as theirs. */
  editor?: string;
};

export const NOTHING_HELD: Held = { keep: new Set(), accepted: [], pending: [], submitted: new Set() };

/**
 * Changed values upserted, vanished ones removed (and audited), issues replaced, roll-ups moved, accepted communes'
 * pending changes replaced, submissions the change touches withdrawn, and `also` (what the sheet's “Chốt số liệu”
 * row takes back): one batch. `changed` names each `unit|period` whose values changed.
 */
export async function writeReading(
  db: Db,
  source: SourceRecord,
  reading: Reading,
  version: { version: string; modifiedTime: string },
  runId: number,
  now: number,
  existing: StoredValue[],
  held: Held = NOTHING_HELD,
  also: Statement[] = [],
): Promise<{ written: number; removed: number; withdrawn: number; changed: Set<string> }> {
  const change = valueChanges(db, source.id, reading, existing, runId, now, held.keep);
  const withdrawn = [
    ...new Map(
      change.touched
        .filter((t) => held.submitted.has(`${t.unitCode}|${t.period}`))
        .map((t) => [`${t.unitCode}|${t.period}`, t]),
    ).values(),
  ];
  await runBatch(db, [
    ...change.statements,
    // A submission the change takes back is counted as such by the roll-ups that follow.
    ...withdrawSubmissions(db, withdrawn, now, {
      reason: WITHDRAWN,
      actor: held.editor ?? "sync",
      detail: { via: "sheet" },
    }),
    ...(await changedValuesWrite(
      db,
      change.touched.map((v) => v.unitCode),
      change.touched.map((v) => v.period),
    )),
    ...(reading.modelStatements ?? []),
    ...replaceSourceIssues(db, source.id, reading.issues, runId, now),
    markRead(db, source.id, { title: reading.title, locale: reading.locale, ...version }, runId, now),
    ...(change.touched.length ? recountSourcePeriods(source.id) : []),
    ...replacePending(db, held.accepted, held.pending),
    ...also,
    // The run counts the source with its write: true counts however the run ends.
    countSource(
      db,
      runId,
      {
        sourcesRead: 1,
        valuesWritten: change.written,
        valuesRemoved: change.removed,
        issuesFound: reading.issues.length,
      },
      now,
    ),
  ]);
  const changed = new Set(change.touched.map((t) => `${t.unitCode}|${t.period}`));
  return { written: change.written, removed: change.removed, withdrawn: withdrawn.length, changed };
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
    // The source's own error is one issue.
    countSource(db, runId, { sourcesFailed: 1, issuesFound: 1 }, now),
  ]);
}
