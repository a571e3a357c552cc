/** Every admin action leaves who, what and when in the audit log, readable by admins only. */
import { beforeEach, describe, expect, it } from "vitest";
import { bearer, callWorker, createApiToken, productionEnv } from "./access-helpers";
import {
  api,
  client,
  formSheet,
  ok,
  putSheet,
  registerSources,
  resetDatabase,
  seedReference,
  syncNow,
} from "./helpers";

async function auditActions(query: { limit: string; before?: string } = { limit: "500" }) {
  return (await ok(client.admin.audit.$get({ query }))).entries;
}

/** The rows an import recorded in its entry's detail. */
function rowsOf(entry: { detail: unknown } | undefined): unknown {
  const detail = entry?.detail;
  return typeof detail === "object" && detail !== null && "rows" in detail ? detail.rows : undefined;
}

beforeEach(async () => {
  await resetDatabase();
  await seedReference();
});

describe("the audit log", () => {
  it("records the unit list and catalog imports with the admin who made them", async () => {
    const entries = await auditActions();
    const units = entries.find((e) => e.action === "units.import");
    expect(units).toMatchObject({ actor: "dev@localhost", target: "2025-07-01", detail: { rows: 6 } });
    expect(Date.parse(units!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(rowsOf(entries.find((e) => e.action === "catalog.import"))).toBeGreaterThan(10);
  });

  it("records source registration, a sync by hand, a conference, its freeze and a deadline, each by its admin", async () => {
    await putSheet(
      "audit-bac-dong-quan",
      formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,audit-bac-dong-quan,,form\n");
    await syncNow();
    const json = (body: unknown): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const { conference } = await ok(
      client.admin.conferences.$post({
        json: { unitCode: "33", period: "2025", title: "Sơ kết 2025", startsAt: "2026-12-01T01:00:00Z" },
      }),
    );
    expect((await api(`/api/admin/conferences/${conference.id}/freeze`, { method: "POST" })).status).toBe(200);
    expect(
      (await api("/api/admin/periods/2025", { ...json({ deadline: "2026-01-15T00:00:00+07:00" }), method: "PUT" }))
        .status,
    ).toBe(200);

    const entries = await auditActions();
    const actions = entries.map((e) => e.action);
    for (const action of [
      "sources.import",
      "sync.manual",
      "conference.created",
      "conference.frozen",
      "period.deadline",
    ]) {
      expect(actions, action).toContain(action);
      expect(entries.find((e) => e.action === action)!.actor).toBe("dev@localhost");
    }
    expect(entries.find((e) => e.action === "sources.import")!.detail).toEqual({ rows: 1 });
  });

  it("names the token that acted, and pages newest first", async () => {
    const { secret } = await createApiToken("admin", null, "nhập liệu");
    const res = await callWorker(productionEnv(), "/api/admin/users", {
      method: "PUT",
      headers: { ...bearer(secret), "content-type": "application/json" },
      body: JSON.stringify({ email: "canbo@hungyen.gov.vn", role: "leader", scopeUnitCode: "33" }),
    });
    expect(res.status).toBe(200);
    const entries = await auditActions();
    expect(entries[0]).toMatchObject({ action: "user.save", target: "canbo@hungyen.gov.vn" });
    expect(entries[0]!.actor).toMatch(/^token:\d+:nhập liệu$/);
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => b - a));
    const page = await auditActions({ limit: "1", before: String(entries[0]!.id) });
    expect(page).toEqual([entries[1]]);
  });
});
