/**
 * Administrative units (PRODUCT.md §2): the dated unit lists and the one way to walk a unit's tree — its communes,
 * through districts for pre-2025 lists — that every query under a unit uses.
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { COMMUNE_KINDS as COMMUNE_KIND_LIST, isCommuneKind, NATIONAL } from "../../domain/units";
import type { UnitRow } from "../reference/units";
import { chunk, type Statement } from "./batch";
import type { Db } from "./client";
import { units } from "./schema";

/** `('commune', 'ward', 'special_zone')` for `kind IN …`. */
export const COMMUNE_KINDS = sql.raw(`(${COMMUNE_KIND_LIST.map((k) => `'${k}'`).join(", ")})`);

/** Which unit list, which unit (`VN` = the whole country) and where the values come from (live or a conference's snapshot). */
export type Scope = { listDate: string; unitCode: string; conferenceId: number | null };

/**
 * `tree(code, kind)`: the unit and everything under it, through districts for pre-2025 lists. The recursive step
 * starts from the tree (CROSS JOIN): otherwise workerd's SQLite walks every unit of the list for each tree row.
 */
export function unitTree(s: Pick<Scope, "listDate" | "unitCode">): SQL {
  const roots =
    s.unitCode === NATIONAL
      ? sql`SELECT code, kind FROM units WHERE valid_from = ${s.listDate} AND parent_code IS NULL`
      : sql`SELECT code, kind FROM units WHERE valid_from = ${s.listDate} AND code = ${s.unitCode}`;
  return sql`tree(code, kind) AS (
      ${roots}
      UNION ALL
      SELECT u.code, u.kind FROM tree t CROSS JOIN units u ON u.valid_from = ${s.listDate} AND u.parent_code = t.code
    )`;
}

/** The communes under a unit (through its districts for pre-2025 lists), in the given unit list. */
export async function communesUnder(
  db: Db,
  listDate: string,
  unitCode: string,
): Promise<{ code: string; name: string; fullName: string }[]> {
  return db.all<{ code: string; name: string; fullName: string }>(sql`
    WITH RECURSIVE ${unitTree({ listDate, unitCode })}
    SELECT u.code AS code, u.name AS name, u.full_name AS fullName
    FROM tree t JOIN units u ON u.valid_from = ${listDate} AND u.code = t.code
    WHERE t.kind IN ${COMMUNE_KINDS} AND t.code != ${unitCode}`);
}

export type ChildUnit = { code: string; name: string; kind: string };

/** Which units are "one level down": provinces for the country; a commune is its own only child. */
export function childRoots(s: Pick<Scope, "unitCode">, unitKind: string): SQL {
  if (s.unitCode === NATIONAL) return sql`parent_code IS NULL`;
  if (isCommuneKind(unitKind)) return sql`code = ${s.unitCode}`;
  return sql`parent_code = ${s.unitCode}`;
}

/** The units one level down (`ChildUnit` rows), by code. */
export function childUnitsQuery(s: Scope, unitKind: string): SQL {
  return sql`
    SELECT code, full_name AS name, kind FROM units WHERE valid_from = ${s.listDate} AND ${childRoots(s, unitKind)} ORDER BY code`;
}

/** True when `unitCode` lies under `ancestorCode` (or is it) in the given unit list. */
export async function isUnder(db: Db, listDate: string, unitCode: string, ancestorCode: string): Promise<boolean> {
  if (ancestorCode === unitCode) return true;
  const [row] = await db.all<{ found: number }>(sql`
    WITH RECURSIVE up(code, parent_code, depth) AS (
      SELECT code, parent_code, 0 FROM units WHERE code = ${unitCode} AND valid_from = ${listDate}
      UNION
      SELECT u.code, u.parent_code, up.depth + 1 FROM units u JOIN up ON u.code = up.parent_code
      WHERE u.valid_from = ${listDate} AND up.depth < 4
    )
    SELECT 1 AS found FROM up WHERE parent_code = ${ancestorCode} LIMIT 1`);
  return Boolean(row);
}

/** The statements that replace the list of that date and count each unit's communes. */
export function replaceUnitList(db: Db, validFrom: string, rows: UnitRow[]): Statement[] {
  return [
    db.delete(units).where(eq(units.validFrom, validFrom)),
    ...chunk(rows, 8).map((part) => db.insert(units).values(part.map((r) => ({ ...r, validFrom })))),
    countCommunes(validFrom),
  ];
}

/** Each unit's `communes`: the communes under it in the list (1 for a commune itself). */
function countCommunes(validFrom: string): SQL {
  return sql`UPDATE units SET communes = c.n FROM (
      WITH RECURSIVE up(unit) AS (
        SELECT code FROM units WHERE valid_from = ${validFrom} AND kind IN ${COMMUNE_KINDS}
        UNION ALL
        SELECT u.parent_code FROM up CROSS JOIN units u ON u.valid_from = ${validFrom} AND u.code = up.unit
        WHERE u.parent_code IS NOT NULL
      )
      SELECT unit, COUNT(*) AS n FROM up GROUP BY unit
    ) AS c WHERE units.valid_from = ${validFrom} AND units.code = c.unit`;
}

