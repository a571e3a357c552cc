/**
 * Models roll-ups (PRODUCT.md §15), kept in the write batch of the source whose list changed, as the figures are
 * (worker/rollups/write.ts): each commune's own rows computed again from its lists, and only their change added to
 * every unit above it. `rollup_models` holds points and communes per kind; `rollup_model_totals` the distinct kinds,
 * points, communes with a list and communes running at least one model. Distinct kinds cannot be added up, so a
 * unit's count is recounted from its kind rows (one row per kind, a few dozen) after the change.
 */
import { type SQL, sql } from "drizzle-orm";
import { previousYearPeriod } from "../../domain/periods";
import type { Db } from "../db/client";
import type { Cte } from "../rollups/cte";
import { cte, withCtes } from "../rollups/cte";
import { aboveCte, communesCte, pairsCte } from "../rollups/fresh";

/** `fresh(code, period, kind, label, points, communes)`: each commune's own kinds, summed over its sources. */
const freshKinds: Cte<"fresh", "pairs" | "s"> = cte(sql`fresh AS (
    SELECT m.unit_code AS code, m.period AS period, m.kind AS kind, MIN(m.label) AS label,
           SUM(m.points) AS points, 1 AS communes
    FROM s CROSS JOIN commune_models m INDEXED BY commune_models_unit_idx ON m.unit_code = s.code
    WHERE m.period IN (SELECT period FROM pairs)
    GROUP BY m.unit_code, m.period, m.kind)`);

/** `fresh(code, period, kinds, points, listed, running)`: each commune's own totals, when it has a list. */
const freshTotals: Cte<"fresh", "pairs" | "s"> = cte(sql`
    listed AS (
      SELECT DISTINCT l.unit_code AS code, l.period AS period
      FROM s CROSS JOIN model_lists l INDEXED BY model_lists_unit_idx ON l.unit_code = s.code
      WHERE l.period IN (SELECT period FROM pairs)
    ),
    own AS (
      SELECT l.code, l.period,
             (SELECT COUNT(DISTINCT kind) FROM commune_models m WHERE m.unit_code = l.code AND m.period = l.period) AS kinds,
             (SELECT TOTAL(points) FROM commune_models m WHERE m.unit_code = l.code AND m.period = l.period) AS points
      FROM listed l
    ),
    fresh AS (SELECT code, period, kinds, CAST(points AS INTEGER) AS points, 1 AS listed, points > 0 AS running FROM own)`);

type ModelTable = {
  name: "rollup_models" | "rollup_model_totals";
  fresh: Cte<"fresh", "pairs" | "s">;
  key: string[];
  /** Columns added up the tree. */
  adds: string[];
  /** Columns taken as they are (a kind's label). */
  kept: string[];
};

const KINDS: ModelTable = {
  name: "rollup_models",
  fresh: freshKinds,
  key: ["period", "kind"],
  adds: ["points", "communes"],
  kept: ["label"],
};
const TOTALS: ModelTable = {
  name: "rollup_model_totals",
  fresh: freshTotals,
  key: ["period"],
  adds: ["points", "listed", "running"],
  kept: ["kinds"],
};

const cols = (names: string[], prefix = "") => sql.raw(names.map((n) => `${prefix}${n}`).join(", "));

