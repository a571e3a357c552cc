import { Hono } from "hono";
import { getDb } from "../db/client";
import { recentRuns } from "../db/sync";
import { requireRole } from "../access/middleware";
import type { AppEnv } from "../env";
import { runSync } from "../sync/run";

export const sync = new Hono<AppEnv>()
  .post("/", requireRole("admin"), async (c) => {
    const result = await runSync(c.env, { trigger: "manual", actor: c.get("principal").email });
    return c.json({ run: result }, 200);
  })
  .get("/runs", async (c) => c.json({ runs: await recentRuns(getDb(c.env.DB), 50) }));
