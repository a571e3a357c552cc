/**
 * `GET /api/coverage/silent?unit=&period=`: the communes under a unit with no figure for the period, by name, each
 * `missing` (nothing) or `error` (cells rejected: it reported, its sheet needs fixing).
 */
import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { resolveScope } from "../aggregate/resolve";
import { getDb } from "../db/client";
import { rejectedUnderQuery } from "../db/issues";
import { communeRows } from "../db/values";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { aggregateParams, valid } from "../http/params";

const { unit, period, conference } = aggregateParams;

export const coverageRoute = new Hono<AppEnv>().get(
  "/silent",
  valid("query", z.object({ unit, period, conference })),
  async (c) => {
    const q = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), q.unit, q.conference);
    const { scope, frozen } = await resolveScope(db, q.unit, q.period, q.conference ?? null);
    const [silent, rejected] = await Promise.all([
      communeRows(db, scope, q.period),
      frozen ? [] : db.all<{ code: string }>(rejectedUnderQuery(scope, q.period)),
    ]);
    const needsFixing = new Set(rejected.map((r) => r.code));
    cacheFor(c, frozen ? "frozen" : "live");
    return c.json({
      communes: silent.map((r) => ({
        code: r.code,
        name: r.name,
        parentName: r.parentName,
        // Nothing stored: a commune whose cells were all rejected reported, and its sheet needs fixing.
        status: needsFixing.has(r.code) ? ("error" as const) : ("missing" as const),
      })),
    });
  },
);
