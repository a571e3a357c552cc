/**
 * What the 15-minute cron does (PRODUCT.md §6): the daily 06:00 sync (Asia/Ho_Chi_Minh), a sync every 15 minutes
 * inside a conference's window (the `windowHours` before it starts), freezing a conference once it has started,
 * and nothing otherwise. `decideSchedule` is pure so its decisions can be tested at given times.
 */
import { VIETNAM_OFFSET_MS } from "../../domain/time";
import type { ConferenceRecord } from "../db/conferences";

const CRON_STEP_MS = 15 * 60_000;

export type ScheduleDecision = {
  sync: boolean;
  trigger: "cron" | "conference" | null;
  reason: "daily" | "conference_window" | "idle";
  /** Conferences whose start has come: their figures are frozen (after the sync, when there is one). */
  freeze: number[];
};

type ConferenceTimes = Pick<ConferenceRecord, "id" | "startsAt" | "windowHours" | "frozenAt">;

/** The conference's syncs: one each cron step from `windowHours` before it starts until it starts, then the freeze. */
export function conferenceSyncs(c: Pick<ConferenceRecord, "startsAt" | "windowHours">) {
  return { from: c.startsAt - c.windowHours * 3600_000, until: c.startsAt, everyMinutes: CRON_STEP_MS / 60_000 };
}

export function decideSchedule(scheduledTime: number, conferences: ConferenceTimes[]): ScheduleDecision {
  const pending = conferences.filter((c) => c.frozenAt === null);
  const freeze = pending.filter((c) => c.startsAt <= scheduledTime).map((c) => c.id);
  const inWindow = pending.some((c) => {
    const { from, until } = conferenceSyncs(c);
    return from <= scheduledTime && scheduledTime < until;
  });
  if (inWindow) return { sync: true, trigger: "conference", reason: "conference_window", freeze };
  const local = new Date(scheduledTime + VIETNAM_OFFSET_MS);
  const sinceSix =
    local.getUTCHours() * 3600_000 + local.getUTCMinutes() * 60_000 + local.getUTCSeconds() * 1000 - 6 * 3600_000;
  if (sinceSix >= 0 && sinceSix < CRON_STEP_MS) return { sync: true, trigger: "cron", reason: "daily", freeze };
  return { sync: false, trigger: null, reason: "idle", freeze };
}
