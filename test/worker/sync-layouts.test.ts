/** Sheets laid out as clerks really make them, through the whole sync: values stored and the exact issues named. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { client, type Fixture, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

async function values(unit: string) {
  const { results } = await env.DB.prepare(
    "SELECT indicator_code, period, value, cell FROM indicator_values WHERE unit_code = ? ORDER BY period, indicator_code",
  )
    .bind(unit)
    .all<{ indicator_code: string; period: string; value: number; cell: string }>();
  return results.map((r) => `${r.period} ${r.indicator_code}=${r.value} ${r.cell}`);
}

async function issueList() {
  const { results } = await env.DB.prepare(
    "SELECT unit_code, severity, code, cell, indicator_code, message FROM issues ORDER BY id",
  ).all<Record<string, string | null>>();
  return results;
}

describe("messy sheets through the sync", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("a form with merged titles, a helper column, a note tab, two periods and an unknown row", async () => {
    const fixture: Fixture = {
      properties: { title: "Báo cáo ANTQ - Phường Phố Hiến", locale: "en_US" },
      version: "3",
      sheets: [
        { properties: { sheetId: 5, title: "Hướng dẫn" }, values: [["Nhập số liệu vào trang Năm 2025"]] },
        {
          properties: { sheetId: 9, title: "Năm 2025" },
          values: [
            ["UBND PHƯỜNG PHỐ HIẾN", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [],
            [
              "TT",
              "Nội dung chỉ tiêu",
              "ĐVT",
              "kiểm tra",
              "6 tháng đầu năm 2024",
              "6 tháng đầu năm 2025",
              "",
              "6 tháng đầu năm 2025",
            ],
            ["I", "LỰC LƯỢNG"],
            [1, "Tổ BV ANTT", "tổ", 1, "15", "17 tổ", "", 17],
            [2, "Số thành viên", "người", 1, 70, "hơn 80"],
            [3, "Số tổ hòa giải ở cơ sở", "tổ", 0, "", "x"],
            [4, "Số chó nghiệp vụ", "con", 1, 2, 3],
            [],
            ["", "Tổng cộng", "", "", 85, 100],
          ],
        },
      ],
    };
    await putSheet("messy-form", fixture);
    await registerSources("unit_code,sheet,tab,layout\n11953,messy-form,,form\n");
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 0 });
    expect(await values("11953")).toEqual([
      "2024-H1 security_team_count=15 'Năm 2025'!E5",
      "2024-H1 security_team_members=70 'Năm 2025'!E6",
      "2025-H1 security_team_count=17 'Năm 2025'!F5",
      "2025-H1 security_team_members=80 'Năm 2025'!F6",
    ]);
    const issues = (await issueList()).map(
      (i) => `${i.severity} ${i.code} ${i.cell ?? "-"} ${i.indicator_code ?? "-"}`,
    );
    expect(issues).toContain("warning unknown_row 'Năm 2025'!B8 -");
    expect(issues).toContain("warning approximate 'Năm 2025'!F6 security_team_members");
    expect(issues).toContain("warning locale - -");
    expect(issues).toContain("warning required_missing 'Năm 2025'!F7 mediation_team_count");
    expect(issues).toContain("warning required_missing - advanced_example_count");
    expect(issues.filter((i) => i.startsWith("error"))).toEqual([]);
    const { sources } = await ok(client.sources.$get({ query: { unit: "11953" } }));
    expect(sources[0]).toMatchObject({ locale: "en_US", title: "Báo cáo ANTQ - Phường Phố Hiến", lastStatus: "ok" });
  });

  it("a province table with a two-row header, names without codes, a group row and a total row", async () => {
    const fixture: Fixture = {
      properties: { title: "Tổng hợp phong trào", locale: "vi_VN" },
      version: "1",
      sheets: [
        {
          properties: { sheetId: 0, title: "Quý III-2025" },
          values: [
            ["BẢNG TỔNG HỢP"],
            ["STT", "Tên xã", "Lực lượng", "", "Khu dân cư", ""],
            [
              "",
              "",
              "Số tổ bảo vệ ANTT",
              "Số thành viên tổ bảo vệ an ninh trật tự",
              "Tổng số khu dân cư",
              "Số khu dân cư an toàn",
            ],
            ["A", "Khu vực phía Bắc"],
            [1, "Xã Bắc Đông Quan", 12, 39, 14, 15],
            [2, "P. Sơn Nam", "8", "30", 10, 9],
            [3, "Phường Không Có", 1, 3, 1, 1],
            ["", "Cộng", 21, 72, 25, 24],
          ],
        },
      ],
    };
    await putSheet("messy-table", fixture);
    await registerSources("unit_code,sheet,tab,layout\n33,messy-table,,table\n");
    const run = await syncNow();
    expect(run).toMatchObject({ sourcesRead: 1, sourcesFailed: 0 });
    expect(await values("12745")).toEqual([
      "2025-Q3 residential_area_total=14 'Quý III-2025'!E5",
      "2025-Q3 security_team_count=12 'Quý III-2025'!C5",
      "2025-Q3 security_team_members=39 'Quý III-2025'!D5",
    ]);
    expect(await values("11983")).toHaveLength(4);
    const issues = (await issueList()).map((i) => `${i.unit_code ?? "-"} ${i.severity} ${i.code} ${i.cell ?? "-"}`);
    expect(issues).toContain("12745 error part_exceeds_whole 'Quý III-2025'!F5");
    expect(issues).toContain("- warning unknown_unit_row 'Quý III-2025'!B7");
    expect(issues.some((i) => i.includes("!B8"))).toBe(false);
    const listed = await ok(client.sources.$get({ query: { unit: "12745" } }));
    expect(listed.sources.map((x) => [x.unitCode, x.layout, x.lastStatus])).toEqual([["33", "table", "ok"]]);
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025-Q3" } }));
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(20);
  });
});
