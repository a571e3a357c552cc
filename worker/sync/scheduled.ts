/**
 * The cron's work: close the runs that died (no progress for `STALLED_RUN_MS`), decide (schedule.ts), sync when due
 * and no run is running (one run reads at a time, so Google's quota is paced in one place), then freeze the
 * conferences that have started.
 */

import { freezeConference } from "../admin/conferences";
import { getDb } from "../db/client";
import { conferencesAt } from "../db/conferences";
import { closeStalledRuns, latestRun } from "../db/runs";
import { runSync, type SyncOptions, type SyncResult } from "./run";
import { decideSchedule, type ScheduleDecision } from "./schedule";

export async function runScheduledSync(
  env: Env,
  scheduledTime: number,
  options: Partial<SyncOptions> = {},
): Promise<{ decision: ScheduleDecision; run: SyncResult | null }> {
  const db = getDb(env.DB);
  await closeStalledRuns(db, options.now?.() ?? Date.now());
  const { inWindow, toFreeze } = await conferencesAt(db, scheduledTime);
  const decision = decideSchedule(scheduledTime, [...inWindow, ...toFreeze]);
  const busy = decision.sync && (await latestRun(db))?.status === "running";
  if (busy) console.log("scheduled sync not started: a run is still running");
  const run = decision.sync && !busy ? await runSync(env, { ...options, trigger: decision.trigger ?? "cron" }) : null;
  for (const conference of toFreeze) await freezeConference(db, conference, "cron", options.now?.() ?? Date.now());
  return { decision, run };
}
