// @ts-check
/**
 * A fixture's `faults` (PRODUCT.md §8), e.g. `[429, {"status": 403, "reason": "userRateLimitExceeded", "api":
 * "drive", "retryAfter": 3}]`: answered before the call itself, in order, once each per file version and stand-in
 * process. `api` limits a fault to Drive or Sheets calls; `call` to one method, writes included.
 */

export function createFaults() {
  /** @type {Set<string>} faults already served, as `${id}@${version}#${index}` */
  const served = new Set();

  /**
   * The next fault of this file's version for this call, if one is left: a fault limited to another API or call is
   * passed over until one of its calls comes; a fault without `call` answers reads only.
   * @param {import("./store.mjs").Fixture} fixture @param {string} id @param {import("./errors.mjs").Api} api
   * @param {string} call the route's name @param {boolean} write @returns {import("./store.mjs").Fault | null}
   */
  function next(fixture, id, api, call, write) {
    const faults = fixture.faults ?? [];
    for (let i = 0; i < faults.length; i++) {
      const raw = faults[i];
      const fault = typeof raw === "number" ? { status: raw } : raw;
      if (!fault || (fault.api && fault.api !== api)) continue;
      if (fault.call ? call !== `${api}.${fault.call}` : write) continue;
      const key = `${id}@${fixture.version ?? ""}#${i}`;
      if (served.has(key)) continue;
      served.add(key);
      return fault;
    }
    return null;
  }

  return {
    /**
     * Answers the request with the file's next fault, if one is left; whether it did.
     * @param {import("./http.mjs").Context} ctx @param {import("./store.mjs").Fixture} fixture @param {string} id
     * @param {boolean} write
     */
    answer(ctx, fixture, id, write) {
      const fault = next(fixture, id, ctx.api, ctx.call, write);
      if (!fault) return false;
      const retryAfter = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : undefined;
      ctx.fail(fault.status, { reason: fault.reason, message: fault.message, id }, retryAfter);
      return true;
    },
    clear() {
      served.clear();
    },
  };
}
