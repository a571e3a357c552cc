import { Hono } from "hono";
import type { AppEnv } from "../env";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const row = await c.env.DB.prepare("SELECT COUNT(*) AS n FROM sources WHERE active = 1").first<{ n: number }>();
  return c.json({
    ok: true,
    environment: c.env.ENVIRONMENT,
    developmentMode: c.env.DEV_MODE === "true",
    sources: row?.n ?? 0,
  });
});
