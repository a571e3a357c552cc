/** Reporting periods and their deadlines: set by an administrator, or the default (`domain/periods.ts`). */
import { type SQL, sql } from "drizzle-orm";
import { defaultDeadline, type Period, parsePeriodCode, previousYearPeriod } from "../../domain/periods";
import { auditStatement } from "./audit";
import { runBatch } from "./batch";
import type { Db } from "./client";
import { LIVE, rollupRebuild } from "./rollups";
import { periods } from "./schema";

/** Records periods seen in sheets or asked for, so deadlines can be attached to them. */
export async function ensurePeriods(db: Db, codes: Iterable<string>): Promise<void> {
  const rows = [...new Set(codes)].map(parsePeriodCode).filter((p) => p !== null);
  if (!rows.length) return;
  await db.insert(periods).values(rows).onConflictDoNothing();
}

/** The deadline an administrator set for the period (one row, or none). */
export function deadlineQuery(code: string): SQL {
  return sql`SELECT deadline FROM periods WHERE code = ${code}`;
}

/** The period's deadline from `deadlineQuery`'s rows: the one an administrator set, else the default. */
export function deadlineFrom(code: string, rows: { deadline: number | null }[]): number {
  return rows[0]?.deadline ?? defaultDeadline(parsePeriodCode(code)!);
}

/** Every known period, newest first, with the deadline an administrator set (or null) and the default one. */
export async function listPeriods(db: Db) {
  const rows = await db.select().from(periods).orderBy(sql`${periods.startsOn} DESC, ${periods.endsOn} DESC`);
  return rows.map((p) => ({ code: p.code, deadline: p.deadline, defaultDeadline: defaultDeadline(p) }));
}

/**
 * Sets (or clears, with null) the deadline after which a commune's first report for the period counts as late, and
 * rebuilds the period's live roll-ups (its coverage counts lateness) in the same batch. A frozen conference keeps
 * the lateness it was frozen with until its roll-ups are rebuilt by a unit-list or catalog import.
 */
export async function setPeriodDeadline(db: Db, period: Period, deadline: number | null, actor: string): Promise<void> {
  await runBatch(db, [
    db
      .insert(periods)
      .values({ ...period, deadline })
      .onConflictDoUpdate({ target: periods.code, set: { deadline } }),
    auditStatement(db, {
      actor,
      action: "period.deadline",
      target: period.code,
      detail: { deadline: deadline === null ? null : new Date(deadline).toISOString() },
    }),
    ...(await rollupRebuild(db, LIVE, [{ period: period.code, compare: previousYearPeriod(period.code) }])),
  ]);
}