/** The change of the communes' own rows (fresh less stored, and stored rows nothing replaces) added to every unit above. */
function addChange(t: ModelTable, s: Cte<"s">, pairs: Cte<"pairs">): SQL {
  const same = t.key.map((k) => `o.${k} = f.${k}`).join(" AND ");
  const table = sql.raw(t.name);
  const changed = t.adds.map((c) => `d.${c} != 0`).join(" OR ");
  // A total's distinct kinds are recounted after; a kind's label is the first one seen.
  const keptValues = t.kept.map((c) => (c === "kinds" ? "0" : `d.${c}`));
  // A kind not in the catalog is named by the first of its communes' words in sort order, whatever order they came in.
  const sets = [
    ...t.adds.map((c) => `${c} = ${c} + excluded.${c}`),
    ...t.kept.filter((c) => c === "label").map((c) => `${c} = MIN(${c}, excluded.${c})`),
  ];
  return withCtes(pairs)
    .and(s)
    .and(t.fresh)
    .and(aboveCte)
    .and(
      cte<"change", "fresh">(sql`change AS (
        SELECT f.code AS code, ${cols(t.key, "f.")}, ${cols(t.kept, "f.")},
               ${sql.raw(t.adds.map((c) => `f.${c} - COALESCE(o.${c}, 0) AS ${c}`).join(", "))}
        FROM fresh f LEFT JOIN ${table} o ON o.unit_code = f.code AND ${sql.raw(same)}
        UNION ALL
        SELECT o.unit_code, ${cols(t.key, "o.")}, ${cols(t.kept, "o.")}, ${sql.raw(t.adds.map((c) => `-o.${c}`).join(", "))}
        FROM s CROSS JOIN ${table} o ON o.unit_code = s.code AND o.period IN (SELECT period FROM pairs)
        LEFT JOIN fresh f ON f.code = o.unit_code AND ${sql.raw(same)}
        WHERE f.code IS NULL
      )`),
    )
    .query(sql`INSERT INTO ${table} (unit_code, ${cols(t.key)}, ${cols(t.kept)}, ${cols(t.adds)})
      SELECT a.unit, ${cols(t.key, "d.")}, ${sql.raw(keptValues.join(", "))}, ${cols(t.adds, "d.")}
      FROM change d CROSS JOIN above a ON a.commune = d.code AND a.period = d.period
      WHERE ${sql.raw(changed)}
      ON CONFLICT DO UPDATE SET ${sql.raw(sets.join(", "))}`);
}

/** The communes' own rows replaced by their fresh ones. */
function replaceOwn(t: ModelTable, s: Cte<"s">, pairs: Cte<"pairs">): SQL[] {
  const table = sql.raw(t.name);
  return [
    withCtes(pairs)
      .and(s)
      .query(sql`DELETE FROM ${table} WHERE unit_code IN (SELECT code FROM s)
        AND period IN (SELECT period FROM pairs)`),
    withCtes(pairs)
      .and(s)
      .and(t.fresh)
      .query(sql`INSERT INTO ${table} (unit_code, ${cols(t.key)}, ${cols(t.kept)}, ${cols(t.adds)})
        SELECT code, ${cols(t.key)}, ${cols(t.kept)}, ${cols(t.adds)} FROM fresh WHERE true`),
  ];
}

/** Rows above the communes that no commune counts any more; then each unit's distinct kinds recounted. */
function tidyAbove(s: Cte<"s">, pairs: Cte<"pairs">): SQL[] {
  const aboveOf = (statement: SQL) => withCtes(pairs).and(s).and(aboveCte).query(statement);
  return [
    aboveOf(sql`DELETE FROM rollup_models WHERE communes <= 0
      AND (unit_code, period) IN (SELECT unit, period FROM above)`),
    aboveOf(sql`DELETE FROM rollup_model_totals WHERE listed <= 0
      AND (unit_code, period) IN (SELECT unit, period FROM above)`),
    aboveOf(sql`UPDATE rollup_model_totals AS t
      SET kinds = (SELECT COUNT(*) FROM rollup_models r WHERE r.unit_code = t.unit_code AND r.period = t.period)
      WHERE (t.unit_code, t.period) IN (SELECT DISTINCT unit, period FROM above)`),
  ];
}

/**
 * What a change of these communes' lists in these periods adds to the write batch, after the lists themselves are
 * written: their change to every unit above, their own rows, the kinds recounted.
 */
export function modelRollupWrite(communes: string[], periods: string[]): SQL[] {
  const codes = [...new Set(communes)];
  const touched = [...new Set(periods)].sort();
  if (!codes.length || !touched.length) return [];
  const s = communesCte(codes);
  const pairs = pairsCte(touched.map((period) => ({ period, compare: previousYearPeriod(period) })));
  return [
    ...[KINDS, TOTALS].flatMap((t) => [addChange(t, s, pairs), ...replaceOwn(t, s, pairs)]),
    ...tidyAbove(s, pairs),
  ];
}

/**
 * Every models roll-up built again from the stored lists, for a new unit list (which communes each unit counts):
 * emptied, then every listed commune's rows added up the tree as a write adds them.
 */
export async function modelRollupRebuild(db: Db): Promise<SQL[]> {
  const listed = await db.all<{ code: string; period: string }>(
    sql`SELECT DISTINCT unit_code AS code, period FROM model_lists`,
  );
  return [
    sql`DELETE FROM rollup_models`,
    sql`DELETE FROM rollup_model_totals`,
    ...modelRollupWrite(
      listed.map((l) => l.code),
      listed.map((l) => l.period),
    ),
  ];
}
