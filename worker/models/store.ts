/**
 * The models lists as stored (PRODUCT.md §15): a source's lists replaced whole in its write batch when they changed,
 * with the roll-ups above its communes; nothing written when they did not. The catalog of model kinds.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { ModelList } from "../sheets/models";
import type { ModelType } from "./catalog";
import { modelRollupWrite } from "./rollup";

/** A source's stored lists, in the order `sameLists` compares them. */
export async function storedModels(db: Db, sourceId: number): Promise<ModelList[]> {
  const [lists, entries] = await Promise.all([
    db.all<{ unitCode: string; period: string; cell: string }>(
      sql`SELECT unit_code AS unitCode, period, cell FROM model_lists WHERE source_id = ${sourceId}`,
    ),
    db.all<{ unitCode: string; period: string; kind: string; label: string; points: number; cell: string }>(
      sql`SELECT unit_code AS unitCode, period, kind, label, points, cell FROM commune_models WHERE source_id = ${sourceId}`,
    ),
  ]);
  return lists.map((l) => ({
    ...l,
    entries: entries
      .filter((e) => e.unitCode === l.unitCode && e.period === l.period)
      .map((e) => ({
        kind: e.kind,
        label: e.label,
        points: e.points,
        inCatalog: !e.kind.startsWith("?"),
        cell: e.cell,
      })),
  }));
}

/** A list as compared: what the roll-ups and the pages show, cells included (a moved row is a change to say). */
function listKey(l: ModelList): string {
  const entries = l.entries.map((e) => [e.kind, e.label, e.points, e.cell]).sort();
  return JSON.stringify([l.unitCode, l.period, l.cell, entries]);
}

/** Lists whose failed formulas keep the points stored for those kinds (a kind never stored stays out). */
function withKept(lists: ModelList[], stored: ModelList[]): ModelList[] {
  return lists.map(({ kept, ...list }) => {
    if (!kept?.length) return list;
    const before = stored.find((l) => l.unitCode === list.unitCode && l.period === list.period);
    const entries =
      before?.entries.filter((e) => kept.includes(e.kind) && !list.entries.some((x) => x.kind === e.kind)) ?? [];
    return { ...list, entries: [...list.entries, ...entries] };
  });
}

/**
 * The statements that replace a source's lists and move the roll-ups, or none when the reading lists the same
 * (an unchanged list writes nothing). `lists` null: the source gives no models tab, and any it gave is dropped.
 */
export function modelWrite(sourceId: number, read: ModelList[], stored: ModelList[]): SQL[] {
  const lists = withKept(read, stored);
  const now = new Set(lists.map(listKey));
  if (now.size === stored.length && stored.every((l) => now.has(listKey(l)))) return [];
  const communes = [...lists, ...stored].map((l) => l.unitCode);
  const periods = [...lists, ...stored].map((l) => l.period);
  const listRows = lists.map((l) => [l.unitCode, l.period, l.cell]);
  const entryRows = lists.flatMap((l) =>
    l.entries.map((e) => [l.unitCode, l.period, e.kind, e.label, e.points, e.cell]),
  );
  return [
    sql`DELETE FROM model_lists WHERE source_id = ${sourceId}`,
    sql`DELETE FROM commune_models WHERE source_id = ${sourceId}`,
    ...(listRows.length
      ? [
          sql`INSERT INTO model_lists (source_id, unit_code, period, cell)
          SELECT ${sourceId}, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(${JSON.stringify(listRows)}) j`,
        ]
      : []),
    ...(entryRows.length
      ? [
          sql`INSERT INTO commune_models (source_id, unit_code, period, kind, label, points, cell)
          SELECT ${sourceId}, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5
          FROM json_each(${JSON.stringify(entryRows)}) j`,
        ]
      : []),
    ...modelRollupWrite(communes, periods),
  ];
}

export async function listModelTypes(db: Db): Promise<ModelType[]> {
  const rows = await db.all<{ code: string; label: string; aliases: string; position: number }>(
    sql`SELECT code, label, aliases, position FROM model_types ORDER BY position`,
  );
  return rows.map((r) => ({ ...r, aliases: r.aliases ? r.aliases.split(";") : [] }));
}

/** The statements that make `rows` the catalog of model kinds: kinds not in it are dropped (none in use; see admin). */
export function replaceModelTypes(rows: ModelType[]): SQL[] {
  const data = JSON.stringify(rows.map((r) => [r.code, r.label, r.aliases.join(";"), r.position]));
  return [
    sql`DELETE FROM model_types WHERE code NOT IN (SELECT j.value ->> 0 FROM json_each(${data}) j)`,
    sql`INSERT INTO model_types (code, label, aliases, position)
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(${data}) j WHERE true
      ON CONFLICT (code) DO UPDATE SET label = excluded.label, aliases = excluded.aliases, position = excluded.position`,
  ];
}

/** Of these kinds, the ones some commune's list uses, with how many communes. */
export async function kindsInUse(db: Db, codes: string[]): Promise<{ kind: string; communes: number }[]> {
  if (!codes.length) return [];
  return db.all(sql`SELECT kind, COUNT(DISTINCT unit_code) AS communes FROM commune_models
    WHERE kind IN (SELECT value FROM json_each(${JSON.stringify(codes)})) GROUP BY kind`);
}
