/** Approval states of communes' figures (PRODUCT.md §12) and the accepted communes' pending changes. */
import { and, eq, sql } from "drizzle-orm";
import type { IndicatorKind } from "../../domain/indicators";
import type { Statement } from "./batch";
import type { Db } from "./client";
import { errorCells } from "./issues";
import { approvals, auditLog, pendingValues, sheetTicks } from "./schema";
import { COMMUNE_KINDS, unitTree } from "./units";
import { hasValues } from "./values";

export type ApprovalRecord = typeof approvals.$inferSelect;
export type PendingValue = typeof pendingValues.$inferSelect;

/** A commune under the unit with its approval (null when none was ever made: `open`). */
export type CommuneApproval = { unitCode: string; unitName: string; approval: ApprovalRecord | null };

/** Every commune under the unit (the commune itself for a commune), by name, with its approval for the period. */
export async function approvalsUnder(
  db: Db,
  listDate: string,
  unitCode: string,
  period: string,
): Promise<CommuneApproval[]> {
  const rows = await db.all<
    { unitCode: string; unitName: string; state: ApprovalRecord["state"] | null } & ApprovalRecord
  >(sql`
    WITH RECURSIVE ${unitTree({ listDate, unitCode })}
    SELECT t.code AS unitCode, u.full_name AS unitName, a.state AS state, a.period AS period,
           a.submitted_at AS submittedAt, a.submitted_by AS submittedBy, a.accepted_at AS acceptedAt,
           a.accepted_by AS acceptedBy, a.returned_at AS returnedAt, a.returned_by AS returnedBy, a.reason AS reason,
           a.updated_at AS updatedAt
    FROM tree t JOIN units u ON u.valid_from = ${listDate} AND u.code = t.code
    LEFT JOIN approvals a ON a.unit_code = t.code AND a.period = ${period}
    WHERE t.kind IN ${COMMUNE_KINDS}
    ORDER BY u.full_name`);
  return rows.map(({ unitName, state, ...a }) => ({
    unitCode: a.unitCode,
    unitName,
    approval: state === null ? null : { ...a, state },
  }));
}

/** A commune's period as it is before any move: `open`, nobody's. */
export const openApproval = (unitCode: string, period: string, now: number): ApprovalRecord => ({
  unitCode,
  period,
  state: "open",
  submittedAt: null,
  submittedBy: null,
  acceptedAt: null,
  acceptedBy: null,
  returnedAt: null,
  returnedBy: null,
  reason: null,
  updatedAt: now,
});

export async function findApproval(db: Db, unitCode: string, period: string): Promise<ApprovalRecord | null> {
  const [row] = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.unitCode, unitCode), eq(approvals.period, period)));
  return row ?? null;
}

/** The statement that sets a commune's approval for the period to `next` (the row made when there was none). */
export function saveApproval(db: Db, next: ApprovalRecord): Statement {
  const { unitCode, period, ...rest } = next;
  return db
    .insert(approvals)
    .values(next)
    .onConflictDoUpdate({ target: [approvals.unitCode, approvals.period], set: rest });
}

/**
 * The approvals of these communes in these periods (none: `open`): what a sync must respect (submitted, accepted)
 * and what the sheet's tab says.
 */
export async function approvalsOf(db: Db, unitCodes: string[], periods: string[]): Promise<ApprovalRecord[]> {
  if (!unitCodes.length || !periods.length) return [];
  return db.all(sql`
    SELECT a.unit_code AS unitCode, a.period AS period, a.state AS state, a.submitted_at AS submittedAt,
           a.submitted_by AS submittedBy, a.accepted_at AS acceptedAt, a.accepted_by AS acceptedBy,
           a.returned_at AS returnedAt, a.returned_by AS returnedBy, a.reason AS reason, a.updated_at AS updatedAt
    FROM json_each(${JSON.stringify(unitCodes)}) u
    CROSS JOIN approvals a ON a.unit_code = u.value
    WHERE a.period IN (SELECT value FROM json_each(${JSON.stringify(periods)}))`);
}

/**
 * Why the commune cannot confirm its figures for the period now, or null: an error in any of its cells (each named),
 * or no figures at all (PRODUCT.md §12).
 */
export async function submissionRefusal(db: Db, unitCode: string, period: string): Promise<string | null> {
  const errors = await errorCells(db, unitCode, period);
  if (errors.length) {
    const cells = errors.map((e) => (e.cell ? `${e.cell} (${e.message})` : e.message));
    return `Chưa chốt được: còn ${errors.length} ô lỗi cần sửa trong bảng tính — ${cells.join("; ")}`;
  }
  if (!(await hasValues(db, unitCode, period)))
    return `Chưa chốt được: chưa có số liệu kỳ ${period} nào của đơn vị ${unitCode} để chốt`;
  return null;
}

/**
 * The active sources whose sheet's tab is behind a move of one of its communes' approvals (a return, an acceptance, a
 * reopening, a confirmation on the dashboard): each feeds the commune's period and last wrote its tab before the
 * move. Only the moves since the last finished scheduled run started are looked at (that run, which reads every
 * source, brought the tabs up to date with the moves before it), so a run with nothing moved reads next to nothing.
 */
