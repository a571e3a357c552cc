/**
 * `GET /api/models` (PRODUCT.md §15): a unit's kinds of model by points, read from the models roll-ups — the unit's
 * own rows (a kind each), its totals, and for a province or below its communes without a list or running none; for
 * one kind, the units one level down that run it and those that do not.
 */
import { type SQL, sql } from "drizzle-orm";
import { isCommuneKind, NATIONAL } from "../../domain/units";
import { readBatch } from "../db/batch";
import type { Db } from "../db/client";
import { childRoots, type Scope } from "../db/units";
import { UNLISTED_PREFIX } from "./match";

type ModelKind = { code: string; label: string; points: number; communes: number; inCatalog: boolean };
type Named = { code: string; name: string };

export type ModelsAnswer = {
  kinds: ModelKind[];
  distinctKinds: number;
  points: number;
  /** Communes with a list for the period (an empty list counts: it says the commune runs none). */
  reportingCommunes: number;
  /** Communes whose list has at least one model. */
  runningCommunes: number;
  expectedCommunes: number;
  /** By name, under a province or below; the country gives counts only (`null`). */
  withoutList: Named[] | null;
  runningNone: Named[] | null;
};

export type KindAnswer = {
  code: string;
  label: string;
  points: number;
  communes: number;
  /** Units one level down (communes of a province, provinces of the country) running the kind, most points first. */
  running: (Named & { points: number })[];
  /** Units one level down running none of it. */
  without: Named[];
};

type Child = { code: string; name: string; kind: string; listed: number | null; running: number | null };

/**
 * The units directly under a unit (the unit itself when it is a commune), each with its own models totals: one pass
 * over the units' covering index and a primary-key lookup each, no recursive walk (each step is rows read).
 */
function childrenWithTotals(listDate: string, period: string, under: SQL): SQL {
  return sql`SELECT u.code AS code, u.full_name AS name, u.kind AS kind, m.listed AS listed, m.running AS running
    FROM units u INDEXED BY units_children_idx
    LEFT JOIN rollup_model_totals m ON m.unit_code = u.code AND m.period = ${period}
    WHERE u.valid_from = ${listDate} AND ${under}`;
}

/** The communes under a unit with their totals; through its districts for a pre-2025 list (a second read). */
async function communesWithTotals(db: Db, scope: Scope, period: string, first: Child[]): Promise<Child[]> {
  const districts = first.filter((c) => !isCommuneKind(c.kind)).map((c) => c.code);
  if (!districts.length) return first;
  const below = await db.all<Child>(
    childrenWithTotals(
      scope.listDate,
      period,
      sql`u.parent_code IN (SELECT value FROM json_each(${JSON.stringify(districts)}))`,
    ),
  );
  return [...first.filter((c) => isCommuneKind(c.kind)), ...below];
}

const kindLabel = sql`COALESCE((SELECT t.label FROM model_types t WHERE t.code = r.kind), r.label)`;

export async function modelsOf(db: Db, scope: Scope, period: string, unitKind: string): Promise<ModelsAnswer> {
  const national = scope.unitCode === NATIONAL;
  const expected = national
    ? sql`SELECT TOTAL(communes) AS n FROM units WHERE valid_from = ${scope.listDate} AND parent_code IS NULL`
    : sql`SELECT communes AS n FROM units WHERE valid_from = ${scope.listDate} AND code = ${scope.unitCode}`;
  // Under a province: each commune with its own totals row, to name those without a list or running none.
  const under = isCommuneKind(unitKind) ? sql`u.code = ${scope.unitCode}` : sql`u.parent_code = ${scope.unitCode}`;
  const communes = national ? sql`SELECT NULL AS code WHERE false` : childrenWithTotals(scope.listDate, period, under);
  const [kinds, totals, [count], children] = await readBatch<
    [
      { code: string; label: string; points: number; communes: number }[],
      { kinds: number; points: number; listed: number; running: number }[],
      { n: number }[],
      Child[],
    ]
  >(db, [
    sql`SELECT r.kind AS code, ${kindLabel} AS label, r.points AS points, r.communes AS communes
      FROM rollup_models r WHERE r.unit_code = ${scope.unitCode} AND r.period = ${period}
      ORDER BY r.points DESC, r.communes DESC, label`,
    sql`SELECT kinds, points, listed, running FROM rollup_model_totals WHERE unit_code = ${scope.unitCode} AND period = ${period}`,
    expected,
    communes,
  ]);
  const total = totals[0];
  const byName = (a: Named, b: Named) => a.name.localeCompare(b.name, "vi");
  const silent = national ? [] : (await communesWithTotals(db, scope, period, children)).sort(byName);
  return {
    kinds: kinds.map((k) => ({ ...k, inCatalog: !k.code.startsWith(UNLISTED_PREFIX) })),
    distinctKinds: total?.kinds ?? kinds.length,
    points: total?.points ?? 0,
    reportingCommunes: total?.listed ?? 0,
    runningCommunes: total?.running ?? 0,
    expectedCommunes: isCommuneKind(unitKind) ? 1 : Number(count?.n ?? 0),
    withoutList: national ? null : silent.filter((c) => !c.listed).map(({ code, name }) => ({ code, name })),
    runningNone: national
      ? null
      : silent.filter((c) => c.listed && !c.running).map(({ code, name }) => ({ code, name })),
  };
}

export async function kindOf(
  db: Db,
  scope: Scope,
  period: string,
  unitKind: string,
  kind: string,
): Promise<KindAnswer | null> {
  const [[own], children] = await readBatch<
    [{ label: string; points: number; communes: number }[], { code: string; name: string; points: number | null }[]]
  >(db, [
    sql`SELECT ${kindLabel} AS label, r.points AS points, r.communes AS communes FROM rollup_models r
      WHERE r.unit_code = ${scope.unitCode} AND r.period = ${period} AND r.kind = ${kind}`,
    sql`SELECT u.code AS code, u.full_name AS name, r.points AS points
      FROM units u INDEXED BY units_children_idx
      LEFT JOIN rollup_models r ON r.unit_code = u.code AND r.period = ${period} AND r.kind = ${kind}
      WHERE u.valid_from = ${scope.listDate} AND ${childRoots(scope, unitKind)}`,
  ]);
  if (!own) return null;
  children.sort((a, b) => (b.points ?? 0) - (a.points ?? 0) || a.name.localeCompare(b.name, "vi"));
  return {
    code: kind,
    ...own,
    running: children.flatMap((c) => (c.points ? [{ code: c.code, name: c.name, points: c.points }] : [])),
    without: children.filter((c) => !c.points).map(({ code, name }) => ({ code, name })),
  };
}
