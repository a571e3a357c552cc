/** `GET /api/trend?unit&indicator[&from&to][&by=year|quarter]`: a figure over the years (PRODUCT.md §14). */
import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { indicatorCode, unitOrCountry, valid } from "../http/params";
import { buildTrend } from "../periods/trend";

const year = z.coerce.number().int().min(1990, "năm từ 1990").max(2100, "năm đến 2100");

export const trendRoute = new Hono<AppEnv>().get(
  "/",
  valid(
    "query",
    z.object({
      unit: unitOrCountry,
      indicator: indicatorCode,
      from: year.optional(),
      to: year.optional(),
      by: z.enum(["year", "quarter"], { error: "by là year (theo năm) hoặc quarter (theo quý)" }).default("year"),
    }),
  ),
  async (c) => {
    const q = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), q.unit);
    const body = await buildTrend(db, q.unit, q.indicator, q);
    cacheFor(c, "live");
    return c.json(body);
  },
);
