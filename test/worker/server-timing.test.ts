/** Every API answer says what it cost in D1 (rows read, time) from D1's own meta, and its total time. */
import { describe, expect, it } from "vitest";
import { api, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

function cost(res: Response) {
  const header = res.headers.get("server-timing") ?? "";
  const m = /^d1;dur=(\d+(?:\.\d+)?);desc="rows_read=(\d+)", total;dur=(\d+(?:\.\d+)?)$/.exec(header);
  if (!m) throw new Error(`Server-Timing: “${header}”`);
  return { d1: Number(m[1]), rowsRead: Number(m[2]), total: Number(m[3]) };
}

describe("Server-Timing", () => {
  it("counts the rows every statement of the request read, typed selects and batches included", async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("st-a", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,st-a,,form\n");
    await syncNow();

    const health = cost(await api("/api/health"));
    expect(health.rowsRead).toBeGreaterThanOrEqual(1);
    // Every source is a row the list reads; a second source reads more.
    const one = cost(await api("/api/sources?unit=33"));
    await putSheet("st-b", formSheet("Phường Hồng Châu", ["Năm 2025"], [["security_team_count", "Số tổ", 3]]));
    await registerSources("unit_code,sheet,tab,layout\n11980,st-b,,form\n");
    const two = cost(await api("/api/sources?unit=33"));
    expect(two.rowsRead).toBeGreaterThan(one.rowsRead);

    const summary = await api("/api/summary?unit=33&period=2025");
    expect(summary.status).toBe(200);
    expect(cost(summary).rowsRead).toBeGreaterThan(0);
    // Refusals say it too.
    const refused = await api("/api/summary?unit=33&period=nope");
    expect(refused.status).toBe(400);
    expect(() => cost(refused)).not.toThrow();
  });
});
