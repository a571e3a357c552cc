/**
 * Indicator values: the statements that store a source's reading (run by the sync in one batch with its issues and
 * roll-ups, `sync/write.ts`), and the commune rows exports read.
 */
import { and, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { ApprovalState } from "../../domain/approvals";
import { type CellIssue, type CellValue, KEEPS_LAST_GOOD, slotKey } from "../sheets/types";
import { chunk, type Statement } from "./batch";
import type { Db } from "./client";
import { auditLog, LIVE, values } from "./schema";
import { COMMUNE_KINDS, type Scope, unitTree } from "./units";

export type StoredValue = typeof values.$inferSelect;

/**
 * The values a conference froze, or the live ones, joined as `alias`. CROSS JOIN keeps SQLite's join order: start
 * from the communes and read each one's values through the covering index, instead of walking every value of a period.
 */
export function valuesJoin(conferenceId: number, alias: string, on: SQL): SQL {
  const a = sql.raw(alias);
  return conferenceId === LIVE
    ? sql`CROSS JOIN indicator_values ${a} INDEXED BY values_rollup_idx ON ${on}`
    : sql`CROSS JOIN snapshot_values ${a} ON ${a}.conference_id = ${conferenceId} AND ${on}`;
}

/** Columns an inserted value binds (every one, defaults included): D1 binds at most 100 parameters a statement. */
const VALUE_COLUMNS = Object.keys(getTableColumns(values)).length;

/** A value another active source already gives: who gives it, to name it beside the cell that conflicts. */
export type TakenSlot = { sourceId: number; title: string | null; spreadsheetId: string; gid: number | null };

/**
 * In one round trip (and one beside it): the values a source wrote last time; the stored values of these units in the previous periods,
 * keyed `unit|indicator|period`, for the jump check; and the values of these units in the periods read that another
 * active source gives (a second sheet for the same commune), keyed the same way.
 */
export async function storedForSource(
  db: Db,
  sourceId: number,
  unitCodes: string[],
  read: { periods: string[]; previous: string[] },
): Promise<{ existing: StoredValue[]; previous: Map<string, number>; taken: Map<string, TakenSlot> }> {
  const bySource = db.select().from(values).where(eq(values.sourceId, sourceId));
  const parts = (periods: string[]) => (periods.length ? chunk(unitCodes, 1 + periods.length) : []);
  const prevQueries = parts(read.previous).map((part) =>
    db
      .select({
        unitCode: values.unitCode,
        indicatorCode: values.indicatorCode,
        period: values.period,
        value: values.value,
      })
      .from(values)
      .where(and(inArray(values.unitCode, part), inArray(values.period, read.previous))),
  );
  const takenQuery = sql`
    SELECT v.unit_code AS unitCode, v.indicator_code AS indicatorCode, v.period AS period, v.source_id AS sourceId,
           s.title AS title, s.spreadsheet_id AS spreadsheetId, s.gid AS gid
    FROM json_each(${JSON.stringify(unitCodes)}) u
    CROSS JOIN indicator_values v INDEXED BY values_rollup_idx
      ON v.unit_code = u.value AND v.period IN (SELECT value FROM json_each(${JSON.stringify(read.periods)}))
    JOIN sources s ON s.id = v.source_id AND s.active = 1
    WHERE v.source_id != ${sourceId}`;
  const [[existing, ...prev], taken] = await Promise.all([
    db.batch([bySource, ...prevQueries]),
    db.all<TakenSlot & { unitCode: string; indicatorCode: string; period: string }>(takenQuery),
  ]);
  const previous = new Map<string, number>();
  for (const rows of prev as { unitCode: string; indicatorCode: string; period: string; value: number }[][]) {
    for (const r of rows) previous.set(slotKey(r.unitCode, r.indicatorCode, r.period), r.value);
  }
  const takenBy = new Map<string, TakenSlot>();
  for (const r of taken) {
    takenBy.set(slotKey(r.unitCode, r.indicatorCode, r.period), {
      sourceId: r.sourceId,
      title: r.title,
      spreadsheetId: r.spreadsheetId,
      gid: r.gid,
    });
  }
  return { existing: existing as StoredValue[], previous, taken: takenBy };
}

/** A source's new values against what it wrote last time: the statements that store them, and what they change. */
export type ValueChanges = {
  statements: Statement[];
  written: number;
  removed: number;
  /** Every (commune, period) whose values change: the roll-ups to recompute. */
  touched: { unitCode: string; period: string }[];
};

/**
 * Changed values upserted, vanished ones removed and audited (a cell whose formula failed keeps the value it last
 * gave, and `keep`'s slots — `unit|indicator|period` — stay as stored). Statements only: the caller runs them in one batch with everything else the reading changes.
 */
export function valueChanges(
  db: Db,
  sourceId: number,
  reading: { values: CellValue[]; issues: CellIssue[] },
  existing: StoredValue[],
  runId: number,
  now: number,
  keep: ReadonlySet<string> = new Set(),
): ValueChanges {
  const key = (v: { unitCode: string; indicatorCode: string; period: string }) =>
    slotKey(v.unitCode, v.indicatorCode, v.period);
  const before = new Map(existing.map((v) => [key(v), v]));
  // Slots held as they are (an accepted commune's) stay whatever the reading says.
  const fresh = new Set([...reading.values.map(key), ...keep]);
  for (const i of reading.issues)
    if (i.code === KEEPS_LAST_GOOD && i.unitCode && i.indicatorCode && i.period)
      fresh.add(slotKey(i.unitCode, i.indicatorCode, i.period));

  const rows = reading.values.map((v) => ({ ...v, doubtful: v.doubtful === true }));
  const changed = rows.filter((v) => {
    const old = before.get(key(v));
    return (
      !old ||
      old.value !== v.value ||
      old.approximate !== v.approximate ||
      old.doubtful !== v.doubtful ||
      old.raw !== v.raw ||
      old.cell !== v.cell
    );
  });
  const removed = existing.filter((v) => !fresh.has(key(v)));
  const statements: Statement[] = [];
  for (const part of chunk(changed, VALUE_COLUMNS)) {
    statements.push(
      db
        .insert(values)
        .values(part.map((v) => ({ ...v, sourceId, runId, writtenAt: now, firstWrittenAt: now })))
        .onConflictDoUpdate({
          target: [values.unitCode, values.indicatorCode, values.period],
          set: {
            value: sqlExcluded("value"),
            approximate: sqlExcluded("approximate"),
            doubtful: sqlExcluded("doubtful"),
            raw: sqlExcluded("raw"),
            cell: sqlExcluded("cell"),
            sourceId: sqlExcluded("source_id"),
            runId: sqlExcluded("run_id"),
            writtenAt: sqlExcluded("written_at"),
            // A typed value takes the place of one built from shorter periods.
            built: false,
          },
        }),
    );
  }
  for (const v of removed) {
    statements.push(
      db
        .delete(values)
        .where(
          and(
            eq(values.unitCode, v.unitCode),
            eq(values.indicatorCode, v.indicatorCode),
            eq(values.period, v.period),
            eq(values.sourceId, sourceId),
          ),
        ),
    );
  }
  for (const part of chunk(removed, 6)) {
    statements.push(
      db.insert(auditLog).values(
        part.map((v) => ({
          at: now,
          actor: "sync",
          action: "value.removed",
          target: `${v.unitCode}/${v.indicatorCode}/${v.period}`,
          detail: JSON.stringify({ sourceId, runId, cell: v.cell, raw: v.raw, value: v.value }),
        })),
      ),
    );
  }
  const touched = [...changed, ...removed].map((v) => ({ unitCode: v.unitCode, period: v.period }));
  return { statements, written: changed.length, removed: removed.length, touched };
}

/** The value an upsert proposed, for `ON CONFLICT DO UPDATE SET col = excluded.col`. */
function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}

