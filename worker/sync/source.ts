/**
 * One source of a run, as small steps: locate it on Drive, skip it when unchanged, read and validate it, store what
 * changed, write the check results back into the sheet. Each source ends in one explicit outcome.
 */
import { previousYearPeriod } from "../../domain/periods";
import { ensurePeriods } from "../db/periods";
import { recordFeedback, type SourceRecord } from "../db/sources";
import { storedForSource } from "../db/values";
import { GoogleError } from "../google/errors";
import { SourceError } from "../sheets/types";
import { validateReading } from "../sheets/validate";
import { communesFor, type SyncContext } from "./context";
import { FEEDBACK_TAB, type FeedbackInput, writeFeedback } from "./feedback";
import { asSourceError, configurationProblem, type LocatedSource, locateSource, readSource } from "./read-source";
import { recordSourceError, writeReading } from "./write";

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
    if (!ctx.force && source.lastStatus !== "error" && source.lastVersion === readAs(located.version.version))
      return { kind: "skipped" };
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
    { catalog: ctx.catalog, unitCode: source.unitCode, communes },
    located.readId,
  );
  // The jump check compares each value with the year before it.
  const previousPeriods = new Set<string>();
  const unitCodes = new Set<string>();
  for (const v of raw.values) {
    const prev = previousYearPeriod(v.period);
    if (prev) previousPeriods.add(prev);
    unitCodes.add(v.unitCode);
  }
  const { existing, previous } = await storedForSource(db, source.id, [...unitCodes], [...previousPeriods]);
  const reading = { ...raw, ...validateReading(raw, ctx.catalog, previous) };
  await recordPeriods(ctx, reading.values);
  const stored = await writeReading(
    db,
    source,
    reading,
    { ...located.version, version: readAs(located.version.version) },
    ctx.runId,
    now(),
    existing,
  ).catch((err: unknown) => {
    console.error(`writing source ${source.id} failed`, err);
    throw new SourceError(
      "write_failed",
      "Không ghi được số liệu của bảng tính vào cơ sở dữ liệu; số liệu cũ được giữ nguyên, sẽ thử lại ở lần đồng bộ sau",
    );
  });
  if (google.writes) {
    const names = new Map(communes.map((c) => [c.code, c.fullName ?? c.name]));
    await writeBack(ctx, source, located, readAs, {
      spreadsheetId: located.readId,
      reading,
      catalog: ctx.catalog,
      tabs: raw.tabs,
      communeNames: source.layout === "table" ? names : null,
      checkedAt: now(),
    });
  }
  return { kind: "read", written: stored.written, removed: stored.removed, issues: reading.issues.length };
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
