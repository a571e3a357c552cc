/**
 * One source of a run, as small steps: locate it on Drive, skip it when unchanged, read and validate it, store what
 * changed, write the check results back into the sheet. Each source ends in one explicit outcome.
 */

import { previousYearPeriod } from "../../domain/periods";
import { type ApprovalRecord, approvalsOf, type PendingValue, sheetTicksOf } from "../db/approvals";
import { ensurePeriods } from "../db/periods";
import { recordFeedback, type SourceRecord } from "../db/sources";
import { type StoredValue, storedForSource, type TakenSlot } from "../db/values";
import { GoogleError } from "../google/errors";
import { modelWrite, storedModels } from "../models/store";
import { sheetUrl } from "../sheets/text";
import { type CellIssue, type CellValue, SourceError, slotKey } from "../sheets/types";
import { validateReading } from "../sheets/validate";
import { communesFor, type SyncContext } from "./context";
import { FEEDBACK_TAB, type FeedbackInput, type PeriodState, writeFeedback } from "./feedback";
import {
  asSourceError,
  configurationProblem,
  type LocatedSource,
  locateSource,
  readSource,
  type SourceRead,
  type SourceRef,
} from "./read-source";
import { pairKey, planTicks, SHEET_ACTOR, type TickNote } from "./ticks";
import { type Held, NOTHING_HELD, recordSourceError, writeReading } from "./write";

/** What became of one source. */
export type SourceOutcome =
  /** Drive says the sheet is as last read (and the catalog and unit list are too). */
  | { kind: "skipped" }
  | { kind: "read"; written: number; removed: number; issues: number }
  /** Recorded on the source, with why; its last good values stay. */
  | { kind: "failed" }
  /** Stopped by Google's quota and allowed to wait for it: nothing of it was recorded, it is to be tried again. */
  | { kind: "deferred" };

export async function syncSource(ctx: SyncContext, source: SourceRecord, mayDefer: boolean): Promise<SourceOutcome> {
  try {
    if (ctx.configError) throw new SourceError("config", causeOfRun(ctx.configError));
    const located = await locateSource(ctx.google, source.spreadsheetId);
    const readAs = versionKey(ctx, source, located);
    const unchanged = source.lastStatus !== "error" && source.lastVersion === readAs(located.version.version);
    // A sheet whose tab is behind a move on the dashboard is read again, to write the tab.
    if (!ctx.force && unchanged && !ctx.behind.has(source.id)) return { kind: "skipped" };
    return await readAndStore(ctx, source, located, readAs);
  } catch (err) {
    if (mayDefer && err instanceof GoogleError && err.kind === "rate_limited") return { kind: "deferred" };
    await fail(ctx, source, err);
    return { kind: "failed" };
  }
}

/**
 * What a reading is stored as: the sheet's version, with a shortcut's target (pointing it elsewhere is a change) and
 * the run's catalog and unit list (a new one reads every sheet again once).
 */
function versionKey(ctx: SyncContext, source: SourceRecord, located: LocatedSource) {
  const target = located.readId === source.spreadsheetId ? "" : `${located.readId}:`;
  return (version: string) => `${target}${version}@${ctx.readerKey}`;
}

