/**
 * What an API answer cost in D1, from D1's own `meta` of every statement the request ran (`rows_read`, `duration`),
 * said in a `Server-Timing` header: `d1;dur=3.1;desc="rows_read=64", total;dur=12.3`.
 * The request's D1 binding is wrapped for this; a statement's `raw()` is answered from `all()`, whose result carries
 * the `meta` that `raw()` drops — the same rows, in column order (drizzle maps batch results the same way; its typed
 * selects here read one table, so no two columns share a name).
 * @see https://developers.cloudflare.com/d1/worker-api/return-object/
 * @see https://www.w3.org/TR/server-timing/
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

type D1Cost = { rowsRead: number; ms: number };

const real = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

function metered(db: D1Database, cost: D1Cost): D1Database {
  const add = (meta: D1Meta | undefined) => {
    cost.rowsRead += meta?.rows_read ?? 0;
    cost.ms += meta?.duration ?? 0;
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const all = async <T>() => {
      const result = await stmt.all<T>();
      add(result.meta);
      return result;
    };
    const wrapped = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      all,
      run: async <T>() => {
        const result = await stmt.run<T>();
        add(result.meta);
        return result;
      },
      first: async (column?: string) => {
        const row = (await all<Record<string, unknown>>()).results[0];
        if (row === undefined) return null;
        if (column === undefined) return row;
        // As D1 does: a column the statement does not return is an error, not a null.
        if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
        return row[column];
      },
      raw: async (options?: { columnNames?: boolean }) => {
        const { results } = await all<Record<string, unknown>>();
        const rows = results.map((row) => Object.values(row));
        return options?.columnNames ? [Object.keys(results[0] ?? {}), ...rows] : rows;
      },
    } as unknown as D1PreparedStatement;
    real.set(wrapped, stmt);
    return wrapped;
  };
  return {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      const results = await db.batch<T>(statements.map((s) => real.get(s) ?? s));
      for (const r of results) add(r.meta);
      return results;
    },
    exec: (query: string) => db.exec(query),
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  } as D1Database;
}

/**
 * Every /api answer says its D1 time and rows read, and its total time (in Workers the clock moves with I/O, so the
 * total is the time spent waiting, which is what a reader feels).
 */
export const d1Cost: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const cost: D1Cost = { rowsRead: 0, ms: 0 };
  c.env = { ...c.env, DB: metered(c.env.DB, cost) };
  await next();
  const total = performance.now() - started;
  c.res.headers.append(
    "Server-Timing",
    `d1;dur=${cost.ms.toFixed(1)};desc="rows_read=${cost.rowsRead}", total;dur=${total.toFixed(1)}`,
  );
};
