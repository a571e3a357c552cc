/** The audit log, newest first, for admins: `GET /api/admin/audit?limit=&before=`. */
import { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { assertNational } from "../access/scope";
import { listAudit } from "../db/audit";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { iso } from "../http/json";
import { valid } from "../http/params";

export const audit = new Hono<AppEnv>().use(requireRole("admin")).get(
  "/",
  valid(
    "query",
    z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional(),
    }),
  ),
  async (c) => {
    // Entries name their targets in many ways (an email, an id, a date, a unit): not told apart by province.
    assertNational(c.get("principal"), "xem nhật ký thao tác");
    const { limit, before } = c.req.valid("query");
    const entries = await listAudit(getDb(c.env.DB), limit, before);
    return c.json({
      entries: entries.map((e) => ({
        id: e.id,
        at: iso(e.at),
        actor: e.actor,
        action: e.action,
        target: e.target,
        detail: e.detail === null ? null : (JSON.parse(e.detail) as unknown),
      })),
    });
  },
);
