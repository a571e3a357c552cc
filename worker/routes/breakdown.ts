import { Hono } from "hono";
import { z } from "zod";
import { previousYearPeriod } from "../../domain/periods";
import { assertCanRead } from "../access/scope";
import { buildBreakdown } from "../aggregate/breakdown";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { aggregateParams, indicatorCode, valid } from "../http/params";

export const breakdown = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ ...aggregateParams, indicator: indicatorCode })),
  async (c) => {
    const { unit, period, compare, conference, indicator, basis } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit, conference);
    const body = await buildBreakdown(
      db,
      unit,
      period,
      indicator,
      compare ?? previousYearPeriod(period),
      conference ?? null,
      basis,
    );
    cacheFor(c, body.frozen ? "frozen" : "live");
    return c.json(body);
  },
);
