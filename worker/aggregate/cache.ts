/**
 * Computed figures kept in the isolate while the data they came from has not changed. A conference hall polls the
 * same province every few seconds; between two syncs every answer is the same, so only the first one pays for the
 * roll-up (about half a second for the whole country) and the others cost one small version query.
 * Scope is still checked on every request, before this is reached. `FIGURE_CACHE = "false"` switches it off (the
 * benchmark measures every read cold that way): the roll-ups make a cold read cheap, the cache only makes it cheaper.
 */

import type { Db } from "../db/client";
import { dataVersion } from "../db/data-version";

const MAX_ENTRIES = 500;
/** Bounds how long a change that the version does not see could go unnoticed. */
const MAX_AGE_MS = 5 * 60_000;

type Entry = { version: string; at: number; value: Promise<unknown> };
const entries = new Map<string, Entry>();
let enabled = true;

/** Set from the environment on every request (the same for every request of an isolate). */
export function useFigureCache(on: boolean): void {
  enabled = on;
  if (!on) entries.clear();
}

export async function cachedFigures<T>(db: Db, key: string, build: () => Promise<T>): Promise<T> {
  if (!enabled) return build();
  const version = await dataVersion(db);
  if (!version.settled) return build();
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.version === version.key && now - hit.at < MAX_AGE_MS) return hit.value as Promise<T>;
  const value = build();
  entries.delete(key);
  entries.set(key, { version: version.key, at: now, value });
  const oldest = entries.keys().next();
  if (entries.size > MAX_ENTRIES && !oldest.done) entries.delete(oldest.value);
  // A failed build (unknown unit, bad period) is not kept.
  value.catch(() => entries.delete(key));
  return value;
}
