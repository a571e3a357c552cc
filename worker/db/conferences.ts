/** Review conferences: their sync window and the snapshot that freezes their figures (PRODUCT.md §6). */
import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import { NATIONAL } from "../../domain/units";
import { auditStatement } from "./audit";
import type { Statement } from "./batch";
import type { Db } from "./client";
import { approvals, conferences, snapshotApprovals, snapshotValues, values } from "./schema";
import { unitTree } from "./units";

export type ConferenceRecord = typeof conferences.$inferSelect;
export type NewConference = {
  unitCode: string;
  period: string;
  comparePeriod: string | null;
  title: string;
  startsAt: number;
  windowHours: number;
};

export async function createConference(
  db: Db,
  input: NewConference,
  actor: string,
  now: number,
): Promise<ConferenceRecord> {
  const [inserted] = await db.batch([
    db
      .insert(conferences)
      .values({ ...input, createdAt: now, createdBy: actor })
      .returning(),
    auditStatement(
      db,
      {
        actor,
        action: "conference.created",
        target: `${input.unitCode}/${input.period}`,
        detail: { ...input, startsAt: new Date(input.startsAt).toISOString() },
      },
      now,
    ),
  ]);
  const [conference] = inserted;
  if (!conference) throw new Error("inserting a conference returned no row");
  return conference;
}

/** Conferences of a unit (all of them without a unit), latest start first. */
export async function listConferences(db: Db, unitCode: string | null): Promise<ConferenceRecord[]> {
  const q = db.select().from(conferences);
  return (unitCode ? q.where(eq(conferences.unitCode, unitCode)) : q).orderBy(
    desc(conferences.startsAt),
    desc(conferences.id),
  );
}

export async function getConference(db: Db, id: number): Promise<ConferenceRecord | null> {
  const [row] = await db.select().from(conferences).where(eq(conferences.id, id));
  return row ?? null;
}

/** Conferences whose sync window is open at `at`, and those that have started but are not frozen yet. */
export async function conferencesAt(
  db: Db,
  at: number,
): Promise<{ inWindow: ConferenceRecord[]; toFreeze: ConferenceRecord[] }> {
  const pending = await db
    .select()
    .from(conferences)
    .where(
      and(
        isNull(conferences.frozenAt),
        lte(sql`${conferences.startsAt} - ${conferences.windowHours} * 3600000`, at),
        gt(conferences.startsAt, at - 7 * 86400_000),
      ),
    );
  return {
    inWindow: pending.filter((c) => c.startsAt > at),
    toFreeze: pending.filter((c) => c.startsAt <= at),
  };
}

/**
 * The statements that copy the values of every commune under the conference's unit (and the unit itself) for these
 * periods into its snapshot, with each commune's approval of them (PRODUCT.md §12), in the unit list given, and mark
 * it frozen at `now`.
 */
export function snapshotStatements(
  db: Db,
  conference: ConferenceRecord,
  periods: string[],
  listDate: string | null,
  now: number,
): Statement[] {
  const unitCode = conference.unitCode;
  const under = (column: typeof values.unitCode | typeof approvals.unitCode) =>
    unitCode === NATIONAL || listDate === null
      ? sql``
      : sql`AND ${column} IN (WITH RECURSIVE ${unitTree({ listDate, unitCode })} SELECT code FROM tree)`;
  return [
    db.delete(snapshotValues).where(eq(snapshotValues.conferenceId, conference.id)),
    db.delete(snapshotApprovals).where(eq(snapshotApprovals.conferenceId, conference.id)),
    db.insert(snapshotValues).select(
      db
        .select({
          conferenceId: sql<number>`${conference.id}`.as("conference_id"),
          unitCode: values.unitCode,
          indicatorCode: values.indicatorCode,
          period: values.period,
          value: values.value,
          approximate: values.approximate,
          doubtful: values.doubtful,
          sourceId: values.sourceId,
          writtenAt: values.writtenAt,
          built: values.built,
        })
        .from(values)
        .where(sql`${inArray(values.period, periods)} ${under(values.unitCode)}`),
    ),
    db.insert(snapshotApprovals).select(
      db
        .select({
          conferenceId: sql<number>`${conference.id}`.as("conference_id"),
          unitCode: approvals.unitCode,
          period: approvals.period,
          state: approvals.state,
          submittedAt: approvals.submittedAt,
          acceptedAt: approvals.acceptedAt,
        })
        .from(approvals)
        .where(sql`${inArray(approvals.period, periods)} ${under(approvals.unitCode)}`),
    ),
    db
      .update(conferences)
      .set({ frozenAt: now })
      .where(and(eq(conferences.id, conference.id), isNull(conferences.frozenAt))),
  ];
}
