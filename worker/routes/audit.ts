/** The audit log, newest first, for admins: `GET /api/admin/audit?limit=&before=`. */
import { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { listAudit } from "../db/audit";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { iso } from "../http/json";
import { query } from "../http/params";

export const audit = new Hono<AppEnv>().use(requireRole("admin")).get(
  "/",
  query(
    z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional(),
    }),
  ),
  async (c) => {
    const { limit, before } = c.req.valid("query");
    const entries = await listAudit(getDb(c.env.DB), limit, before);
    return c.json({
      entries: entries.map((e) => ({
        ...e,
        at: iso(e.at)!,
        detail: e.detail === null ? null : JSON.parse(e.detail),
      })),
    });
  },
);
