/** Review conferences: their sync window and the snapshot that freezes their figures (PRODUCT.md §6). */
import { and, desc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { auditStatement } from "./audit";
import type { Db } from "./client";
import { conferences } from "./schema";

export type ConferenceRecord = typeof conferences.$inferSelect;
export type NewConference = {
  unitCode: string;
  period: string;
  comparePeriod: string | null;
  title: string;
  startsAt: number;
  windowHours: number;
};

export async function createConference(db: Db, input: NewConference, actor: string, now: number): Promise<ConferenceRecord> {
  const [inserted] = await db.batch([
    db.insert(conferences).values({ ...input, createdAt: now, createdBy: actor }).returning(),
    auditStatement(db, { actor, action: "conference.created", target: `${input.unitCode}/${input.period}`, detail: input }, now),
  ]);
  return inserted[0]!;
}

/** Conferences of a unit (all of them without a unit), latest start first. */
export async function listConferences(db: Db, unitCode: string | null): Promise<ConferenceRecord[]> {
  const q = db.select().from(conferences);
  return (unitCode ? q.where(eq(conferences.unitCode, unitCode)) : q).orderBy(desc(conferences.startsAt), desc(conferences.id));
}

export async function getConference(db: Db, id: number): Promise<ConferenceRecord | null> {
  const [row] = await db.select().from(conferences).where(eq(conferences.id, id));
  return row ?? null;
}

/** Conferences whose sync window is open at `at`, and those that have started but are not frozen yet. */
export async function conferencesAt(db: Db, at: number): Promise<{ inWindow: ConferenceRecord[]; toFreeze: ConferenceRecord[] }> {
  const pending = await db
    .select()
    .from(conferences)
    .where(and(isNull(conferences.frozenAt), lte(sql`${conferences.startsAt} - ${conferences.windowHours} * 3600000`, at), gt(conferences.startsAt, at - 7 * 86400_000)));
  return {
    inWindow: pending.filter((c) => c.startsAt > at),
    toFreeze: pending.filter((c) => c.startsAt <= at),
  };
}

/**
 * Copies the values of every commune under the conference's unit (and the unit itself) for its period and comparison
 * period into `snapshot_values`, and marks it frozen — one batch, so a snapshot is whole or absent.
 */
export async function freezeConference(db: Db, conference: ConferenceRecord, actor: string, now: number): Promise<ConferenceRecord> {
  const periods = [conference.period, conference.comparePeriod ?? conference.period];
  const unit = conference.unitCode;
  const d1 = db.$client;
  const audit = auditStatement(db, { actor, action: "conference.frozen", target: String(conference.id), detail: { unitCode: unit, periods } }, now).toSQL();
  await d1.batch([
    d1.prepare("DELETE FROM snapshot_values WHERE conference_id = ?1").bind(conference.id),
    d1
      .prepare(
        `INSERT INTO snapshot_values (conference_id, unit_code, indicator_code, period, value, approximate, doubtful, source_id, written_at)
         SELECT ?1, v.unit_code, v.indicator_code, v.period, v.value, v.approximate, v.doubtful, v.source_id, v.written_at
         FROM indicator_values v
         WHERE v.period IN (?2, ?3)
           AND (?4 = 'VN' OR v.unit_code = ?4 OR v.unit_code IN (
             SELECT u.code FROM units u WHERE u.parent_code = ?4
                OR u.parent_code IN (SELECT d.code FROM units d WHERE d.parent_code = ?4)))`,
      )
      .bind(conference.id, periods[0], periods[1], unit),
    d1.prepare("UPDATE conferences SET frozen_at = ?1 WHERE id = ?2 AND frozen_at IS NULL").bind(now, conference.id),
    d1.prepare(audit.sql).bind(...audit.params),
  ]);
  return (await getConference(db, conference.id))!;
}

export async function snapshotSize(db: Db, conferenceId: number): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM snapshot_values WHERE conference_id = ${conferenceId}`);
  return row?.n ?? 0;
}

/** The API shape: times as ISO strings. */
export function conferenceJson(c: ConferenceRecord) {
  return {
    id: c.id,
    unitCode: c.unitCode,
    period: c.period,
    comparePeriod: c.comparePeriod,
    title: c.title,
    startsAt: new Date(c.startsAt).toISOString(),
    windowHours: c.windowHours,
    frozenAt: c.frozenAt === null ? null : new Date(c.frozenAt).toISOString(),
  };
}
