/**
 * Indicator values: what a sync writes — everything one source changes in one D1 batch, so a run that dies half-way
 * leaves each source either as it was or fully updated (PRODUCT.md §6) — and the roll-ups read from them (§7).
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type CellIssue, type CellValue, KEEPS_LAST_GOOD, slotKey } from "../sheets/types";
import { chunk, runBatch } from "./batch";
import type { Db } from "./client";
import { auditLog, issues, sources, values } from "./schema";
import type { SourceRecord } from "./sources";
import { COMMUNE_KINDS, childTree, type Scope, unitTree } from "./units";

export type StoredValue = typeof values.$inferSelect;

/**
 * In one round trip: the values a source wrote last time, and the stored values of these units in these (previous)
 * periods, keyed `unit|indicator|period`, for the jump check.
 */
export async function storedForSource(
  db: Db,
  sourceId: number,
  unitCodes: string[],
  periods: string[],
): Promise<{ existing: StoredValue[]; previous: Map<string, number> }> {
  const bySource = db.select().from(values).where(eq(values.sourceId, sourceId));
  const parts = periods.length ? chunk(unitCodes, 1 + periods.length) : [];
  const prevQueries = parts.map((part) =>
    db
      .select({
        unitCode: values.unitCode,
        indicatorCode: values.indicatorCode,
        period: values.period,
        value: values.value,
      })
      .from(values)
      .where(and(inArray(values.unitCode, part), inArray(values.period, periods))),
  );
  const [existing, ...prev] = await db.batch([bySource, ...prevQueries]);
  const previous = new Map<string, number>();
  for (const rows of prev as { unitCode: string; indicatorCode: string; period: string; value: number }[][]) {
    for (const r of rows) previous.set(`${r.unitCode}|${r.indicatorCode}|${r.period}`, r.value);
  }
  return { existing: existing as StoredValue[], previous };
}

type WriteResult = { written: number; removed: number };

/** Stores a source's new reading: changed values upserted, vanished ones removed (and audited), issues replaced. */
export async function writeSourceReading(
  db: Db,
  source: SourceRecord,
  reading: { values: CellValue[]; issues: CellIssue[]; title: string; locale: string | null },
  version: { version: string; modifiedTime: string },
  runId: number,
  now: number,
  stored?: StoredValue[],
): Promise<WriteResult> {
  const existing = stored ?? (await db.select().from(values).where(eq(values.sourceId, source.id)));
  const key = (v: { unitCode: string; indicatorCode: string; period: string }) =>
    slotKey(v.unitCode, v.indicatorCode, v.period);
  const before = new Map(existing.map((v) => [key(v), v]));
  const fresh = new Set(reading.values.map(key));
  // A cell whose formula failed keeps the value it last gave.
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

  const statements: BatchItem<"sqlite">[] = [];
  for (const part of chunk(changed, 12)) {
    statements.push(
      db
        .insert(values)
        .values(part.map((v) => ({ ...v, sourceId: source.id, runId, writtenAt: now, firstWrittenAt: now })))
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
            eq(values.sourceId, source.id),
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
          detail: JSON.stringify({ sourceId: source.id, runId, cell: v.cell, raw: v.raw, value: v.value }),
        })),
      ),
    );
  }
  statements.push(db.delete(issues).where(eq(issues.sourceId, source.id)));
  for (const part of chunk(reading.issues, 12)) {
    statements.push(db.insert(issues).values(part.map((i) => ({ ...i, sourceId: source.id, runId, createdAt: now }))));
  }
  statements.push(
    db
      .update(sources)
      .set({
        title: reading.title,
        locale: reading.locale,
        lastVersion: version.version,
        lastModifiedTime: version.modifiedTime,
        lastRunId: runId,
        lastStatus: "ok",
        lastCheckedAt: now,
        lastSuccessAt: now,
        lastErrorCode: null,
        lastError: null,
      })
      .where(eq(sources.id, source.id)),
  );
  await runBatch(db, statements);
  return { written: changed.length, removed: removed.length };
}

/** The value an upsert proposed, for `ON CONFLICT DO UPDATE SET col = excluded.col`. */
function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}