async function readAndStore(
  ctx: SyncContext,
  source: SourceRecord,
  located: LocatedSource,
  readAs: (version: string) => string,
): Promise<SourceOutcome> {
  const { db, google, now } = ctx;
  const communes = source.layout === "table" ? await communesFor(ctx, source.unitCode) : [];
  const raw = await readSource(
    google,
    source,
    { catalog: ctx.catalog, modelTypes: ctx.modelTypes, unitCode: source.unitCode, communes },
    located.readId,
  );
  // The models lists this sheet gave last time, read while the values are (PRODUCT.md §15).
  const lastLists = storedModels(db, source.id);
  // The jump check compares each value with the year before it; another sheet may already give the same cells.
  const periods = new Set<string>();
  const previousPeriods = new Set<string>();
  const unitCodes = new Set<string>();
  for (const v of raw.values) {
    periods.add(v.period);
    const prev = previousYearPeriod(v.period);
    if (prev) previousPeriods.add(prev);
    unitCodes.add(v.unitCode);
  }
  for (const t of raw.ticks ?? []) {
    periods.add(t.period);
    unitCodes.add(t.unitCode);
  }
  // In parallel: what is stored (this sheet's values, the year before, other sheets' cells), the approvals and what
  // the sheet's “Chốt số liệu” cells said last time.
  const [{ existing, previous, taken }, approvals, ticks] = await Promise.all([
    storedForSource(db, source.id, [...unitCodes], { periods: [...periods], previous: [...previousPeriods] }),
    approvalsOf(db, [...unitCodes], [...periods]),
    raw.ticks ? sheetTicksOf(db, source.id) : [],
  ]);
  const validated = withoutConflicts({ ...raw, ...validateReading(raw, ctx.catalog, previous) }, taken);
  const { reading, held: holding } = holdApproved(validated, approvals, existing, source.id, now());
  const sheetVersion = (key: string | null) => key?.slice(0, key.lastIndexOf("@"));
  const plan = planTicks(db, {
    sourceId: source.id,
    ticks: raw.ticks,
    stored: ticks,
    approvals: new Map(approvals.map((a) => [pairKey(a), a])),
    // Without a version (forgotten when the tab could not be written), Drive's modifiedTime says whether anyone edited.
    sheetChanged:
      source.lastVersion === null
        ? source.lastModifiedTime !== located.version.modifiedTime
        : sheetVersion(source.lastVersion) !== sheetVersion(readAs(located.version.version)),
    actor: editorOf(located, google.email),
    now: now(),
  });
  // A submission the clerk unticked is taken back as such, not as one an edit withdrew.
  const held: Held = {
    ...holding,
    submitted: new Set([...holding.submitted].filter((p) => !plan.unticked.has(p))),
    editor: plan.actor,
  };
  await recordPeriods(ctx, reading.values);
  const modelStatements = modelWrite(source.id, raw.models ?? [], await lastLists);
  const stored = await writeReading(
    db,
    source,
    { ...reading, modelStatements },
    { ...located.version, version: readAs(located.version.version) },
    ctx.runId,
    now(),
    existing,
    held,
    plan.statements,
  ).catch((err: unknown) => {
    console.error(`writing source ${source.id} failed`, err);
    throw new SourceError(
      "write_failed",
      "Không ghi được số liệu của bảng tính vào cơ sở dữ liệu; số liệu cũ được giữ nguyên, sẽ thử lại ở lần đồng bộ sau",
    );
  });
  const notes = await plan.finish(stored.changed);
  if (google.writes) {
    const names = new Map(communes.map((c) => [c.code, c.fullName ?? c.name]));
    await writeBack(ctx, source, located, readAs, {
      spreadsheetId: located.readId,
      reading,
      catalog: ctx.catalog,
      tabs: raw.tabs,
      communeNames: source.layout === "table" ? names : null,
      checkedAt: now(),
      states: await periodStates(ctx, validated, raw.ticks, held, notes),
    });
  }
  return { kind: "read", written: stored.written, removed: stored.removed, issues: reading.issues.length };
}

/**
 * A value another active sheet already gives for the same commune, period and indicator is not taken: the value there
 * stands, and the cell here is an error naming the other sheet (a second sheet registered for a commune, or one
 * registered for the wrong commune, never changes a figure silently).
 */
function withoutConflicts<R extends { values: CellValue[]; issues: CellIssue[] }>(
  reading: R,
  taken: Map<string, TakenSlot>,
): R {
  if (!taken.size) return reading;
  const conflicts: CellIssue[] = [];
  const values = reading.values.filter((v) => {
    const other = taken.get(slotKey(v.unitCode, v.indicatorCode, v.period));
    if (!other) return true;
    const name = other.title ? `“${other.title}”` : `số ${other.sourceId}`;
    conflicts.push({
      unitCode: v.unitCode,
      period: v.period,
      indicatorCode: v.indicatorCode,
      cell: v.cell,
      raw: v.raw,
      severity: "error",
      code: "conflict",
      message: `Trùng số liệu: ô này đã có số liệu từ bảng tính khác (${name}, ${sheetUrl(other.spreadsheetId, other.gid)}) cho cùng xã, kỳ và chỉ tiêu; số liệu ở bảng tính kia được giữ — mỗi xã chỉ báo cáo một chỉ tiêu ở một bảng tính: xoá số ở đây, hoặc ngừng đọc bảng tính kia nếu nó sai`,
    });
    return false;
  });
  return { ...reading, values, issues: [...reading.issues, ...conflicts] };
}

