/** `POST /api/sync` (administrators, rate-limited) and `GET /api/sync/runs`, newest first. */
import { Hono } from "hono";
import { vietnamToday } from "../../domain/time";
import { requireRole } from "../access/middleware";
import { getDb } from "../db/client";
import { type RunRecord, recentRuns } from "../db/runs";
import { listSources } from "../db/sources";
import { unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { iso } from "../http/json";
import { startManualSync } from "../sync/manual";

export const sync = new Hono<AppEnv>()
  // A province's administrator syncs the active sources of its province; a national one every source.
  .post("/", requireRole("admin"), async (c) => {
    const { email, scopeUnitCode } = c.get("principal");
    const db = getDb(c.env.DB);
    const ids =
      scopeUnitCode === null
        ? undefined
        : (await listSources(db, await unitListFor(db, vietnamToday()), scopeUnitCode))
            .filter((s) => s.active)
            .map((s) => s.id);
    return c.json({ run: await startManualSync(c.env, email, Date.now(), ids) }, 200);
  })
  .get("/runs", async (c) => {
    const runs = await recentRuns(getDb(c.env.DB), 50);
    // Who started a run is for administrators; others see when and how it went.
    const admin = c.get("principal").role === "admin";
    return c.json({ runs: runs.map((r) => runJson(r, admin)) });
  });

/** A run as the API shows it: when, how it went and what it counted. */
function runJson(r: RunRecord, withActor: boolean) {
  return {
    id: r.id,
    trigger: r.trigger,
    actor: withActor ? r.actor : null,
    status: r.status,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    error: r.error,
    sourcesTotal: r.sourcesTotal,
    sourcesRead: r.sourcesRead,
    sourcesSkipped: r.sourcesSkipped,
    sourcesFailed: r.sourcesFailed,
    valuesWritten: r.valuesWritten,
    valuesRemoved: r.valuesRemoved,
    issuesFound: r.issuesFound,
    googleRequests: r.googleRequests,
  };
}
