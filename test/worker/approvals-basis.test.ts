/**
 * Figures on the accepted basis (PRODUCT.md §12): `basis=accepted` counts only the communes whose figures the
 * province accepted, a breakdown says which reported without being accepted, and a conference's freeze keeps each
 * commune's state with its snapshot.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  api,
  client,
  errorOf,
  formSheet,
  ok,
  putSheet,
  registerSources,
  resetDatabase,
  rowsRead,
  seedReference,
  syncNow,
} from "./helpers";

const teams = (n: number, version: string) =>
  formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", n]], { version });

type Basis = "latest" | "accepted";

const summary = (unit: string, basis: Basis, conference?: number) =>
  ok(
    client.summary.$get({
      query: { unit, period: "2025", basis, ...(conference ? { conference: String(conference) } : {}) },
    }),
  );

const teamsOf = async (unit: string, basis: Basis, conference?: number) => {
  const s = await summary(unit, basis, conference);
  const i = s.indicators.find((x) => x.code === "security_team_count");
  return { value: i?.value ?? null, reporting: i?.reporting ?? 0, accepted: s.coverage.accepted };
};

const breakdownRows = async (basis: Basis) =>
  (
    await ok(client.breakdown.$get({ query: { unit: "33", period: "2025", indicator: "security_team_count", basis } }))
  ).rows
    .filter((r) => r.status !== "missing")
    .map((r) => [r.unit.code, r.status, r.value, r.notAccepted])
    .sort((a, b) => String(b[0]).localeCompare(String(a[0])));

const accept = async (unitCode: string) => {
  await ok(client.approvals.submit.$post({ json: { unitCode, period: "2025" } }));
  await ok(client.approvals.accept.$post({ json: { unitCodes: [unitCode], period: "2025" } }));
};

describe("figures on the accepted basis", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("ab-bdq", teams(12, "1"));
    await putSheet("ab-phh", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 5]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,ab-bdq,,form\n11953,ab-phh,,form\n");
    await syncNow();
  });

  it("count only the accepted communes, and say which reported without being accepted", async () => {
    expect(await teamsOf("33", "latest")).toEqual({ value: 17, reporting: 2, accepted: 0 });
    expect(await teamsOf("33", "accepted")).toEqual({ value: null, reporting: 0, accepted: 0 });
    expect(await breakdownRows("accepted")).toEqual([
      ["12745", "unaccepted", null, 1],
      ["11953", "unaccepted", null, 1],
    ]);

    await accept("12745");
    expect(await teamsOf("33", "accepted")).toEqual({ value: 12, reporting: 1, accepted: 1 });
    expect(await teamsOf("VN", "accepted")).toEqual({ value: 12, reporting: 1, accepted: 1 });
    expect(await teamsOf("33", "latest")).toEqual({ value: 17, reporting: 2, accepted: 1 });
    expect(await breakdownRows("accepted")).toEqual([
      ["12745", "reported", 12, 0],
      ["11953", "unaccepted", null, 1],
    ]);
    expect(await breakdownRows("latest")).toEqual([
      ["12745", "reported", 12, 0],
      ["11953", "reported", 5, 0],
    ]);

    // An edit after acceptance moves neither basis; reopening takes the commune out of the accepted figures.
    await putSheet("ab-bdq", teams(20, "2"));
    await syncNow();
    expect(await teamsOf("33", "accepted")).toEqual({ value: 12, reporting: 1, accepted: 1 });
    expect(await teamsOf("33", "latest")).toEqual({ value: 17, reporting: 2, accepted: 1 });
    await ok(client.approvals.reopen.$post({ json: { unitCode: "12745", period: "2025", reason: "Sửa số tổ" } }));
    expect(await teamsOf("33", "accepted")).toEqual({ value: null, reporting: 0, accepted: 0 });
    expect(await teamsOf("33", "latest")).toEqual({ value: 25, reporting: 2, accepted: 0 });
  });

  it("read within the roll-ups' budget, no more than the latest basis", async () => {
    await accept("12745");
    for (const unit of ["33", "VN"]) {
      const latest = await rowsRead(`/api/summary?unit=${unit}&period=2025`);
      const accepted = await rowsRead(`/api/summary?unit=${unit}&period=2025&basis=accepted`);
      expect(accepted).toBeLessThanOrEqual(latest);
      expect(accepted).toBeLessThanOrEqual(unit === "VN" ? 1000 : 500);
    }
  });

  it("keep each commune's state in a conference's freeze", async () => {
    await accept("12745");
    await ok(client.approvals.submit.$post({ json: { unitCode: "11953", period: "2025" } }));
    const { conference } = await ok(
      client.admin.conferences.$post({
        json: { unitCode: "33", period: "2025", title: "Tổng kết", startsAt: "2026-12-01T01:00:00Z" },
      }),
    );
    await ok(client.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } }));

    // After the freeze the province reopens one commune and accepts the other: the conference still reads the states
    // as they stood when it froze.
    await ok(client.approvals.reopen.$post({ json: { unitCode: "12745", period: "2025", reason: "Sửa số tổ" } }));
    await ok(client.approvals.accept.$post({ json: { unitCodes: ["11953"], period: "2025" } }));
    expect(await teamsOf("33", "accepted")).toEqual({ value: 5, reporting: 1, accepted: 1 });
    expect(await teamsOf("33", "accepted", conference.id)).toEqual({ value: 12, reporting: 1, accepted: 1 });
    const frozen = (await summary("33", "latest", conference.id)).coverage;
    expect(frozen).toMatchObject({ reported: 2, submitted: 2, accepted: 1 });
  });

  it("say in the report how many communes confirmed and were accepted, and on the accepted basis who is left out", async () => {
    await accept("12745");
    await ok(client.approvals.submit.$post({ json: { unitCode: "11953", period: "2025" } }));
    const latest = await ok(client.report.$get({ query: { unit: "33", period: "2025" } }));
    expect(latest.paragraphs[0]).toContain("2 xã đã chốt số liệu, 1 xã đã được tỉnh duyệt");
    expect(latest.tables.map((t) => t.title)).not.toContain("Xã chưa được tỉnh duyệt");

    const accepted = await ok(client.report.$get({ query: { unit: "33", period: "2025", basis: "accepted" } }));
    expect(accepted.title).toContain("(số liệu đã được tỉnh duyệt)");
    expect(accepted.paragraphs[1]).toBe(
      "Báo cáo chỉ tính số liệu đã được tỉnh duyệt: 1 xã; 1 xã đã báo cáo nhưng chưa được tỉnh duyệt không được tính (bảng “Xã chưa được tỉnh duyệt”).",
    );
    expect(accepted.paragraphs.join(" ")).toContain("12 tổ");
    expect(accepted.paragraphs.join(" ")).not.toContain("17 tổ");
    const left = accepted.tables.find((t) => t.title === "Xã chưa được tỉnh duyệt");
    expect(left?.sections[0]?.rows).toEqual([["Phường Phố Hiến", "11953", "Xã đã chốt, chờ tỉnh duyệt"]]);
  });

  it("give accepted communes' figures only in the accepted export, every commune's state in both", async () => {
    await accept("12745");
    const table = async (basis: Basis) => {
      const res = await api(`/api/export.csv?unit=33&period=2025&basis=${basis}`);
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      const heading = lines[0]?.split(",") ?? [];
      const col = heading.findIndex((h) => h.startsWith("Số tổ bảo vệ an ninh trật tự ở cơ sở"));
      return Object.fromEntries(
        lines
          .slice(1)
          .map((l) => l.split(","))
          .filter((r) => ["12745", "11953"].includes(r[0] ?? ""))
          .map((r) => [r[0], [r[3], r[4], r[col]]]),
      );
    };
    expect(await table("latest")).toEqual({
      "12745": ["Đã báo cáo", "Tỉnh đã duyệt", "12"],
      "11953": ["Đã báo cáo", "Chưa chốt", "5"],
    });
    expect(await table("accepted")).toEqual({
      "12745": ["Đã báo cáo", "Tỉnh đã duyệt", "12"],
      "11953": ["Đã báo cáo — chưa được tỉnh duyệt (không tính)", "Chưa chốt", ""],
    });
  });

  it("refuse an unknown basis in Vietnamese, naming it", async () => {
    const res = await api("/api/summary?unit=33&period=2025&basis=official");
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.field).toBe("basis");
    expect(error.message).toContain("đã được tỉnh duyệt");
  });
});
