/**
 * The models sentence of the speech (PRODUCT.md §15): “Toàn tỉnh duy trì 38 loại mô hình với 33.100 điểm, tiêu biểu:
 * …”, from the unit's models roll-ups (its totals and its three kinds with most points).
 */
import { sql } from "drizzle-orm";
import { formatNumber } from "../../domain/numbers";
import { readBatch } from "../db/batch";
import type { Db } from "../db/client";
import type { Scope } from "../db/units";

export type ModelsHeadline = {
  distinctKinds: number;
  points: number;
  reportingCommunes: number;
  top: { label: string; points: number }[];
};

/** How many kinds the speech names as the main ones. */
const NAMED = 3;

export async function modelsHeadline(db: Db, scope: Scope, period: string): Promise<ModelsHeadline | null> {
  const [totals, top] = await readBatch<
    [{ kinds: number; points: number; listed: number }[], { label: string; points: number }[]]
  >(db, [
    sql`SELECT kinds, points, listed FROM rollup_model_totals WHERE unit_code = ${scope.unitCode} AND period = ${period}`,
    sql`SELECT COALESCE((SELECT t.label FROM model_types t WHERE t.code = r.kind), r.label) AS label, r.points AS points
      FROM rollup_models r WHERE r.unit_code = ${scope.unitCode} AND r.period = ${period}
      ORDER BY r.points DESC, r.communes DESC LIMIT ${NAMED}`,
  ]);
  const t = totals[0];
  if (!t?.kinds) return null;
  return { distinctKinds: t.kinds, points: t.points, reportingCommunes: t.listed, top };
}

/** `whole` is how the speech names the unit (“Toàn tỉnh”); a commune's sentence does not say how many lists. */
export function modelsSentence(whole: string, m: ModelsHeadline, isCommune: boolean): string {
  const n = (v: number) => formatNumber(v, "count");
  const lists = isCommune ? "" : ` (theo danh sách mô hình của ${n(m.reportingCommunes)} xã)`;
  const named = m.top.map((k) => `${k.label} (${n(k.points)} điểm)`).join("; ");
  return `${whole} duy trì ${n(m.distinctKinds)} loại mô hình với ${n(m.points)} điểm${lists}, tiêu biểu: ${named}.`;
}
