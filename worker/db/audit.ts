/** The audit log: who did what and when (PRODUCT.md §6 removals, §11 admin actions). */
import { desc, lt } from "drizzle-orm";
import type { Db } from "./client";
import { auditLog } from "./schema";

export type AuditEntry = { actor: string; action: string; target?: string | null; detail?: unknown };

/** The insert for one entry, to put in the same batch as the change it records. */
export function auditStatement(db: Db, entry: AuditEntry, now = Date.now()) {
  return db.insert(auditLog).values({
    at: now,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
  });
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(db: Db, limit: number, before?: number) {
  return db
    .select()
    .from(auditLog)
    .where(before === undefined ? undefined : lt(auditLog.id, before))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