/**
 * The values table (live or frozen) joined as `alias`, with the snapshot filter when frozen. CROSS JOIN keeps SQLite's
 * join order: start from the unit's communes and read each one's values through the covering roll-up index, instead of
 * walking every value of the period.
 */
function valuesJoin(s: Scope, alias: string, on: SQL): SQL {
  const a = sql.raw(alias);
  return s.conferenceId === null
    ? sql`CROSS JOIN indicator_values ${a} INDEXED BY values_rollup_idx ON ${on}`
    : sql`CROSS JOIN snapshot_values ${a} ON ${a}.conference_id = ${s.conferenceId} AND ${on}`;
}

const list = (items: string[]) =>
  sql.join(
    items.map((i) => sql`${i}`),
    sql`, `,
  );

export type FigureRow = {
  period: string;
  indicatorCode: string;
  total: number | null;
  numerator: number | null;
  denominator: number | null;
  reporting: number;
  approximate: number;
  /** Any part read from a sheet whose locale is not Vietnamese. */
  doubtful: number;
};

/**
 * Every indicator's figure for the given periods in one statement: sums (with the number of communes and whether any
 * value is approximate) and, for ratio indicators, Σ numerator and Σ denominator over the communes reporting both.
 */
export async function figureRows(db: Db, s: Scope, periods: string[]): Promise<FigureRow[]> {
  const ps = list(periods);
  return db.all<FigureRow>(sql`
    WITH RECURSIVE ${unitTree(s)},
    communes(code) AS (SELECT code FROM tree WHERE kind IN ${COMMUNE_KINDS})
    SELECT v.period AS period, v.indicator_code AS indicatorCode, SUM(v.value) AS total, NULL AS numerator,
           NULL AS denominator, COUNT(*) AS reporting, MAX(v.approximate) AS approximate,
           MAX(v.doubtful) AS doubtful
    FROM communes c ${valuesJoin(s, "v", sql`v.unit_code = c.code`)}
    WHERE v.period IN (${ps})
    GROUP BY v.period, v.indicator_code
    UNION ALL
    SELECT n.period, r.code, NULL, SUM(n.value), SUM(d.value), COUNT(*), MAX(MAX(n.approximate, d.approximate)),
           MAX(MAX(n.doubtful, d.doubtful))
    FROM communes c
    CROSS JOIN indicators r
    ${valuesJoin(s, "n", sql`n.unit_code = c.code AND n.indicator_code = r.numerator AND n.period IN (${ps})`)}
    ${valuesJoin(s, "d", sql`d.unit_code = c.code AND d.indicator_code = r.denominator AND d.period = n.period`)}
    WHERE r.kind = 'ratio' AND r.active = 1
    GROUP BY n.period, r.code`);
}

export type ChildFigureRow = FigureRow & { child: string };

/** One indicator's figure per child unit (each child summed over its own communes), for the given periods. */
export async function childFigureRows(
  db: Db,
  s: Scope,
  unitKind: string,
  indicator: { code: string; numerator: string | null; denominator: string | null; kind: string },
  periods: string[],
): Promise<ChildFigureRow[]> {
  const ps = list(periods);
  const tree = childTree(s, unitKind);
  if (indicator.kind === "ratio" && indicator.numerator && indicator.denominator) {
    return db.all<ChildFigureRow>(sql`
      WITH RECURSIVE ${tree}
      SELECT t.child AS child, n.period AS period, ${indicator.code} AS indicatorCode, NULL AS total,
             SUM(n.value) AS numerator, SUM(d.value) AS denominator, COUNT(*) AS reporting,
             MAX(MAX(n.approximate, d.approximate)) AS approximate, MAX(MAX(n.doubtful, d.doubtful)) AS doubtful
      FROM tree t
      ${valuesJoin(s, "n", sql`n.unit_code = t.code AND n.indicator_code = ${indicator.numerator} AND n.period IN (${ps})`)}
      ${valuesJoin(s, "d", sql`d.unit_code = t.code AND d.indicator_code = ${indicator.denominator} AND d.period = n.period`)}
      WHERE t.kind IN ${COMMUNE_KINDS}
      GROUP BY t.child, n.period`);
  }
  return db.all<ChildFigureRow>(sql`
    WITH RECURSIVE ${tree}
    SELECT t.child AS child, v.period AS period, v.indicator_code AS indicatorCode, SUM(v.value) AS total,
           NULL AS numerator, NULL AS denominator, COUNT(*) AS reporting, MAX(v.approximate) AS approximate,
           MAX(v.doubtful) AS doubtful
    FROM tree t
    ${valuesJoin(s, "v", sql`v.unit_code = t.code AND v.indicator_code = ${indicator.code} AND v.period IN (${ps})`)}
    WHERE t.kind IN ${COMMUNE_KINDS}
    GROUP BY t.child, v.period`);
}