export type CommuneRow = { code: string; name: string; kind: string; parentName: string | null };

export type CommuneValue = {
  unitCode: string;
  indicatorCode: string;
  value: number;
  approximate: number;
  doubtful: number;
};

/** The values of the tree's commune `t` for the period: live, or the scope's conference's snapshot. */
function valuesOfTree(s: Scope, period: string | null): SQL {
  return s.conferenceId === null
    ? sql`SELECT 1 FROM indicator_values v INDEXED BY values_rollup_idx WHERE v.unit_code = t.code AND v.period = ${period}`
    : sql`SELECT 1 FROM snapshot_values v WHERE v.conference_id = ${s.conferenceId} AND v.unit_code = t.code AND v.period = ${period}`;
}

/**
 * Every commune under the unit with the name of its parent (district or province), for exports; with
 * `silentIn`, only those without any value for that period.
 */
export async function communeRows(db: Db, s: Scope, silentIn: string | null = null): Promise<CommuneRow[]> {
  const values = valuesOfTree(s, silentIn);
  return db.all<CommuneRow>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT t.code AS code, u.full_name AS name, t.kind AS kind, p.full_name AS parentName
    FROM tree t
    JOIN units u ON u.valid_from = ${s.listDate} AND u.code = t.code
    LEFT JOIN units p ON p.valid_from = ${s.listDate} AND p.code = u.parent_code
    WHERE t.kind IN ${COMMUNE_KINDS}${silentIn === null ? sql`` : sql` AND NOT EXISTS (${values})`}
    ORDER BY u.parent_code, t.code`);
}

/** The approval state of the tree's commune `t` for the period (`open` when it never moved): today's, or as the scope's conference froze it. */
function stateOfTree(s: Scope, period: string): SQL {
  const state =
    s.conferenceId === null
      ? sql`SELECT a.state FROM approvals a WHERE a.unit_code = t.code AND a.period = ${period}`
      : sql`SELECT a.state FROM snapshot_approvals a
          WHERE a.conference_id = ${s.conferenceId} AND a.unit_code = t.code AND a.period = ${period}`;
  return sql`COALESCE((${state}), 'open')`;
}

/**
 * Every commune under the unit with its approval state for the period, for exports (the conference's states as it
 * froze them).
 */
export async function communeStates(db: Db, s: Scope, period: string): Promise<Map<string, ApprovalState>> {
  const rows = await db.all<{ code: string; state: ApprovalState }>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT t.code AS code, ${stateOfTree(s, period)} AS state FROM tree t WHERE t.kind IN ${COMMUNE_KINDS}`);
  return new Map(rows.map((r) => [r.code, r.state]));
}

