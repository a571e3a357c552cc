/** A period's deadline, set by an administrator: after it a commune's first report counts as late (PRODUCT.md §6). */
import type { Period } from "../../domain/periods";
import { auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { deadlineStatement } from "../db/periods";
import { iso } from "../http/json";
import { periodRebuild } from "../rollups/write";

/**
 * Sets (or clears, with null) the deadline and rebuilds the period's live roll-ups (its coverage counts lateness) in
 * the same batch. A frozen conference keeps the lateness it was frozen with until a unit-list or catalog import.
 */
export async function setPeriodDeadline(db: Db, period: Period, deadline: number | null, actor: string): Promise<void> {
  await runBatch(db, [
    deadlineStatement(db, period, deadline),
    auditStatement(db, { actor, action: "period.deadline", target: period.code, detail: { deadline: iso(deadline) } }),
    ...(await periodRebuild(db, period.code)),
  ]);
}
