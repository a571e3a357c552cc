/** What the 15-minute cron does (PRODUCT.md §6): the daily 06:00 sync (Asia/Ho_Chi_Minh), otherwise nothing. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

export type ScheduleDecision = { sync: boolean; reason: string };

export function decideScheduledSync(scheduledTime: number): ScheduleDecision {
  const local = new Date(scheduledTime + VIETNAM_OFFSET_MS);
  if (local.getUTCHours() === 6 && local.getUTCMinutes() < 15) return { sync: true, reason: "daily" };
  return { sync: false, reason: "idle" };
}
