/**
 * The statements the Worker runs for a cold summary and a cold breakdown (worker/aggregate/summary.ts, breakdown.ts,
 * with the figure cache off), built by the Worker's own functions and turned into `{ sql, params }` the way
 * worker/db/batch.ts prepares them for D1. The benchmark's floor runs them straight on the D1 database.
 */
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { parsePeriodCode, previousYearPeriod } from "../domain/periods";
import { NATIONAL } from "../domain/units";
import { breakdownQueries } from "../worker/aggregate/breakdown";
import { summaryQueries } from "../worker/aggregate/summary";
import { listIndicators } from "../worker/db/catalog";
import type { Db } from "../worker/db/client";
import { type Scope, unitInForce } from "../worker/db/units";
import { figureSource } from "../worker/rollups/read";
import { rollupsBuilt } from "../worker/rollups/write";

export type Statement = { sql: string; params: unknown[] };

/** Each path's statements in the order the Worker runs them: from the stored roll-ups, and computed from the values. */
export type Paths = { stored: Statement[]; fromValues: Statement[] };

/**
 * A unit (`VN` the whole country) and its kind, a period read against the year before (the API's default), the unit
 * list in force at the period's end, and the indicator (a count) a breakdown shows.
 */
export type Read = { unit: string; kind: string; period: string; listDate: string; indicator: string };

const dialect = new SQLiteAsyncDialect({ casing: "snake_case" });

function toD1(q: SQL): Statement {
  const { sql, params } = dialect.sqlToQuery(q);
  return { sql, params };
}

/** What a function that reads through `db.all` sends: a database that records each statement instead of running it. */
async function recorded(read: (db: Db) => Promise<unknown>): Promise<SQL[]> {
  const seen: SQL[] = [];
  const db = {
    all: async (q: SQL) => {
      seen.push(q);
      return [];
    },
  };
  await read(db as unknown as Db);
  return seen;
}

/** `resolveScope` without a conference: the unit list in force at the period's end with the unit, then `rollupsBuilt`. */
function resolveStatements(r: Read): Promise<SQL[]> {
  const endsOn = parsePeriodCode(r.period)?.endsOn;
  if (!endsOn) throw new Error(`not a period code: ${r.period}`);
  return recorded(async (db) => {
    await unitInForce(db, endsOn, r.unit === NATIONAL ? null : r.unit);
    await rollupsBuilt(db);
  });
}

/** The statements of `computeSummary` and `computeBreakdown` for `r`, on both paths. */
export async function workerStatements(r: Read): Promise<{ summary: Paths; breakdown: Paths }> {
  const scope: Scope = { listDate: r.listDate, unitCode: r.unit, conferenceId: null };
  const resolve = await resolveStatements(r);
  // The breakdown looks its indicator up in the catalog (`listIndicators`) beside resolving the scope.
  const indicator = await recorded(listIndicators);
  const paths = (statements: (built: boolean) => SQL[]): Paths => ({
    stored: statements(true).map(toD1),
    fromValues: statements(false).map(toD1),
  });
  const source = (built: boolean) => figureSource(scope, null, r.period, previousYearPeriod(r.period), built);
  // The bench reads a count; the breakdown's statements only need its code and kind.
  const counted = { code: r.indicator, kind: "count", numerator: null, denominator: null } as const;
  return {
    summary: paths((built) => [...resolve, ...summaryQueries(scope, r.kind, source(built), r.period)]),
    breakdown: paths((built) => [
      ...resolve,
      ...indicator,
      ...breakdownQueries(scope, r.kind, counted, source(built), r.period),
    ]),
  };
}