/**
 * The communes under the unit that have values for the period whose figures the province has not accepted (the
 * conference's states as it froze them), each with its state.
 */
export async function unacceptedCommunes(
  db: Db,
  s: Scope,
  period: string,
): Promise<(CommuneRow & { state: Exclude<ApprovalState, "accepted"> })[]> {
  return db.all(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT code, name, kind, parentName, state FROM (
      SELECT t.code AS code, u.full_name AS name, t.kind AS kind, p.full_name AS parentName,
             ${stateOfTree(s, period)} AS state, u.parent_code AS parent
      FROM tree t
      JOIN units u ON u.valid_from = ${s.listDate} AND u.code = t.code
      LEFT JOIN units p ON p.valid_from = ${s.listDate} AND p.code = u.parent_code
      WHERE t.kind IN ${COMMUNE_KINDS} AND EXISTS (${valuesOfTree(s, period)}))
    WHERE state != 'accepted'
    ORDER BY parent, code`);
}

export async function communeValues(db: Db, s: Scope, period: string): Promise<CommuneValue[]> {
  return db.all<CommuneValue>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT v.unit_code AS unitCode, v.indicator_code AS indicatorCode, v.value AS value, v.approximate AS approximate,
           v.doubtful AS doubtful
    FROM tree t ${valuesJoin(s.conferenceId ?? LIVE, "v", sql`v.unit_code = t.code AND v.period = ${period}`)}
    WHERE t.kind IN ${COMMUNE_KINDS}`);
}

/** True when the commune has a stored value for the period. */
export async function hasValues(db: Db, unitCode: string, period: string): Promise<boolean> {
  const [row] = await db.all<{ found: number }>(sql`
    SELECT 1 AS found FROM indicator_values INDEXED BY values_rollup_idx
    WHERE unit_code = ${unitCode} AND period = ${period} LIMIT 1`);
  return row !== undefined;
}
