import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { buildExportCsv } from "../aggregate/export";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { unitOrCountry } from "../http/params";
import { periodCode, query } from "./params";

export const exportCsv = new Hono<AppEnv>().get("/", query(z.object({ unit: unitOrCountry, period: periodCode })), async (c) => {
  const { unit, period } = c.req.valid("query");
  const db = getDb(c.env.DB);
  await assertCanRead(db, c.get("principal"), unit);
  const { filename, body } = await buildExportCsv(db, unit, period);
  cacheFor(c, "live");
  return c.body(body, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
  });
});
