/** Approval states of communes' figures (PRODUCT.md §12) and the accepted communes' pending changes. */
import { and, eq, sql } from "drizzle-orm";
import type { IndicatorKind } from "../../domain/indicators";
import type { Statement } from "./batch";
import type { Db } from "./client";
import { approvals, auditLog, pendingValues } from "./schema";
import { COMMUNE_KINDS, unitTree } from "./units";

export type ApprovalRecord = typeof approvals.$inferSelect;
export type ApprovalState = ApprovalRecord["state"];
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
  const rows = await db.all<{ unitCode: string; unitName: string; state: ApprovalState | null } & ApprovalRecord>(sql`
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

/** The approvals of these communes in these periods that a sync must respect (submitted or accepted). */
export async function heldApprovals(
  db: Db,
  unitCodes: string[],
  periods: string[],
): Promise<Pick<ApprovalRecord, "unitCode" | "period" | "state">[]> {
  if (!unitCodes.length || !periods.length) return [];
  return db.all(sql`
    SELECT a.unit_code AS unitCode, a.period AS period, a.state AS state
    FROM json_each(${JSON.stringify(unitCodes)}) u
    CROSS JOIN approvals a ON a.unit_code = u.value
    WHERE a.period IN (SELECT value FROM json_each(${JSON.stringify(periods)})) AND a.state IN ('submitted', 'accepted')`);
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
const WITHDRAWN = "Bảng tính đã sửa sau khi chốt: cần chốt lại";

/** The statements that take back these communes' submissions (only those still `submitted`), audited. */
export function withdrawSubmissions(db: Db, pairs: { unitCode: string; period: string }[], now: number): Statement[] {
  return pairs.flatMap(({ unitCode, period }) => [
    db
      .update(approvals)
      .set({ state: "open", reason: WITHDRAWN, updatedAt: now })
      .where(and(eq(approvals.unitCode, unitCode), eq(approvals.period, period), eq(approvals.state, "submitted"))),
    db.insert(auditLog).values({
      at: now,
      actor: "sync",
      action: "approval.withdrawn",
      target: `${unitCode}/${period}`,
      detail: JSON.stringify({ reason: WITHDRAWN }),
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
