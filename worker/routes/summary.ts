import { Hono } from "hono";
import { z } from "zod";
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
    return c.json(await buildSummary(getDb(c.env.DB), unit, period, compare ?? previousYearPeriod(period)));
  },
);
