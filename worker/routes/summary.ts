import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { buildSummary } from "../aggregate/summary";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { previousYearPeriod } from "../reference/periods";
import { periodCode, query, unitCode } from "./params";

export const summary = new Hono<AppEnv>().get(
  "/",
  query(z.object({ unit: unitCode, period: periodCode, compare: periodCode.optional() })),
  async (c) => {
    const { unit, period, compare } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit);
    return c.json(await buildSummary(db, unit, period, compare ?? previousYearPeriod(period)));
  },
);
