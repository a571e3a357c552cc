/**
 * D1 behind every answer: what it cost (rows read, time, from D1's own meta) and the session it ran in, whose
 * bookmark the next request starts from so that no answer is older than the last one.
 */
import { describe, expect, it } from "vitest";
import { api, client, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

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

describe("D1 sessions", () => {
  const bookmarkOf = (res: { headers: Headers }) => res.headers.get("x-d1-bookmark") ?? "";

  it("answer with a bookmark; a read from it sees what the change before it wrote", async () => {
    await resetDatabase();
    await seedReference();
    const first = await api("/api/sources?unit=33");
    expect(bookmarkOf(first)).toMatch(/^[0-9a-f-]{16,}$/);
    const changed = await api("/api/admin/periods/2025", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deadline: "2026-02-01" }),
    });
    expect(changed.status).toBe(200);
    const after = bookmarkOf(changed);
    expect(after > bookmarkOf(first)).toBe(true);
    const read = await client.admin.periods.$get(undefined, { headers: { "x-d1-bookmark": after } });
    const { periods } = await read.json();
    expect(periods.find((p) => p.code === "2025")!.deadline).toBe("2026-02-01T16:59:59.999Z");
    expect(bookmarkOf(read) >= after).toBe(true);
  });

  it("ignore a bookmark that is not one", async () => {
    const res = await api("/api/health", { headers: { "x-d1-bookmark": "'; DROP TABLE units; --" } });
    expect(res.status).toBe(200);
    expect(bookmarkOf(res)).toMatch(/^[0-9a-f-]{16,}$/);
  });
});
