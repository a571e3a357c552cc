// @ts-check
/**
 * Google's Sheets read quota, when the folder's `google.json` sets one (PRODUCT.md §8):
 * `{ "quota": { "readsPerMinutePerUser": 60, "readsPerMinutePerProject": 300 } }`. Reads are counted per caller and
 * per project in each clock minute, as Google refills them (GOOGLE.md "Quotas"); a read above either is refused with
 * Sheets' 429 RESOURCE_EXHAUSTED and not counted against the quota.
 */

/** @typedef {{ readsPerMinutePerUser?: number, readsPerMinutePerProject?: number }} ReadQuota */

export function createReadQuota() {
  let minute = -1;
  /** @type {Map<string, number>} reads granted this clock minute, per caller and for the project (`""`) */
  const granted = new Map();
  /**
   * Which limit a read by `email` now goes over ("user", "project"), or null when it is granted (and counted).
   * @param {ReadQuota | undefined} quota @param {string} email @param {number} [now]
   * @returns {"user" | "project" | null}
   */
  return (quota, email, now = Date.now()) => {
    if (!quota) return null;
    const m = Math.floor(now / 60_000);
    if (m !== minute) {
      minute = m;
      granted.clear();
    }
    const user = granted.get(email) ?? 0;
    const project = granted.get("") ?? 0;
    if (quota.readsPerMinutePerUser && user >= quota.readsPerMinutePerUser) return "user";
    if (quota.readsPerMinutePerProject && project >= quota.readsPerMinutePerProject) return "project";
    granted.set(email, user + 1);
    granted.set("", project + 1);
    return null;
  };
}
