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
  seedReference,
  syncNow,
} from "./helpers";

const breakdown = (indicator: string) =>
  ok(client.breakdown.$get({ query: { unit: "33", period: "2025", indicator } }));
const issuesOf = async (unit: string) => (await ok(client.issues.$get({ query: { unit, period: "2025" } }))).issues;

describe("one indicator across the communes", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet(
      "bd-bac-dong-quan",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2024", "Năm 2025"],
        [
          ["security_team_count", "Số tổ", 11, "trên 12"],
          ["residential_area_total", "Tổng số khu dân cư", 10, 14],
          ["residential_area_safe", "Số khu dân cư an toàn", 8, 7],
        ],
      ),
    );
    await putSheet("bd-pho-hien", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 17]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,bd-bac-dong-quan,,form\n11953,bd-pho-hien,,form\n");
    await syncNow();
  });

  it("lists every commune, those that did not report as missing rather than zero", async () => {
    const b = await breakdown("security_team_count");
    expect(b.indicator).toMatchObject({ code: "security_team_count", kind: "count" });
    expect(b.compare).toBe("2024");
    expect(b.rows).toHaveLength(5);
    const rows = Object.fromEntries(b.rows.map((r) => [r.unit.code, r]));
    expect(rows["12745"]).toMatchObject({
      unit: { code: "12745", name: "Xã Bắc Đông Quan" },
      value: 12,
      previous: 11,
      approximate: true,
      status: "reported",
    });
    expect(rows["11953"]).toMatchObject({ value: 17, previous: null, approximate: false, status: "reported" });
    for (const code of ["11980", "11983", "12103"])
      expect(rows[code]).toMatchObject({ value: null, status: "missing" });
  });

  it("gives a ratio per commune as a percentage, missing where a part is missing", async () => {
    const b = await breakdown("residential_area_safe_rate");
    const rows = Object.fromEntries(b.rows.map((r) => [r.unit.code, r]));
    expect(rows["12745"]!.value).toBeCloseTo(50, 10);
    expect(rows["12745"]!.previous).toBeCloseTo(80, 10);
    expect(rows["11953"]).toMatchObject({ value: null, status: "missing" });
  });

  it("answers an unknown indicator with 404 and a malformed one with 400", async () => {
    const unknown = await api("/api/breakdown?unit=33&period=2025&indicator=no_such_thing");
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({
      code: "not_found",
      message: expect.stringContaining("no_such_thing"),
    });
    const bad = await api("/api/breakdown?unit=33&period=2025&indicator=DROP%20TABLE");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe("bad_request");
  });

  it("lists the issues of the province's communes with their sheet and cell", async () => {
    await putSheet(
      "bd-hong-chau",
      formSheet("Phường Hồng Châu", ["Năm 2025"], [["security_team_count", "Số tổ", "3,5"]]),
    );
    await putSheet("bd-son-nam", { ...formSheet("Phường Sơn Nam", ["Năm 2025"], []), access: "forbidden" });
    await registerSources("unit_code,sheet,tab,layout\n11980,bd-hong-chau,,form\n11983,bd-son-nam,,form\n");
    await syncNow();
    const issues = await issuesOf("33");
    const bad = issues.find((i) => i.unitCode === "11980" && i.severity === "error");
    expect(bad).toMatchObject({
      unitName: "Phường Hồng Châu",
      indicator: "security_team_count",
      raw: "3,5",
      period: "2025",
    });
    expect(bad!.cell).toMatch(/E\d+$/);
    expect(bad!.source.url).toBe("https://docs.google.com/spreadsheets/d/bd-hong-chau/edit#gid=0");
    expect(issues.find((i) => i.unitCode === "11983")).toMatchObject({ severity: "source_error" });
    // Issues of the commune only, for a commune's clerk.
    const own = await issuesOf("11980");
    expect(own.map((i) => i.unitCode)).toContain("11980");
    expect(own.every((i) => i.unitCode === "11980")).toBe(true);
  });
});
