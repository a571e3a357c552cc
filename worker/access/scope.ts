/**
 * Scope is enforced where the data is read, not only hidden in the UI (PRODUCT.md §11): every read endpoint asks
 * `assertCanRead` for the unit it was asked about before running its query.
 */
import { vietnamToday } from "../../domain/time";
import { isCommuneKind, NATIONAL } from "../../domain/units";
import type { Db } from "../db/client";
import { getConference } from "../db/conferences";
import { findUnit, isUnder, unitListFor, unitsUnder } from "../db/units";
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
 * The scope a user or token may be given with a role: an admin or a leader national or one province; a commune user
 * exactly one commune (xã, phường, đặc khu) of today's list.
 */
export async function assertValidScope(db: Db, role: Role, scopeUnitCode: string | null): Promise<void> {
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
  if (role !== "commune" && unit.parentCode !== null)
    throw new AppError(
      "bad_request",
      `Đơn vị ${scopeUnitCode} không phải cấp tỉnh: ${role === "admin" ? "quản trị viên" : "lãnh đạo"} có phạm vi toàn quốc hoặc một tỉnh`,
      {},
      "scopeUnitCode",
    );
}

/**
 * True when the principal administers `unitCode` (PRODUCT.md §12): an admin without scope administers every unit, a
 * province's admin the province and the units under it in today's list; null (the whole country) only a national one.
 */
export async function administers(db: Db, principal: Principal, unitCode: string | null): Promise<boolean> {
  if (principal.role !== "admin") return false;
  if (principal.scopeUnitCode === null) return true;
  return unitCode !== null && isUnitWithin(db, unitCode, principal.scopeUnitCode);
}

/** The principal's scope in words, for a refusal: “Tỉnh Hưng Yên (mã 33)”. */
async function scopeWords(db: Db, code: string): Promise<string> {
  const listDate = await unitListFor(db, vietnamToday());
  const unit = listDate ? await findUnit(db, listDate, code) : null;
  return unit ? `${unit.fullName} (mã ${code})` : `đơn vị mã ${code}`;
}

/**
 * 403 unless the principal administers `unitCode`; `what` names the things refused (“bảng tính”, “người dùng”…),
 * `target` the one asked for when it is not the unit itself.
 */
export async function assertAdministers(
  db: Db,
  principal: Principal,
  unitCode: string | null,
  what: string,
  target = unitCode === null ? "phạm vi toàn quốc" : `đơn vị mã ${unitCode}`,
): Promise<void> {
  if (await administers(db, principal, unitCode)) return;
  if (principal.role !== "admin" || principal.scopeUnitCode === null)
    throw new AppError("forbidden", "Tài khoản không có quyền thực hiện thao tác này");
  throw new AppError(
    "forbidden",
    `Quản trị viên của ${await scopeWords(db, principal.scopeUnitCode)} chỉ quản lý ${what} trong tỉnh mình, không phải ${target}`,
  );
}

/** 403 for an admin scoped to a province: `what` (“nhập danh sách đơn vị”…) is for a national admin only. */
export function assertNational(principal: Principal, what: string): void {
  if (principal.scopeUnitCode !== null) throw new AppError("forbidden", `Chỉ quản trị viên toàn quốc mới được ${what}`);
}

/**
 * Which units' users, tokens or sources a principal administers, as a test over many codes at once: every one (null
 * included) for a national admin; for a province's admin, the codes of its province in today's list.
 */
export async function administeredTest(db: Db, principal: Principal): Promise<(code: string | null) => boolean> {
  if (principal.role !== "admin") return () => false;
  const scope = principal.scopeUnitCode;
  if (scope === null) return () => true;
  const listDate = await unitListFor(db, vietnamToday());
  const codes = new Set(listDate ? (await unitsUnder(db, listDate, scope)).map((u) => u.code) : []);
  codes.add(scope);
  return (code) => code !== null && codes.has(code);
}

/**
 * The unit an administrator's list covers: a national admin's as asked; a province's admin's its province when the
 * whole country is asked, else the unit asked once it is administered.
 */
export async function administeredUnit(db: Db, principal: Principal, asked: string): Promise<string> {
  const scope = principal.scopeUnitCode;
  if (scope !== null && asked === NATIONAL) return scope;
  await assertAdministers(db, principal, asked, "đơn vị");
  return asked;
}
