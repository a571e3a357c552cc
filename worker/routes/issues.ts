import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { listIssues } from "../aggregate/issues";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { periodCode, unitOrCountry, valid } from "../http/params";

export const issues = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ unit: unitOrCountry, period: periodCode })),
  async (c) => {
    const { unit, period } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit);
    const body = await listIssues(db, unit, period);
    cacheFor(c, "live");
    return c.json(body);
  },
);
