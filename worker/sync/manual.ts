/**
 * A sync started by hand (PRODUCT.md §6 “rate-limited”): refused while a run is running (one without progress for
 * `STALLED_RUN_MS` is closed as failed first), and within `SYNC_MANUAL_INTERVAL_SECONDS` of the last manual one,
 * with how long to wait.
 */
import { getDb } from "../db/client";
import { closeStalledRuns, latestManualRunStart, latestRun } from "../db/runs";
import { AppError } from "../errors";
import { runSync, type SyncResult } from "./run";

/** `sourceIds`: only these sources (a province's administrator syncs its own province's). */
export async function startManualSync(
  env: Env,
  actor: string,
  now = Date.now(),
  sourceIds?: number[],
): Promise<SyncResult> {
  const db = getDb(env.DB);
  await closeStalledRuns(db, now);
  const running = await latestRun(db);
  if (running?.status === "running") {
    throw new AppError("rate_limited", "Đang có một lượt đồng bộ chạy; hãy đợi lượt này xong rồi thử lại", {
      "retry-after": "30",
    });
  }
  const interval = Number(env.SYNC_MANUAL_INTERVAL_SECONDS ?? "30") * 1000;
  const last = interval > 0 ? await latestManualRunStart(db) : null;
  if (last !== null && now - last < interval) {
    const wait = Math.ceil((interval - (now - last)) / 1000);
    throw new AppError("rate_limited", `Vừa đồng bộ xong; hãy thử lại sau ${wait} giây`, {
      "retry-after": String(wait),
    });
  }
  return runSync(env, { trigger: "manual", actor, sourceIds });
}