/**
 * Like for like (a change compares the same communes): per indicator, or per child unit for one indicator, the sums
 * of this period and the comparison period over the communes that have the indicator in both — for a ratio, both
 * its parts in both periods.
 */
export type ComparableRow = {
  key: string;
  total: number | null;
  previousTotal: number | null;
  numerator: number | null;
  denominator: number | null;
  previousNumerator: number | null;
  previousDenominator: number | null;
  communes: number;
};

type Measured = { code: string; kind: string; numerator: string | null; denominator: string | null };

/** Over the communes of the tree `t`: grouped by indicator, or (`only` one indicator) by the tree's child unit. */
function comparableSql(s: Scope, period: string, compare: string, only: Measured | null): SQL {
  const [sumsKey, ratiosKey] = only ? [sql`t.child`, sql`t.child`] : [sql`a.indicator_code`, sql`r.code`];
  const sums = sql`
    SELECT ${sumsKey} AS key, SUM(a.value) AS total, SUM(b.value) AS previousTotal, NULL AS numerator,
           NULL AS denominator, NULL AS previousNumerator, NULL AS previousDenominator, COUNT(*) AS communes
    FROM tree t
    ${valuesJoin(s, "a", sql`a.unit_code = t.code AND a.period = ${period}${only ? sql` AND a.indicator_code = ${only.code}` : sql``}`)}
    ${valuesJoin(s, "b", sql`b.unit_code = t.code AND b.period = ${compare} AND b.indicator_code = a.indicator_code`)}
    WHERE t.kind IN ${COMMUNE_KINDS}
    GROUP BY ${sumsKey}`;
  const ratios = sql`
    SELECT ${ratiosKey} AS key, NULL, NULL, SUM(n1.value), SUM(d1.value), SUM(n0.value), SUM(d0.value), COUNT(*)
    FROM tree t
    CROSS JOIN indicators r
    ${valuesJoin(s, "n1", sql`n1.unit_code = t.code AND n1.indicator_code = r.numerator AND n1.period = ${period}`)}
    ${valuesJoin(s, "d1", sql`d1.unit_code = t.code AND d1.indicator_code = r.denominator AND d1.period = ${period}`)}
    ${valuesJoin(s, "n0", sql`n0.unit_code = t.code AND n0.indicator_code = r.numerator AND n0.period = ${compare}`)}
    ${valuesJoin(s, "d0", sql`d0.unit_code = t.code AND d0.indicator_code = r.denominator AND d0.period = ${compare}`)}
    WHERE t.kind IN ${COMMUNE_KINDS} AND r.kind = 'ratio' AND r.active = 1${only ? sql` AND r.code = ${only.code}` : sql``}
    GROUP BY ${ratiosKey}`;
  if (only) return only.kind === "ratio" ? ratios : sums;
  return sql`${sums} UNION ALL ${ratios}`;
}

/** Every indicator of the unit, like for like; `key` is the indicator's code. */
export async function comparableRows(db: Db, s: Scope, period: string, compare: string): Promise<ComparableRow[]> {
  return db.all<ComparableRow>(sql`WITH RECURSIVE ${unitTree(s)} ${comparableSql(s, period, compare, null)}`);
}

/** One indicator per child unit, like for like; `key` is the child's code. */
export async function childComparableRows(
  db: Db,
  s: Scope,
  unitKind: string,
  indicator: Measured,
  period: string,
  compare: string,
): Promise<ComparableRow[]> {
  return db.all<ComparableRow>(
    sql`WITH RECURSIVE ${childTree(s, unitKind)} ${comparableSql(s, period, compare, indicator)}`,
  );
}