export async function sourcesBehindApprovals(db: Db): Promise<Set<number>> {
  const rows = await db.all<{ id: number }>(sql`
    SELECT DISTINCT s.id AS id
    FROM approvals a INDEXED BY approvals_updated_idx
    CROSS JOIN indicator_values v INDEXED BY values_rollup_idx ON v.unit_code = a.unit_code AND v.period = a.period
    JOIN sources s ON s.id = v.source_id
    WHERE a.updated_at > COALESCE(
        (SELECT max(started_at) FROM sync_runs WHERE finished_at IS NOT NULL AND trigger IN ('cron', 'conference')), 0)
      AND s.active = 1 AND s.feedback_status = 'written' AND s.feedback_at < a.updated_at`);
  return new Set(rows.map((r) => r.id));
}

export type SheetTickRecord = typeof sheetTicks.$inferSelect;

/** What the source's “Chốt số liệu” cells said at its last read (PRODUCT.md §12). */
export async function sheetTicksOf(db: Db, sourceId: number): Promise<SheetTickRecord[]> {
  return db.select().from(sheetTicks).where(eq(sheetTicks.sourceId, sourceId));
}

/** The statements that store a tick as read now (`state` null: not ticked, its row removed). */
export function saveSheetTick(
  db: Db,
  tick: Omit<SheetTickRecord, "state"> & { state: SheetTickRecord["state"] | null },
): Statement {
  const { sourceId, unitCode, period, state } = tick;
  const key = and(eq(sheetTicks.sourceId, sourceId), eq(sheetTicks.unitCode, unitCode), eq(sheetTicks.period, period));
  if (state === null) return db.delete(sheetTicks).where(key);
  return db
    .insert(sheetTicks)
    .values({ ...tick, state })
    .onConflictDoUpdate({
      target: [sheetTicks.sourceId, sheetTicks.unitCode, sheetTicks.period],
      set: { state, cell: tick.cell, updatedAt: tick.updatedAt },
    });
}

/** The statements that replace the pending changes of these communes' accepted periods with `rows`. */
export function replacePending(
  db: Db,
  held: { unitCode: string; period: string }[],
  rows: PendingValue[],
): Statement[] {
  return [
    ...held.map((h) =>
      db.delete(pendingValues).where(and(eq(pendingValues.unitCode, h.unitCode), eq(pendingValues.period, h.period))),
    ),
    ...rows.map((r) => db.insert(pendingValues).values(r)),
  ];
}

/** Why a submission went back to `open`: the sheet changed after it. */
export const WITHDRAWN = "Bảng tính đã sửa sau khi chốt: cần chốt lại";

/** Why a submission went back to `open`: the clerk unticked “Chốt số liệu” in the sheet. */
export const UNTICKED = "Xã đã bỏ đánh dấu “Chốt số liệu” trong bảng tính";

/**
 * The statements that take back these communes' submissions (only those still `submitted`), audited with who
 * (`sync` for an edit; the sheet's last editor for an untick) and why.
 */
export function withdrawSubmissions(
  db: Db,
  pairs: { unitCode: string; period: string }[],
  now: number,
  why: { reason: string; actor: string; detail?: Record<string, string> } = { reason: WITHDRAWN, actor: "sync" },
): Statement[] {
  return pairs.flatMap(({ unitCode, period }) => [
    db
      .update(approvals)
      .set({ state: "open", reason: why.reason, updatedAt: now })
      .where(and(eq(approvals.unitCode, unitCode), eq(approvals.period, period), eq(approvals.state, "submitted"))),
    db.insert(auditLog).values({
      at: now,
      actor: why.actor,
      action: "approval.withdrawn",
      target: `${unitCode}/${period}`,
      detail: JSON.stringify({ reason: why.reason, ...why.detail }),
    }),
  ]);
}

/** The pending changes of the communes under the unit for the period, each beside the accepted value it would replace. */
export async function pendingUnder(
  db: Db,
  listDate: string,
  unitCode: string,
  period: string,
): Promise<
  {
    unitCode: string;
    indicatorCode: string;
    label: string;
    kind: IndicatorKind;
    accepted: number | null;
    latest: number | null;
  }[]
> {
  return db.all(sql`
    WITH RECURSIVE ${unitTree({ listDate, unitCode })}
    SELECT p.unit_code AS unitCode, p.indicator_code AS indicatorCode, COALESCE(i.label, p.indicator_code) AS label,
           COALESCE(i.kind, 'amount') AS kind, v.value AS accepted, p.value AS latest
    FROM tree t CROSS JOIN pending_values p ON p.unit_code = t.code AND p.period = ${period}
    LEFT JOIN indicators i ON i.code = p.indicator_code
    LEFT JOIN indicator_values v ON v.unit_code = p.unit_code AND v.indicator_code = p.indicator_code
      AND v.period = p.period
    WHERE t.kind IN ${COMMUNE_KINDS}
    ORDER BY p.unit_code, p.indicator_code`);
}
