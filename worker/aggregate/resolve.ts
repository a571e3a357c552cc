/** Resolves what a read request is about: the unit (or the whole country), the unit list in force, live or frozen. */

import { parsePeriodCode } from "../../domain/periods";
import { NATIONAL } from "../../domain/units";
import type { Db } from "../db/client";
import { type ConferenceRecord, getConference } from "../db/conferences";
import { type Scope, unitInForce } from "../db/units";
import { AppError } from "../errors";
import { ensurePhase } from "../periods/phases";
import { rollupsBuilt } from "../rollups/write";

export type ResolvedUnit = { code: string; name: string; kind: string };
export type Resolved = {
  scope: Scope;
  unit: ResolvedUnit;
  conference: ConferenceRecord | null;
  frozen: boolean;
  /** The stored roll-ups can be read (`rollupsBuilt`). */
  built: boolean;
};

const NATIONAL_UNIT: ResolvedUnit = { code: NATIONAL, name: "Toàn quốc", kind: "country" };

/**
 * The unit list in force at the end of `period` decides which communes a unit has (a pre-2025 period rolls up through
 * its districts). A conference that has been frozen answers from its snapshot; one not yet frozen from live values.
 */
export async function resolveScope(
  db: Db,
  unitCode: string,
  period: string,
  conferenceId: number | null,
): Promise<Resolved> {
  const p = parsePeriodCode(period);
  if (!p) throw new AppError("bad_request", `Kỳ báo cáo “${period}” không hợp lệ`);
  // A phase's figures are built the first time it is asked for.
  if (p.kind === "phase") await ensurePhase(db, period);
  const [{ listDate, unit: row }, conference, built] = await Promise.all([
    unitInForce(db, p.endsOn, unitCode === NATIONAL ? null : unitCode),
    conferenceId === null ? null : getConference(db, conferenceId),
    rollupsBuilt(db),
  ]);
  if (!listDate || (unitCode !== NATIONAL && !row))
    throw new AppError("not_found", `Không có đơn vị hành chính mã “${unitCode}”`);
  const unit = row ? { code: row.code, name: row.fullName, kind: row.kind } : NATIONAL_UNIT;
  if (conferenceId !== null && !conference) throw new AppError("not_found", `Không có hội nghị số ${conferenceId}`);
  const frozen = conference?.frozenAt != null;
  return {
    scope: { listDate, unitCode: unit.code, conferenceId: frozen ? (conference?.id ?? null) : null },
    unit,
    conference,
    frozen,
    built,
  };
}
