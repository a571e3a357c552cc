/**
 * The cron's work: close the runs that died (no progress for `STALLED_RUN_MS`), decide (schedule.ts), sync when due,
 * then freeze the conferences that have started.
 */

import { freezeConference } from "../admin/conferences";
import { getDb } from "../db/client";
import { conferencesAt } from "../db/conferences";
import { closeStalledRuns } from "../db/runs";
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
  const run = decision.sync ? await runSync(env, { ...options, trigger: decision.trigger ?? "cron" }) : null;
  for (const conference of toFreeze) await freezeConference(db, conference, "cron", options.now?.() ?? Date.now());
  return { decision, run };
}
