/**
 * Official figures (PRODUCT.md §12): a commune confirms its period, the province accepts it or returns it with a
 * reason; accepted figures hold still while a later edit of the sheet waits as a pending change; reopening lets the
 * sheet through. Every refusal changes nothing.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { bearer, clientFor, createApiToken, productionEnv } from "./access-helpers";
import {
  client,
  errorOf,
  formSheet,
  ok,
  putSheet,
  registerSources,
  resetDatabase,
  seedReference,
  syncNow,
} from "./helpers";

const teams = (n: unknown, version: string) =>
  formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", n]], { version });

const figure = async () =>
  (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.find(
    (i) => i.code === "security_team_count",
  )?.value;

const entry = async (unitCode: string) =>
  (await ok(client.approvals.$get({ query: { unit: "33", period: "2025" } }))).approvals.find(
    (a) => a.unitCode === unitCode,
  );

const move = { unitCode: "12745", period: "2025" };

describe("official figures", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("ap-bdq", teams(12, "1"));
    await putSheet("ap-phh", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 5]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,ap-bdq,,form\n11953,ap-phh,,form\n");
    await syncNow();
  });

  it("lists every commune of the province, open until it submits", async () => {
    const { approvals } = await ok(client.approvals.$get({ query: { unit: "33", period: "2025" } }));
    expect(approvals).toHaveLength(5);
    expect(new Set(approvals.map((a) => a.state))).toEqual(new Set(["open"]));
  });

  it("refuses a submission while a cell holds an error, naming the cell, and takes it once fixed", async () => {
    await putSheet("ap-bdq", teams("3,5", "2"));
    await syncNow();
    const refused = await client.approvals.submit.$post({ json: move });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain("'Năm 2025'!E4");
    expect((await entry("12745"))?.state).toBe("open");

    await putSheet("ap-bdq", teams(12, "3"));
    await syncNow();
    const { approval } = await ok(client.approvals.submit.$post({ json: move }));
    expect(approval).toMatchObject({ state: "submitted", submittedBy: "dev@localhost", onTime: expect.any(Boolean) });
  });

  it("counts the communes that confirmed and those the province accepted in the coverage, up to the country", async () => {
    const coverage = async (unit: string) =>
      (await ok(client.summary.$get({ query: { unit, period: "2025" } }))).coverage;
    expect(await coverage("33")).toMatchObject({ reported: 2, submitted: 0, accepted: 0 });
    await ok(client.approvals.submit.$post({ json: move }));
    await ok(client.approvals.submit.$post({ json: { unitCode: "11953", period: "2025" } }));
    expect(await coverage("33")).toMatchObject({ submitted: 2, accepted: 0 });
    await ok(client.approvals.accept.$post({ json: { unitCodes: ["12745"], period: "2025" } }));
    expect(await coverage("33")).toMatchObject({ submitted: 2, accepted: 1 });
    expect(await coverage("VN")).toMatchObject({ submitted: 2, accepted: 1 });
    await ok(client.approvals.return.$post({ json: { unitCode: "11953", period: "2025", reason: "Thiếu" } }));
    expect(await coverage("33")).toMatchObject({ submitted: 1, accepted: 1 });
  });

  it("refuses to confirm a period the commune has no figures for", async () => {
    const res = await client.approvals.submit.$post({ json: { unitCode: "11980", period: "2025" } });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toContain("chưa có số liệu");
  });

  it("holds accepted figures still: a later edit waits as a pending change until the province reopens", async () => {
    await ok(client.approvals.submit.$post({ json: move }));
    const { approvals } = await ok(
      client.approvals.accept.$post({ json: { unitCodes: ["12745", "11953"], period: "2025" } }),
    );
    expect(approvals.map((a) => [a.unitCode, a.state, a.refused === null])).toEqual([
      ["12745", "accepted", true],
      ["11953", "open", false],
    ]);
    expect(await figure()).toBe(17);

    await putSheet("ap-bdq", teams(20, "4"));
    await syncNow();
    expect(await figure()).toBe(17);
    expect((await entry("12745"))?.pendingChanges).toEqual([
      {
        indicator: "security_team_count",
        label: "Số tổ bảo vệ an ninh trật tự ở cơ sở",
        kind: "count",
        accepted: 12,
        latest: 20,
      },
    ]);

    const noReason = await client.approvals.reopen.$post({ json: { ...move, reason: " " } });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).field).toBe("reason");
    const { approval } = await ok(client.approvals.reopen.$post({ json: { ...move, reason: "Xã báo sai số tổ" } }));
    expect(approval).toMatchObject({ state: "open", reason: "Xã báo sai số tổ" });
    expect(await figure()).toBe(25);
    expect((await entry("12745"))?.pendingChanges).toEqual([]);
  });

  it("returns a submission with its reason, refuses a move the state does not allow, and audits every move", async () => {
    await ok(client.approvals.submit.$post({ json: move }));
    const { approval } = await ok(client.approvals.return.$post({ json: { ...move, reason: "Thiếu số thành viên" } }));
    expect(approval).toMatchObject({ state: "returned", reason: "Thiếu số thành viên" });
    const again = await client.approvals.return.$post({ json: { ...move, reason: "Lần nữa" } });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).message).toContain("tỉnh đã trả lại");
    expect((await entry("12745"))?.state).toBe("returned");

    const { entries } = await ok(client.admin.audit.$get({ query: {} }));
    const moves = entries.filter((e) => e.action.startsWith("approval.")).map((e) => [e.action, e.actor, e.detail]);
    expect(moves).toEqual([
      ["approval.return", "dev@localhost", { reason: "Thiếu số thành viên" }],
      ["approval.submit", "dev@localhost", {}],
    ]);
  });

  it("takes a submission back when the sheet changes after it", async () => {
    await ok(client.approvals.submit.$post({ json: move }));
    await putSheet("ap-bdq", teams(13, "5"));
    await syncNow();
    expect(await entry("12745")).toMatchObject({
      state: "open",
      reason: "Bảng tính đã sửa sau khi chốt: cần chốt lại",
    });
    expect(await figure()).toBe(18);
  });

  it("lets a commune user submit its own commune only, and no leader move anything", async () => {
    const commune = await createApiToken("commune", "12745");
    const leader = await createApiToken("leader", "33");
    const asCommune = clientFor(productionEnv(), bearer(commune.secret));
    const asLeader = clientFor(productionEnv(), bearer(leader.secret));
    expect((await asCommune.approvals.submit.$post({ json: { unitCode: "11953", period: "2025" } })).status).toBe(403);
    expect((await asLeader.approvals.submit.$post({ json: move })).status).toBe(403);
    expect((await asCommune.approvals.accept.$post({ json: { unitCodes: ["12745"], period: "2025" } })).status).toBe(
      403,
    );
    expect((await entry("12745"))?.state).toBe("open");
    expect((await asCommune.approvals.submit.$post({ json: move })).status).toBe(200);
    expect((await entry("12745"))?.state).toBe("submitted");
  });
});