/**
 * The date of the unit list in force on `date` (the earliest list when none is older), as an SQL expression: one
 * index lookup. `date` may be a value or a column.
 */
export function listInForce(date: SQL | string): SQL {
  return sql`COALESCE(
    (SELECT valid_from FROM units WHERE valid_from <= ${date} ORDER BY valid_from DESC LIMIT 1),
    (SELECT MIN(valid_from) FROM units))`;
}

/** The date of the unit list in force on `date` (the earliest list when none is older). */
export async function unitListFor(db: Db, date: string): Promise<string | null> {
  const [row] = await db.all<{ list: string | null }>(sql`SELECT ${listInForce(date)} AS list`);
  return row?.list ?? null;
}

/** In one lookup: the list in force on `date` and, when `code` is given, that unit in it (null when absent). */
export async function unitInForce(
  db: Db,
  date: string,
  code: string | null,
): Promise<{ listDate: string | null; unit: { code: string; fullName: string; kind: string } | null }> {
  const [row] = await db.all<{ listDate: string | null; code: string | null; fullName: string; kind: string }>(sql`
    SELECT l.list AS listDate, u.code AS code, u.full_name AS fullName, u.kind AS kind
    FROM (SELECT ${listInForce(date)} AS list) l LEFT JOIN units u ON u.valid_from = l.list AND u.code = ${code}`);
  return {
    listDate: row?.listDate ?? null,
    unit: row?.code ? { code: row.code, fullName: row.fullName, kind: row.kind } : null,
  };
}

export async function findUnit(db: Db, listDate: string, code: string) {
  const [unit] = await db
    .select()
    .from(units)
    .where(and(eq(units.validFrom, listDate), eq(units.code, code)));
  return unit ?? null;
}

/** The full names of these units in the list (those it has). */
export async function unitsNamed(
  db: Db,
  listDate: string,
  codes: string[],
): Promise<{ code: string; fullName: string }[]> {
  return db.all<{ code: string; fullName: string }>(sql`
    SELECT u.code AS code, u.full_name AS fullName FROM json_each(${JSON.stringify([...new Set(codes)])}) w
    CROSS JOIN units u ON u.valid_from = ${listDate} AND u.code = w.value`);
}

export async function unknownUnitCodes(db: Db, listDate: string, codes: string[]): Promise<string[]> {
  const wanted = [...new Set(codes)];
  const known = new Set<string>();
  for (const part of chunk(wanted, 2)) {
    const found = await db
      .select({ code: units.code })
      .from(units)
      .where(and(eq(units.validFrom, listDate), inArray(units.code, part)));
    for (const f of found) known.add(f.code);
  }
  return wanted.filter((c) => !known.has(c));
}

/** `tree(child, code, kind)`: each child unit (one level down) and everything under it, the child named on each row. */
export function childTree(s: Pick<Scope, "listDate" | "unitCode">, unitKind: string): SQL {
  return sql`tree(child, code, kind) AS (
      SELECT code, code, kind FROM units WHERE valid_from = ${s.listDate} AND ${childRoots(s, unitKind)}
      UNION ALL
      SELECT t.child, u.code, u.kind FROM tree t CROSS JOIN units u ON u.valid_from = ${s.listDate} AND u.parent_code = t.code
    )`;
}

/** Every unit of a list with its parent, to place many codes at once. */
export async function unitParents(
  db: Db,
  listDate: string,
): Promise<Map<string, { kind: string; parentCode: string | null }>> {
  const rows = await db
    .select({ code: units.code, kind: units.kind, parentCode: units.parentCode })
    .from(units)
    .where(eq(units.validFrom, listDate));
  return new Map(rows.map((r) => [r.code, { kind: r.kind, parentCode: r.parentCode }]));
}

/** The province (top of the tree) a unit belongs to in the list, or null when the code is not in it. */
export function provinceOf(parents: Map<string, { parentCode: string | null }>, code: string): string | null {
  let at = code;
  for (let depth = 0; depth < 4; depth++) {
    const unit = parents.get(at);
    if (!unit) return null;
    if (unit.parentCode === null) return at;
    at = unit.parentCode;
  }
  return null;
}

/** A unit and everything under it (every unit of the list for the whole country), by name, with kind and parent. */
export async function unitsUnder(
  db: Db,
  listDate: string,
  unitCode: string,
): Promise<{ code: string; name: string; kind: string; parentCode: string | null }[]> {
  return db.all(sql`
    WITH RECURSIVE ${unitTree({ listDate, unitCode })}
    SELECT u.code AS code, u.full_name AS name, u.kind AS kind, u.parent_code AS parentCode
    FROM tree t JOIN units u ON u.valid_from = ${listDate} AND u.code = t.code
    ORDER BY u.parent_code IS NOT NULL, u.full_name`);
}
