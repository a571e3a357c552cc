/** The map's boundaries, one prepared TopoJSON per province. */
import { eq, inArray } from "drizzle-orm";
import { type AuditEntry, auditStatement } from "./audit";
import { runBatch } from "./batch";
import type { Db } from "./client";
import { boundaries } from "./schema";

export type ProvinceBoundaries = { unitCode: string; topology: string; communes: number; gzipBytes: number };

/** Replaces the boundaries of the provinces given, in one batch with its audit entry. */
export async function saveBoundaries(
  db: Db,
  rows: ProvinceBoundaries[],
  actor: string,
  audit: AuditEntry,
  now = Date.now(),
) {
  await runBatch(db, [
    ...(rows.length
      ? [
          db.delete(boundaries).where(
            inArray(
              boundaries.unitCode,
              rows.map((r) => r.unitCode),
            ),
          ),
        ]
      : []),
    ...rows.map((r) => db.insert(boundaries).values({ ...r, uploadedAt: now, uploadedBy: actor })),
    auditStatement(db, audit, now),
  ]);
}

export async function findBoundaries(db: Db, unitCode: string): Promise<string | null> {
  const [row] = await db
    .select({ topology: boundaries.topology })
    .from(boundaries)
    .where(eq(boundaries.unitCode, unitCode));
  return row?.topology ?? null;
}
