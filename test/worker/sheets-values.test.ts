/** Cells as clerks type them → the value stored or the issue shown (PRODUCT.md §3–§5), called directly. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../worker/reference/catalog";
import { csvRecords } from "../../worker/reference/table";
import { readCell } from "../../worker/sheets/cell";
import { readForm } from "../../worker/sheets/form";
import { periodFromHeading, periodInText } from "../../worker/sheets/period-heading";
import { readTable } from "../../worker/sheets/table";
import { SourceError } from "../../worker/sheets/types";
import { validateReading } from "../../worker/sheets/validate";

const catalog = parseCatalog(csvRecords(env.TEST_CATALOG_CSV)).rows;
const ind = (code: string) => catalog.find((i) => i.code === code)!;
const percentIndicator = { ...ind("explosives_kg"), code: "coverage_pct", unit: "%", integer: false };

describe("a cell becomes a value or a reason", () => {
  const cases: [
    raw: unknown,
    indicator: string,
    expected: { value: number; approximate?: boolean } | { error: string } | "empty",
  ][] = [
    ["33.100", "crime_tip_received", { value: 33100 }],
    ["1.234,5", "explosives_kg", { value: 1234.5 }],
    ["5,4", "explosives_kg", { value: 5.4 }],
    ["08", "commended_individuals", { value: 8 }],
    [12, "security_team_count", { value: 12 }],
    ["12 tổ", "security_team_count", { value: 12 }],
    ["39 người", "security_team_members", { value: 39 }],
    ["hơn 5.000", "security_team_members", { value: 5000, approximate: true }],
    ["trên 33.100", "crime_tip_received", { value: 33100, approximate: true }],
    ["khoảng 120", "fireworks_kg", { value: 120, approximate: true }],
    ["gần 100", "festival_participants", { value: 100, approximate: true }],
    ["5,4 tỷ đồng", "ex_prisoner_loans_million_vnd", { value: 5400 }],
    ["1,2 tỷ", "ex_prisoner_loans_million_vnd", { value: 1200 }],
    ["350 triệu", "ex_prisoner_loans_million_vnd", { value: 350 }],
    ["5 nghìn", "festival_participants", { value: 5000 }],
    ["0", "guns_recovered", { value: 0 }],
    ["", "guns_recovered", "empty"],
    ["-", "guns_recovered", "empty"],
    ["—", "guns_recovered", "empty"],
    ["x", "guns_recovered", "empty"],
    ["hàng trăm", "crime_tip_received", { error: "not_a_number" }],
    ["chưa thống kê", "crime_tip_received", { error: "not_a_number" }],
    ["12.44", "explosives_kg", { error: "not_a_number" }],
    ["3,5", "security_team_count", { error: "not_integer" }],
    [3.5, "security_team_count", { error: "not_integer" }],
    ["-3", "security_team_count", { error: "negative" }],
    [2, "commune_safe", { error: "not_flag" }],
    ["94%", "security_team_count", { error: "unexpected_percent" }],
    ["12 khẩu", "security_team_count", { error: "unknown_unit" }],
    [true, "commune_safe", { value: 1 }],
    ["Chưa đạt", "commune_safe", { value: 0 }],
    ["Đạt", "commune_safe", { value: 1 }],
    [0.94, percentIndicator.code, { value: 94 }],
    ["94,5 %", percentIndicator.code, { value: 94.5 }],
  ];
  it.each(cases)("%j in %s", (raw, code, expected) => {
    const indicator = code === percentIndicator.code ? percentIndicator : ind(code);
    const result = readCell(raw, indicator, "E7");
    if (expected === "empty") return expect(result).toEqual({ kind: "empty" });
    if ("error" in expected) {
      expect(result).toMatchObject({ kind: "error", code: expected.error });
      expect((result as { message: string }).message).toMatch(/^Ô E7: /);
      return;
    }
    expect(result).toEqual({ kind: "value", value: expected.value, approximate: expected.approximate ?? false });
  });

  it("names the reason in Vietnamese with the cell, as a clerk can act on it", () => {
    expect(readCell("3,5", ind("security_team_count"), "E7")).toMatchObject({
      message: "Ô E7: ‘3,5’ không phải số nguyên — số tổ bảo vệ an ninh trật tự ở cơ sở phải là số nguyên",
    });
  });
});

describe("period headings", () => {
  it.each([
    ["Năm 2025", "2025"],
    [2025, "2025"],
    ["6 tháng đầu năm 2025", "2025-H1"],
    ["6 tháng cuối năm 2025", "2025-H2"],
    ["Quý 3 năm 2025", "2025-Q3"],
    ["Kết quả năm 2025", "2025"],
    ["Quý III/2025", "2025-Q3"],
    ["Tháng 8/2025", "2025-M08"],
    ["9 tháng đầu năm 2025", "2025-9M"],
    ["Giai đoạn 2021–2025", "2021-2025"],
    ["Giai đoạn 2021 - 2025", "2021-2025"],
    ["Ghi chú", null],
  ])("%j → %s", (heading, period) => expect(periodFromHeading(heading)).toBe(period));

  it("finds a period inside a title", () => {
    expect(periodInText("TỔNG HỢP SỐ LIỆU NĂM 2025")).toBe("2025");
    expect(periodInText("Báo cáo Quý II-2026 (bản chính)")).toBe("2026-Q2");
    expect(periodInText("Ghi chú")).toBeNull();
  });
});

const communes = [
  { code: "12745", name: "Bắc Đông Quan", fullName: "Xã Bắc Đông Quan" },
  { code: "11953", name: "Phố Hiến", fullName: "Phường Phố Hiến" },
  { code: "11983", name: "Sơn Nam", fullName: "Phường Sơn Nam" },
];
const ctx = { catalog, unitCode: "33", communes };

describe("the table layout", () => {
  const rows = [
    ["TỔNG HỢP SỐ LIỆU PHONG TRÀO", "", "", ""],
    [],
    [
      "STT",
      "Mã xã",
      "Tên xã",
      "Số tổ bảo vệ ANTT",
      "Số thành viên tổ bảo vệ an ninh trật tự",
      "Tổng số khu dân cư (thôn/tổ dân phố)",
      "Số lượng chó nghiệp vụ",
      "Cột phụ",
    ],
    [1, "11983", "Phường Sơn Nam", 10, "45", 12, 3, "=x"],
    [],
    ["", "", "Huyện cũ A"],
    [2, "", "X. Bắc Đông Quan", "3,5", 20, 9],
    [3, 11953, "Phố Hiến", 7, 30, 9],
    ["", "", "Tổng cộng", 20, 95, 30],
  ];

  it("reads each commune's row by code, else by name, skips blank, group and total rows", () => {
    const reading = readTable({ tab: "Năm 2025", rows }, ctx);
    const got = reading.values.map((v) => `${v.unitCode} ${v.indicatorCode} ${v.period} ${v.value} ${v.cell}`);
    expect(got).toEqual([
      "11983 security_team_count 2025 10 'Năm 2025'!D4",
      "11983 security_team_members 2025 45 'Năm 2025'!E4",
      "11983 residential_area_total 2025 12 'Năm 2025'!F4",
      "12745 security_team_members 2025 20 'Năm 2025'!E7",
      "12745 residential_area_total 2025 9 'Năm 2025'!F7",
      "11953 security_team_count 2025 7 'Năm 2025'!D8",
      "11953 security_team_members 2025 30 'Năm 2025'!E8",
      "11953 residential_area_total 2025 9 'Năm 2025'!F8",
    ]);
    expect(reading.issues.map((i) => [i.severity, i.code, i.cell])).toEqual([
      ["warning", "unknown_column", "'Năm 2025'!G3"],
      ["error", "not_integer", "'Năm 2025'!D7"],
    ]);
  });

  it("reads a period per column: under a merged indicator heading, or named in the heading", () => {
    const twoYears = [
      ["Mã xã", "Tên xã", "Số tổ bảo vệ ANTT", "", "Số thành viên tổ bảo vệ an ninh trật tự năm 2025"],
      ["", "", "Năm 2024", "Năm 2025", ""],
      ["12745", "Bắc Đông Quan", 11, 12, 39],
    ];
    const reading = readTable({ tab: "Tổng hợp", rows: twoYears }, ctx);
    expect(reading.values.map((v) => `${v.indicatorCode} ${v.period} ${v.value} ${v.cell}`)).toEqual([
      "security_team_count 2024 11 'Tổng hợp'!C3",
      "security_team_count 2025 12 'Tổng hợp'!D3",
      "security_team_members 2025 39 'Tổng hợp'!E3",
    ]);
  });

  it("takes the period from a title row when the tab title has none", () => {
    const titled = [["BÁO CÁO 6 THÁNG ĐẦU NĂM 2025"], ...rows.slice(1)];
    expect(readTable({ tab: "Sheet1", rows: titled }, ctx).values[0]?.period).toBe("2025-H1");
  });

  it("stops the source on a unit code that is not one of the province's communes", () => {
    const bad = [...rows.slice(0, 4), [9, "99999", "Xã Lạ", 1, 2, 3]];
    expect(() => readTable({ tab: "Năm 2025", rows: bad }, ctx)).toThrowError(SourceError);
    try {
      readTable({ tab: "Năm 2025", rows: bad }, ctx);
    } catch (err) {
      expect((err as SourceError).code).toBe("unknown_unit");
      expect((err as SourceError).message).toContain("99999");
    }
  });

  it("refuses a sheet without a header row", () => {
    expect(() => readTable({ tab: "Ghi chú", rows: [["Số liệu tạm tính"]] }, ctx)).toThrowError(/dòng tiêu đề/);
  });
});

describe("cross-field validation", () => {
  const form = (cells: [string, unknown, unknown][]) =>
    readForm(
      {
        tab: "Năm 2025",
        rows: [
          ["UBND XÃ"],
          ["STT", "Chỉ tiêu", "Mã", "Năm 2024", "Năm 2025"],
          ...cells.map(([code, a, b], i) => [i + 1, ind(code).label, code, a, b]),
        ],
      },
      { catalog, unitCode: "12745", communes: [] },
    );

  it("rejects a part larger than its whole and fewer members than teams; warns on the rest", () => {
    const raw = form([
      ["security_team_count", 10, 12],
      ["security_team_members", 40, 11],
      ["residential_area_total", 11, 11],
      ["residential_area_safe", 10, 13],
      ["crime_tip_received", 30, 100],
      ["mediation_team_count", 5, "khoảng 6"],
    ]);
    const checked = validateReading(raw, catalog, new Map());
    const issue = (code: string) =>
      checked.issues.filter((i) => i.code === code).map((i) => `${i.severity} ${i.cell} ${i.period}`);
    expect(issue("members_below_teams")).toEqual(["error 'Năm 2025'!E4 2025"]);
    expect(issue("part_exceeds_whole")).toEqual(["error 'Năm 2025'!E6 2025"]);
    expect(issue("teams_exceed_areas")).toEqual(["warning 'Năm 2025'!E3 2025"]);
    expect(issue("jump")).toEqual(["warning 'Năm 2025'!E7 2025"]);
    expect(issue("approximate")).toEqual(["warning 'Năm 2025'!E8 2025"]);
    expect(issue("few_members")).toEqual([]);
    // Rejected values are not stored; the rest are.
    const stored = checked.values.filter((v) => v.period === "2025").map((v) => v.indicatorCode);
    expect(stored).not.toContain("security_team_members");
    expect(stored).not.toContain("residential_area_safe");
    expect(stored).toContain("crime_tip_received");
    // Required indicators absent from the form are named once per period.
    const missing = checked.issues
      .filter((i) => i.code === "required_missing" && i.period === "2025")
      .map((i) => i.indicatorCode);
    expect(missing).toEqual(
      expect.arrayContaining(["self_managed_model_count", "advanced_example_count", "commune_safe"]),
    );
    expect(missing).not.toContain("security_team_members");
    expect(checked.issues.find((i) => i.code === "part_exceeds_whole")!.message).toMatch(/^Ô E6: .*lớn hơn.*ô E5/);
  });

  it("warns below 3 members per team, and against the stored previous period only when both are at least 10", () => {
    const raw = form([
      ["security_team_count", "", 10],
      ["security_team_members", "", 25],
      ["crime_tip_received", "", 9],
      ["festival_participants", "", 40],
    ]);
    const previous = new Map([
      ["12745|crime_tip_received|2024", 100],
      ["12745|festival_participants|2024", 200],
    ]);
    const checked = validateReading(raw, catalog, previous);
    expect(checked.issues.filter((i) => i.code === "few_members").map((i) => i.cell)).toEqual(["'Năm 2025'!E4"]);
    expect(checked.issues.filter((i) => i.code === "jump").map((i) => i.indicatorCode)).toEqual([
      "festival_participants",
    ]);
  });
});