/**
 * expected = communes under the unit; reported = communes with at least one value; complete = communes with every
 * required indicator; late = communes whose first value for the period arrived after `deadline` although the product
 * was watching their sheet before it (registered before the deadline); timelinessUnknown = communes whose first
 * value arrived after the deadline from a sheet registered only after it — whether they were late cannot be known.
 */
export type Coverage = {
  expected: number;
  reported: number;
  complete: number;
  late: number;
  timelinessUnknown: number;
};

export async function coverage(
  db: Db,
  s: Scope,
  period: string,
  requiredCodes: string[],
  deadline: number | null,
): Promise<Coverage> {
  const required = requiredCodes.length ? list(requiredCodes) : sql`NULL`;
  // A frozen snapshot keeps when each value was written, which stands in for when it first arrived.
  const firstAt = s.conferenceId === null ? sql`v.first_written_at` : sql`v.written_at`;
  const after = sql`${deadline} IS NOT NULL AND per_unit.first_at > ${deadline}`;
  const [row] = await db.all<Coverage>(sql`
    WITH RECURSIVE ${unitTree(s)},
    communes(code) AS (SELECT code FROM tree WHERE kind IN ${COMMUNE_KINDS}),
    per_unit AS (
      SELECT v.unit_code,
             SUM(v.indicator_code IN (${required})) AS required_count,
             MIN(${firstAt}) AS first_at,
             MIN(src.created_at) AS watched_since
      FROM communes c ${valuesJoin(s, "v", sql`v.unit_code = c.code AND v.period = ${period}`)}
      LEFT JOIN sources src ON src.id = v.source_id
      GROUP BY v.unit_code
    )
    SELECT (SELECT COUNT(*) FROM communes) AS expected,
           COUNT(per_unit.unit_code) AS reported,
           COALESCE(SUM(per_unit.required_count >= ${requiredCodes.length}), 0) AS complete,
           COALESCE(SUM(${after} AND per_unit.watched_since <= ${deadline}), 0) AS late,
           COALESCE(SUM(${after} AND (per_unit.watched_since IS NULL OR per_unit.watched_since > ${deadline})), 0)
             AS timelinessUnknown
    FROM per_unit`);
  return row ?? { expected: 0, reported: 0, complete: 0, late: 0, timelinessUnknown: 0 };
}

export type CommuneRow = { code: string; name: string; kind: string; parentName: string | null };

export type CommuneValue = {
  unitCode: string;
  indicatorCode: string;
  value: number;
  approximate: number;
  doubtful: number;
};

/**
 * Every commune under the unit with the name of its parent (district or province), for exports; with
 * `silentIn`, only those without any value for that period.
 */
export async function communeRows(db: Db, s: Scope, silentIn: string | null = null): Promise<CommuneRow[]> {
  const values =
    s.conferenceId === null
      ? sql`SELECT 1 FROM indicator_values v INDEXED BY values_rollup_idx WHERE v.unit_code = t.code AND v.period = ${silentIn}`
      : sql`SELECT 1 FROM snapshot_values v WHERE v.conference_id = ${s.conferenceId} AND v.unit_code = t.code AND v.period = ${silentIn}`;
  return db.all<CommuneRow>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT t.code AS code, u.full_name AS name, t.kind AS kind, p.full_name AS parentName
    FROM tree t
    JOIN units u ON u.valid_from = ${s.listDate} AND u.code = t.code
    LEFT JOIN units p ON p.valid_from = ${s.listDate} AND p.code = u.parent_code
    WHERE t.kind IN ${COMMUNE_KINDS}${silentIn === null ? sql`` : sql` AND NOT EXISTS (${values})`}
    ORDER BY u.parent_code, t.code`);
}

export async function communeValues(db: Db, s: Scope, period: string): Promise<CommuneValue[]> {
  return db.all<CommuneValue>(sql`
    WITH RECURSIVE ${unitTree(s)}
    SELECT v.unit_code AS unitCode, v.indicator_code AS indicatorCode, v.value AS value, v.approximate AS approximate,
           v.doubtful AS doubtful
    FROM tree t ${valuesJoin(s, "v", sql`v.unit_code = t.code AND v.period = ${period}`)}
    WHERE t.kind IN ${COMMUNE_KINDS}`);
}
