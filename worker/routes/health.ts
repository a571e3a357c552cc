/** `GET /api/health`: the Worker answers and reaches D1 (one row: the newest sync run), for monitors and probes. */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { iso } from "../http/json";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const run = await c.env.DB.prepare(
    "SELECT status, finished_at AS finishedAt FROM sync_runs ORDER BY id DESC LIMIT 1",
  ).first<{ status: string; finishedAt: number | null }>();
  return c.json({
    ok: true,
    environment: c.env.ENVIRONMENT,
    developmentMode: c.env.DEV_MODE === "true",
    lastSync: run ? { status: run.status, finishedAt: iso(run.finishedAt) } : null,
  });
});
