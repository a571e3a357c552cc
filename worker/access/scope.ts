/**
 * Scope is enforced where the data is read, not only hidden in the UI (PRODUCT.md §11): every read endpoint asks
 * `assertCanRead` for the unit it was asked about before running its query.
 */
import { vietnamToday } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import type { Db } from "../db/client";
import { getConference } from "../db/conferences";
import { findUnit, isUnder, unitListFor } from "../db/units";
import { AppError } from "../errors";
import type { Principal, Role } from "./principal";

/**
 * True when `unitCode` is the principal's scope unit or lies under it in the unit list in force today. Older lists
 * are not consulted: a code that belonged to the province before a reform gives no reach into its new parent.
 */
async function isWithinScope(db: Db, principal: Principal, unitCode: string): Promise<boolean> {
  return principal.scopeUnitCode === null || isUnitWithin(db, unitCode, principal.scopeUnitCode);
}

/** True when `unitCode` is `ancestorCode` or lies under it in the unit list in force today. */
async function isUnitWithin(db: Db, unitCode: string, ancestorCode: string): Promise<boolean> {
  if (ancestorCode === unitCode) return true;
  const listDate = await unitListFor(db, vietnamToday());
  return listDate !== null && isUnder(db, listDate, unitCode, ancestorCode);
}

/** 403 outside the principal's scope; with a conference, also 404 for a conference the principal may not see. */
export async function assertCanRead(
  db: Db,
  principal: Principal,
  unitCode: string,
  conferenceId?: number | null,
): Promise<void> {
  if (!(await isWithinScope(db, principal, unitCode))) {
    throw new AppError("forbidden", `Tài khoản không được xem số liệu của đơn vị ${unitCode}`);
  }
  if (conferenceId != null) await assertCanUseConference(db, principal, conferenceId, unitCode);
}

/** The unit a list is asked for — the principal's own scope when none is named — once it may be read; null is all. */
export async function readableUnit(db: Db, principal: Principal, asked: string | undefined): Promise<string | null> {
  const unit = asked ?? principal.scopeUnitCode;
  if (unit !== null) await assertCanRead(db, principal, unit);
  return unit;
}

/**
 * A conference's figures and title are shown to whoever may read its unit, or to a user of a unit inside it asking
 * about that unit (a commune in its province's conference); to anyone else it does not exist.
 */
async function assertCanUseConference(
  db: Db,
  principal: Principal,
  conferenceId: number,
  unitCode: string,
): Promise<void> {
  const conferenceUnit = (await getConference(db, conferenceId))?.unitCode ?? null;
  if (conferenceUnit === null) return;
  if (
    (await isWithinScope(db, principal, conferenceUnit)) ||
    (unitCode !== "VN" && (await isUnitWithin(db, unitCode, conferenceUnit)))
  )
    return;
  throw new AppError("not_found", `Không có hội nghị số ${conferenceId}`);
}

/**
 * The scope a user or token may be given with a role: an admin is national; a leader national or one province;
 * a commune user exactly one commune (xã, phường, đặc khu) of today's list.
 */
export async function assertValidScope(db: Db, role: Role, scopeUnitCode: string | null): Promise<void> {
  if (role === "admin") {
    if (scopeUnitCode !== null)
      throw new AppError("bad_request", "Quản trị viên có phạm vi toàn quốc: bỏ trống đơn vị", {}, "scopeUnitCode");
    return;
  }
  if (scopeUnitCode === null) {
    if (role === "commune")
      throw new AppError("bad_request", "Tài khoản cấp xã phải gắn với một xã", {}, "scopeUnitCode");
    return;
  }
  const listDate = await unitListFor(db, vietnamToday());
  const unit = listDate ? await findUnit(db, listDate, scopeUnitCode) : null;
  if (!unit)
    throw new AppError(
      "bad_request",
      `Mã đơn vị ${scopeUnitCode} không có trong danh sách đơn vị`,
      {},
      "scopeUnitCode",
    );
  const isCommune = isCommuneKind(unit.kind);
  if (role === "commune" && !isCommune)
    throw new AppError("bad_request", `Đơn vị ${scopeUnitCode} không phải cấp xã`, {}, "scopeUnitCode");
  if (role === "leader" && unit.parentCode !== null)
    throw new AppError("bad_request", `Đơn vị ${scopeUnitCode} không phải cấp tỉnh`, {}, "scopeUnitCode");
}
