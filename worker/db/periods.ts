/** Reporting periods and their deadlines: set by an administrator, or the default (`domain/periods.ts`). */
import { type SQL, sql } from "drizzle-orm";
import { defaultDeadline, type Period, parsePeriodCode } from "../../domain/periods";
import { reportingYearEnd } from "../reporting-year";
import type { Db } from "./client";
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
  const period = parsePeriodCode(code);
  if (!period) throw new Error(`not a period code: ${code}`);
  return rows[0]?.deadline ?? defaultDeadline(period, reportingYearEnd());
}

/** Every known period, newest first, with the deadline an administrator set (or null) and the default one. */
export async function listPeriods(db: Db) {
  const rows = await db.select().from(periods).orderBy(sql`${periods.startsOn} DESC, ${periods.endsOn} DESC`);
  return rows.map((p) => ({
    code: p.code,
    deadline: p.deadline,
    defaultDeadline: defaultDeadline(p, reportingYearEnd()),
  }));
}

/** The statement that sets (or clears, with null) the period's deadline. */
export function deadlineStatement(db: Db, period: Period, deadline: number | null) {
  return db
    .insert(periods)
    .values({ ...period, deadline })
    .onConflictDoUpdate({ target: periods.code, set: { deadline } });
}
