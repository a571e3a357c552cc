/** `POST /api/sync` (administrators, rate-limited) and `GET /api/sync/runs`, newest first. */
import { Hono } from "hono";
import { getDb } from "../db/client";
import { latestManualRunStart, latestRun } from "../db/runs";
import { recentRuns } from "../db/runs";
import { requireRole } from "../access/middleware";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { runSync } from "../sync/run";

/** A run still "running" after this long is taken as dead and no longer blocks a manual sync. */
const STALE_RUN_MS = 15 * 60_000;

export const sync = new Hono<AppEnv>()
  .post("/", requireRole("admin"), async (c) => {
    const db = getDb(c.env.DB);
    const now = Date.now();
    const running = await latestRun(db);
    if (running?.status === "running" && now - running.startedAt < STALE_RUN_MS) {
      throw new AppError("rate_limited", "Đang có một lượt đồng bộ chạy; hãy đợi lượt này xong rồi thử lại", { "retry-after": "30" });
    }
    const interval = Number(c.env.SYNC_MANUAL_INTERVAL_SECONDS ?? "30") * 1000;
    const last = interval > 0 ? await latestManualRunStart(db) : null;
    if (last !== null && now - last < interval) {
      const wait = Math.ceil((interval - (now - last)) / 1000);
      throw new AppError("rate_limited", `Vừa đồng bộ xong; hãy thử lại sau ${wait} giây`, { "retry-after": String(wait) });
    }
    const result = await runSync(c.env, { trigger: "manual", actor: c.get("principal").email });
    return c.json({ run: result }, 200);
  })
  .get("/runs", async (c) => {
    const runs = await recentRuns(getDb(c.env.DB), 50);
    // Who started a run is for administrators; others see when and how it went.
    return c.json({ runs: c.get("principal").role === "admin" ? runs : runs.map((r) => ({ ...r, actor: null })) });
  });
