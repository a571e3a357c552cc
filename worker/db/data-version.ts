/** What a cached figure depends on, read cheaply: the per-isolate figure cache keys on it (`aggregate/cache.ts`). */
import { sql } from "drizzle-orm";
import type { Db } from "./client";

/**
 * A fingerprint of everything a figure depends on, cheap to read (each part is one index lookup or a small table):
 * sync runs, admin actions (audited: a unit list imported again is seen here), the newest value row, the newest
 * unit row, the catalog and the deadlines.
 * `settled` is false while a run is still writing.
 */
export async function dataVersion(db: Db): Promise<{ key: string; settled: boolean }> {
  const [row] = await db.all<Record<string, string | number | null>>(sql`
    SELECT (SELECT id || ':' || status || ':' || COALESCE(finished_at, '') FROM sync_runs ORDER BY id DESC LIMIT 1) AS run,
           (SELECT MAX(id) FROM audit_log) AS audit,
           (SELECT MAX(rowid) FROM indicator_values) AS value_row,
           (SELECT MAX(rowid) FROM units) AS units,
           (SELECT COUNT(*) || ':' || SUM(active) || ':' || MAX(rowid) FROM indicators) AS catalog,
           (SELECT COUNT(*) || ':' || COALESCE(SUM(deadline), 0) FROM periods) AS periods,
           (SELECT COUNT(*) || ':' || COALESCE(MAX(frozen_at), 0) FROM conferences) AS conferences`);
  const key = JSON.stringify(row ?? {});
  return { key, settled: !String(row?.run ?? "").includes(":running:") };
}
