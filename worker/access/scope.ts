/**
 * Scope is enforced where the data is read, not only hidden in the UI (PRODUCT.md §11): every read endpoint asks
 * `assertCanRead` for the unit it was asked about before running its query.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Principal } from "./principal";

/** True when `unitCode` is the principal's scope unit or lies under it (through any number of levels). */
export async function isWithinScope(db: Db, principal: Principal, unitCode: string): Promise<boolean> {
  const scope = principal.scopeUnitCode;
  if (scope === null) return true;
  if (scope === unitCode) return true;
  const [row] = await db.all<{ found: number }>(sql`
    WITH RECURSIVE up(code, parent_code, depth) AS (
      SELECT code, parent_code, 0 FROM units WHERE code = ${unitCode}
      UNION
      SELECT u.code, u.parent_code, up.depth + 1 FROM units u JOIN up ON u.code = up.parent_code WHERE up.depth < 4
    )
    SELECT 1 AS found FROM up WHERE parent_code = ${scope} LIMIT 1`);
  return Boolean(row);
}

export async function assertCanRead(db: Db, principal: Principal, unitCode: string): Promise<void> {
  if (!(await isWithinScope(db, principal, unitCode))) {
    throw new AppError("forbidden", `Tài khoản không được xem số liệu của đơn vị ${unitCode}`);
  }
}
