/**
 * Official figures (PRODUCT.md §12): a commune submits its period (refused while an error remains), the province
 * accepts it or returns it with a reason, and reopens an accepted one with a reason. Every move is audited with who,
 * when and why; a move the state does not allow is refused (409) naming the state, and changes nothing.
 */

import { STATE_WORDS } from "../../domain/approvals";
import {
  type ApprovalRecord,
  findApproval,
  openApproval,
  replacePending,
  saveApproval,
  submissionRefusal,
} from "../db/approvals";
import { auditStatement } from "../db/audit";
import { runBatch, type Statement } from "../db/batch";
import type { Db } from "../db/client";
import { activeSourceIdsFor } from "../db/sources";
import { AppError } from "../errors";
import { rollupWrite } from "../rollups/write";
import { runSync } from "../sync/run";

async function current(db: Db, unitCode: string, period: string, now: number): Promise<ApprovalRecord> {
  return (await findApproval(db, unitCode, period)) ?? openApproval(unitCode, period, now);
}

function refuse(a: ApprovalRecord, wanted: string): never {
  throw new AppError(
    "conflict",
    `Không thể ${wanted}: số liệu kỳ ${a.period} của đơn vị ${a.unitCode} đang ở trạng thái “${STATE_WORDS[a.state]}”`,
  );
}

/**
 * The move saved with its audit entry (and `also`, in the same batch), and the commune's coverage counted again above
 * it (submitted, accepted).
 */
async function save(
  db: Db,
  next: ApprovalRecord,
  action: string,
  actor: string,
  now: number,
  also: Statement[] = [],
): Promise<ApprovalRecord> {
  await runBatch(db, [
    saveApproval(db, next),
    ...also,
    ...rollupWrite([next.unitCode], [next.period]),
    auditStatement(
      db,
      { actor, action, target: `${next.unitCode}/${next.period}`, detail: next.reason ? { reason: next.reason } : {} },
      now,
    ),
  ]);
  return next;
}

/** The commune confirms its figures for the period; refused while any of its cells holds an error. */
export async function submit(db: Db, unitCode: string, period: string, actor: string): Promise<ApprovalRecord> {
  const now = Date.now();
  const a = await current(db, unitCode, period, now);
  if (a.state !== "open" && a.state !== "returned") refuse(a, "chốt số liệu");
  const refusal = await submissionRefusal(db, unitCode, period);
  if (refusal) throw new AppError("conflict", refusal);
  return save(
    db,
    { ...a, state: "submitted", submittedAt: now, submittedBy: actor, updatedAt: now },
    "approval.submit",
    actor,
    now,
  );
}

/** The province accepts each submitted commune of the list; the others are answered with why not. */
export async function accept(
  db: Db,
  unitCodes: string[],
  period: string,
  actor: string,
): Promise<{ unitCode: string; approval: ApprovalRecord | null; refused: string | null }[]> {
  const out = [];
  for (const unitCode of [...new Set(unitCodes)]) {
    const now = Date.now();
    const a = await current(db, unitCode, period, now);
    if (a.state !== "submitted") {
      out.push({ unitCode, approval: a, refused: `Chưa duyệt: trạng thái “${STATE_WORDS[a.state]}”` });
      continue;
    }
    const next = { ...a, state: "accepted" as const, acceptedAt: now, acceptedBy: actor, reason: null, updatedAt: now };
    out.push({ unitCode, approval: await save(db, next, "approval.accept", actor, now), refused: null });
  }
  return out;
}

/** The province sends a submitted commune back with a reason; the commune submits again. */
export async function returnToCommune(
  db: Db,
  unitCode: string,
  period: string,
  reason: string,
  actor: string,
): Promise<ApprovalRecord> {
  const now = Date.now();
  const a = await current(db, unitCode, period, now);
  if (a.state !== "submitted") refuse(a, "trả lại");
  const next = { ...a, state: "returned" as const, returnedAt: now, returnedBy: actor, reason, updatedAt: now };
  return save(db, next, "approval.return", actor, now);
}

/**
 * The province reopens an accepted commune with a reason: its pending changes are dropped and its sheets read again
 * at once, so what they say now becomes its figures.
 */
export async function reopen(
  env: Env,
  db: Db,
  unitCode: string,
  period: string,
  reason: string,
  actor: string,
): Promise<ApprovalRecord> {
  const now = Date.now();
  const a = await current(db, unitCode, period, now);
  if (a.state !== "accepted") refuse(a, "mở lại");
  const next = { ...openApproval(unitCode, period, now), reason };
  await save(db, next, "approval.reopen", actor, now, replacePending(db, [{ unitCode, period }], []));
  const sourceIds = await activeSourceIdsFor(db, unitCode);
  if (sourceIds.length) await runSync(env, { trigger: "sheet", actor, sourceIds, force: true });
  return next;
}
