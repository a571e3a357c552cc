import { Hono } from "hono";
import { getDb } from "../db/client";
import { loadMeta } from "../db/meta";
import { unitListFor } from "../db/reference";
import type { AppEnv } from "../env";

export const meta = new Hono<AppEnv>().get("/", async (c) => {
  const db = getDb(c.env.DB);
  const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
  const principal = c.get("principal");
  return c.json({ ...(await loadMeta(db, listDate)), principal });
});