/**
 * An accepted commune's period is locked (PRODUCT.md §12): the reading's values there are not taken; where they
 * differ from what is stored (or a stored cell was cleared) they become pending changes for the province to see. A
 * submitted commune's period is taken as read, and a change there withdraws the submission (`writeReading`).
 */
function holdApproved<R extends { values: CellValue[] }>(
  reading: R,
  approvals: { unitCode: string; period: string; state: string }[],
  existing: StoredValue[],
  sourceId: number,
  now: number,
): { reading: R; held: Held } {
  if (!approvals.length) return { reading, held: NOTHING_HELD };
  const pair = (v: { unitCode: string; period: string }) => `${v.unitCode}|${v.period}`;
  const accepted = approvals.filter((a) => a.state === "accepted");
  const locked = new Set(accepted.map(pair));
  const stored = new Map(
    existing.filter((v) => locked.has(pair(v))).map((v) => [slotKey(v.unitCode, v.indicatorCode, v.period), v]),
  );
  const pending: PendingValue[] = [];
  const seen = new Set<string>();
  for (const v of reading.values) {
    if (!locked.has(pair(v))) continue;
    const key = slotKey(v.unitCode, v.indicatorCode, v.period);
    seen.add(key);
    if (stored.get(key)?.value === v.value) continue;
    const { unitCode, indicatorCode, period, value, raw, cell } = v;
    pending.push({ unitCode, indicatorCode, period, value, raw, cell, sourceId, writtenAt: now });
  }
  for (const [key, v] of stored) {
    if (seen.has(key)) continue;
    const { unitCode, indicatorCode, period, cell } = v;
    pending.push({ unitCode, indicatorCode, period, value: null, raw: null, cell, sourceId, writtenAt: now });
  }
  return {
    reading: { ...reading, values: reading.values.filter((v) => !locked.has(pair(v))) },
    held: {
      keep: new Set(stored.keys()),
      accepted: accepted.map((a) => ({ unitCode: a.unitCode, period: a.period })),
      pending,
      submitted: new Set(approvals.filter((a) => a.state === "submitted").map(pair)),
    },
  };
}

/** Who a sheet's act is recorded as: Drive's last editor of the file, unless that is the service account itself. */
function editorOf(located: LocatedSource, serviceAccount: string): string {
  const who = located.editedBy;
  return who && who.toLowerCase() !== serviceAccount.toLowerCase() ? who : SHEET_ACTOR;
}

/**
 * The confirmation state of each commune and period the sheet gives (its figures or its “Chốt số liệu” cells), as it
 * stands after this read, for the sheet's tab.
 */
async function periodStates(
  ctx: SyncContext,
  reading: { values: CellValue[] },
  ticks: { unitCode: string; period: string; ticked: boolean }[] | undefined,
  held: Held,
  notes: Map<string, TickNote>,
): Promise<PeriodState[]> {
  const pairs = new Map<string, { unitCode: string; period: string }>();
  for (const v of [...reading.values, ...(ticks ?? [])])
    pairs.set(pairKey(v), { unitCode: v.unitCode, period: v.period });
  if (!pairs.size) return [];
  const list = [...pairs.values()];
  const now = await approvalsOf(
    ctx.db,
    [...new Set(list.map((p) => p.unitCode))],
    [...new Set(list.map((p) => p.period))],
  );
  const approvals = new Map<string, ApprovalRecord>(now.map((a) => [pairKey(a), a]));
  const ticked = new Map((ticks ?? []).map((t) => [pairKey(t), t.ticked]));
  const pending = new Map<string, number>();
  for (const p of held.pending) pending.set(pairKey(p), (pending.get(pairKey(p)) ?? 0) + 1);
  return list.map((p) => {
    const key = pairKey(p);
    return {
      ...p,
      approval: approvals.get(key) ?? null,
      ticked: ticked.get(key) ?? null,
      pending: pending.get(key) ?? 0,
      ...notes.get(key),
    };
  });
}

