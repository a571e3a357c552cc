/** Reporting periods and their deadlines: set by an administrator, or the default (`domain/periods.ts`). */
import { sql } from "drizzle-orm";
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

async function periodDeadline(db: Db, code: string): Promise<number | null> {
  const [row] = await db.all<{ deadline: number | null }>(sql`SELECT deadline FROM periods WHERE code = ${code}`);
  return row?.deadline ?? null;
}

/** The period's deadline: the one an administrator set, else the default. */
export async function deadlineOf(db: Db, period: string): Promise<number> {
  return (await periodDeadline(db, period)) ?? defaultDeadline(parsePeriodCode(period)!);
}

/** Every known period, newest first, with the deadline an administrator set (or null) and the default one. */
export async function listPeriods(db: Db) {
  const rows = await db.select().from(periods).orderBy(sql`${periods.startsOn} DESC, ${periods.endsOn} DESC`);
  return rows.map((p) => ({ code: p.code, deadline: p.deadline, defaultDeadline: defaultDeadline(p) }));
}

/**
 * Sets (or clears, with null) the deadline after which a commune's first report for the period counts as late, and
 * recounts the period's live coverage in the same batch. A frozen conference keeps the lateness it was frozen with.
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
    ...rollupRebuild(LIVE, [{ period: period.code, compare: previousYearPeriod(period.code) }]),
  ]);
}
