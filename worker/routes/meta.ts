import { Hono } from "hono";
import { vietnamToday } from "../../domain/time";
import { getDb } from "../db/client";
import { loadMeta } from "../db/meta";
import { unitListFor } from "../db/units";
import type { AppEnv } from "../env";

export const meta = new Hono<AppEnv>().get("/", async (c) => {
  const db = getDb(c.env.DB);
  const listDate = await unitListFor(db, vietnamToday());
  const principal = c.get("principal");
  const all = await loadMeta(db, listDate);
  // A scoped user starts at, and may only pick, their own unit (a commune user sees no province).
  const scope = principal.scopeUnitCode;
  const scoped =
    scope === null ? all : { ...all, provinces: all.provinces.filter((p) => p.code === scope), defaultUnit: scope };
  return c.json({ ...scoped, principal });
});
