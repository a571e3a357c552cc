/**
 * Review conferences (PRODUCT.md §6): created for a unit of today's list, and frozen — their values copied into a
 * snapshot with its own roll-ups, whole or not at all.
 */
import { parsePeriodCode } from "../../domain/periods";
import { vietnamToday } from "../../domain/time";
import { auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import {
  type ConferenceRecord,
  createConference,
  getConference,
  type NewConference,
  snapshotStatements,
} from "../db/conferences";
import { findUnit, unitListFor } from "../db/units";
import { AppError } from "../errors";
import { ensurePhase } from "../periods/phases";
import { conferencePair, rollupRebuild } from "../rollups/write";

export async function openConference(db: Db, input: NewConference, actor: string): Promise<ConferenceRecord> {
  const listDate = await unitListFor(db, vietnamToday());
  if (!listDate || !(await findUnit(db, listDate, input.unitCode))) {
    throw new AppError("not_found", `Không có đơn vị hành chính mã “${input.unitCode}”`, {}, "unitCode");
  }
  return createConference(db, input, actor, Date.now());
}

/**
 * Copies the values of every commune under the conference's unit for its period and comparison period into its
 * snapshot, computes the snapshot's roll-ups, and marks it frozen — one batch, so a snapshot is whole or absent.
 */
export async function freezeConference(
  db: Db,
  conference: ConferenceRecord,
  actor: string,
  now: number,
): Promise<ConferenceRecord> {
  const periods = [conference.period, conference.comparePeriod ?? conference.period];
  // A phase's figures exist once it has been asked for.
  if (parsePeriodCode(conference.period)?.kind === "phase") await ensurePhase(db, conference.period);
  // The communes of the unit in the list in force at the end of the conference's period, as its figures count them.
  const endsOn = parsePeriodCode(conference.period)?.endsOn ?? vietnamToday(now);
  const listDate = await unitListFor(db, endsOn);
  await runBatch(db, [
    ...snapshotStatements(db, conference, periods, listDate, now),
    ...(await rollupRebuild(db, conference.id, [conferencePair(conference)])),
    auditStatement(
      db,
      {
        actor,
        action: "conference.frozen",
        target: String(conference.id),
        detail: { unitCode: conference.unitCode, periods },
      },
      now,
    ),
  ]);
  const frozen = await getConference(db, conference.id);
  if (!frozen) throw new AppError("not_found", `Không có hội nghị số ${conference.id}`);
  return frozen;
}

/** An administrator's freeze of a conference not yet frozen. */
export async function freezeNow(db: Db, id: number, actor: string): Promise<ConferenceRecord> {
  const conference = await getConference(db, id);
  if (!conference) throw new AppError("not_found", `Không có hội nghị số ${id}`);
  if (conference.frozenAt !== null) throw new AppError("conflict", "Số liệu của hội nghị này đã được chốt");
  return freezeConference(db, conference, actor, Date.now());
}
