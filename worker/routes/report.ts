import { Hono } from "hono";
import { z } from "zod";
import { previousYearPeriod } from "../../domain/periods";
import { assertCanRead } from "../access/scope";
import { buildReport } from "../aggregate/report";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { aggregateParams, valid } from "../http/params";

export const report = new Hono<AppEnv>().get("/", valid("query", z.object(aggregateParams)), async (c) => {
  const { unit, period, compare, conference, basis } = c.req.valid("query");
  const db = getDb(c.env.DB);
  await assertCanRead(db, c.get("principal"), unit, conference);
  const body = await buildReport(db, unit, period, compare ?? previousYearPeriod(period), conference ?? null, basis);
  cacheFor(c, body.frozen ? "frozen" : "live");
  return c.json(body);
});