/** Periods first seen in this run are recorded, so deadlines can be attached to them. */
async function recordPeriods(ctx: SyncContext, values: { period: string }[]): Promise<void> {
  const fresh = [...new Set(values.map((v) => v.period))].filter((p) => !ctx.periods.has(p));
  if (!fresh.length) return;
  await ensurePeriods(ctx.db, fresh);
  for (const p of fresh) ctx.periods.add(p);
}

/**
 * A source that failed says why. A configuration problem (an API not enabled, a key refused) becomes the run's, and
 * every source after it gives that as its cause without calling Google.
 */
async function fail(ctx: SyncContext, source: SourceRecord, err: unknown): Promise<void> {
  const problem = configurationProblem(err, ctx.google);
  if (problem && !ctx.configError) ctx.configError = problem;
  const error = problem ? new SourceError("config", causeOfRun(problem)) : asSourceError(err, ctx.google.email);
  await recordSourceError(ctx.db, source, error, ctx.runId, ctx.now()).catch((e: unknown) =>
    console.error(`recording the error of source ${source.id} failed`, e),
  );
}

/**
 * Writes the check results into the sheet when the service account may edit it, and remembers the version with the
 * write in it — only when nobody else edited the sheet since it was read, so a clerk's edit is never taken for the
 * Worker's own. It never fails the read: the figures are already stored; what went wrong is said on the source.
 */
async function writeBack(
  ctx: SyncContext,
  source: SourceRecord,
  located: LocatedSource,
  readAs: (version: string) => string,
  input: FeedbackInput,
): Promise<void> {
  const { db, google, now } = ctx;
  const record = (feedback: Parameters<typeof recordFeedback>[2]) =>
    recordFeedback(db, source.id, feedback, now()).catch((err: unknown) =>
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
    untouched = (await google.file(input.spreadsheetId)).version === located.version.version;
    await writeFeedback(google, input);
  } catch (err) {
    const why = err instanceof GoogleError ? ` (Google: ${err.message})` : "";
    const error = `Chưa ghi được kết quả kiểm tra vào bảng tính${why}; số liệu đã đọc vẫn được giữ, sẽ ghi lại ở lần đọc sau`;
    // The version is forgotten: the next sync reads the sheet again and writes its results then.
    return record({ status: "failed", error, version: null });
  }
  // Written. Its version is remembered when the sheet had not changed since the read; otherwise the next sync reads it.
  const after = untouched ? await google.file(input.spreadsheetId).catch(() => null) : null;
  await record({ status: "written", error: null, version: after ? readAs(after.version) : null });
}

/** A source's cause when the run as a whole cannot reach Google: the run's problem, not the sheet's. */
function causeOfRun(problem: string): string {
  return `Chưa đọc được vì lỗi cấu hình Google của cả lượt đồng bộ, không phải lỗi của bảng tính này: ${problem}`;
}

/**
 * Reads a sheet without storing anything — what registering it would read — or says why it cannot be read, in the
 * words a source's error would use.
 */
export async function tryRead(
  ctx: SyncContext,
  ref: SourceRef & { unitCode: string },
): Promise<{ ok: true; read: SourceRead } | { ok: false; error: SourceError }> {
  try {
    const located = await locateSource(ctx.google, ref.spreadsheetId);
    const communes = ref.layout === "table" ? await communesFor(ctx, ref.unitCode) : [];
    const read = await readSource(
      ctx.google,
      ref,
      { catalog: ctx.catalog, modelTypes: ctx.modelTypes, unitCode: ref.unitCode, communes },
      located.readId,
    );
    return { ok: true, read };
  } catch (err) {
    const problem = configurationProblem(err, ctx.google);
    return { ok: false, error: problem ? new SourceError("config", problem) : asSourceError(err, ctx.google.email) };
  }
}
