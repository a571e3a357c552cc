import { is, SQL, type SQLWrapper } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/** D1 binds at most 100 parameters per statement: split rows so each insert stays under that. */
export function chunk<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(100 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A query builder, or a statement written as SQL (drizzle cannot batch its own raw queries with parameters on D1). */
export type Statement = BatchItem<"sqlite"> | SQL;

const dialect = new SQLiteAsyncDialect({ casing: "snake_case" });

function prepared(db: Db, statements: Statement[]): D1PreparedStatement[] {
  const d1 = db.$client;
  return statements.map((s) => {
    const q = dialect.sqlToQuery(is(s, SQL) ? s : (s as unknown as SQLWrapper).getSQL());
    return d1.prepare(q.sql).bind(...q.params);
  });
}

/** Runs statements as one D1 batch (one transaction); an empty list does nothing. */
export async function runBatch(db: Db, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  await db.$client.batch(prepared(db, statements));
}

/** Reads in one round trip (one D1 batch): each query's rows, as `db.all` gives them (`T`, one entry per query). */
export async function readBatch<T extends unknown[][]>(db: Db, queries: SQL[]): Promise<T> {
  const results = await db.$client.batch(prepared(db, queries));
  return results.map((r) => r.results) as T;
}
