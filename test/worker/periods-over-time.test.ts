/**
 * Periods as the movement counts them (PRODUCT.md §14): a commune's year, halves, nine months and phases built from
 * the shorter periods it reported — a stock's last part, a flow's sum, only from complete sets — counted by the
 * roll-ups like typed figures; a typed figure kept, with a warning when its parts in the sheet disagree; the trend of
 * a figure over the years; and period codes checked by name.
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
  seedReference,
  syncNow,
} from "./helpers";

const QUARTERS = ["Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"];

/** Teams (a stock: `last`) and tips (a flow: `sum`) of a commune, one column per period heading. */
const sheet = (title: string, headings: string[], teams: unknown[], tips: unknown[], version = "1") =>
  formSheet(
    title,
    headings,
    [
      ["security_team_count", "Số tổ bảo vệ an ninh trật tự", ...teams],
      ["crime_tip_received", "Số tin báo, tố giác", ...tips],
    ],
    { version },
  );

const figures = async (unit: string, period: string) => {
  const s = await ok(client.summary.$get({ query: { unit, period } }));
  const pick = (code: string) => {
    const i = s.indicators.find((x) => x.code === code);
    return { value: i?.value ?? null, reporting: i?.reporting ?? 0, built: i?.builtCommunes ?? 0 };
  };
  return { teams: pick("security_team_count"), tips: pick("crime_tip_received"), reported: s.coverage.reported };
};

describe("periods over time", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    // Bắc Đông Quan reports the four quarters only; Phố Hiến types its year beside its quarters; Hồng Châu has three
    // quarters; Sơn Nam reports the year alone.
    await putSheet("pt-bdq", sheet("Xã Bắc Đông Quan", QUARTERS, [10, 11, 12, 13], [1, 2, 3, 4]));
    await putSheet("pt-phh", sheet("Phường Phố Hiến", [...QUARTERS, "Năm 2025"], [4, 4, 5, 5, 5], [2, 2, 2, 0, 7]));
    await putSheet("pt-hc", sheet("Phường Hồng Châu", QUARTERS.slice(0, 3), [7, 8, 9], [5, 5, 5]));
    await putSheet("pt-sn", sheet("Phường Sơn Nam", ["Năm 2024", "Năm 2025"], [20, 21], [30, 40]));
    await registerSources(
      "unit_code,sheet,tab,layout\n12745,pt-bdq,,form\n11953,pt-phh,,form\n11980,pt-hc,,form\n11983,pt-sn,,form\n",
    );
    await syncNow();
  });

  it("builds a year from four quarters — a stock's last, a flow's sum — and keeps a typed year", async () => {
    // Teams: Bắc Đông Quan's Q4 (13, built) + Phố Hiến's typed 5 + Sơn Nam's 21; Hồng Châu has no Q4: not counted.
    // Tips: 1+2+3+4 = 10 (built) + Phố Hiến's typed 7 (its quarters say 6) + Sơn Nam's 40.
    expect(await figures("33", "2025")).toEqual({
      teams: { value: 39, reporting: 3, built: 1 },
      tips: { value: 57, reporting: 3, built: 1 },
      reported: 3,
    });
  });

  it("builds halves and nine months from the quarters of every commune that has them", async () => {
    // H1: Q2 for teams (11 + 4 + 8), Q1+Q2 for tips (3 + 4 + 10).
    expect(await figures("33", "2025-H1")).toEqual({
      teams: { value: 23, reporting: 3, built: 3 },
      tips: { value: 17, reporting: 3, built: 3 },
      reported: 3,
    });
    // Nine months: Hồng Châu's three quarters count here though not in the year.
    expect(await figures("33", "2025-9M")).toEqual({
      teams: { value: 26, reporting: 3, built: 3 },
      tips: { value: 27, reporting: 3, built: 3 },
      reported: 3,
    });
  });

  it("warns at a typed year whose quarters in the sheet disagree, keeping the typed figure", async () => {
    const { issues } = await ok(client.issues.$get({ query: { unit: "11953", period: "2025" } }));
    const warning = issues.find((i) => i.code === "parts_disagree");
    expect(warning).toMatchObject({ severity: "warning" });
    expect(warning?.message).toContain("Số cả năm (7) khác tổng 4 quý (6)");
    expect(issues.filter((i) => i.code === "parts_disagree")).toHaveLength(1);
  });

  it("builds a phase from complete years only, and says how many communes that is", async () => {
    // 2024–2025: only Sơn Nam has both years (teams: 2025's 21; tips: 30 + 40).
    expect(await figures("33", "2024-2025")).toEqual({
      teams: { value: 21, reporting: 1, built: 1 },
      tips: { value: 70, reporting: 1, built: 1 },
      reported: 1,
    });
    // Kept from then on: a new year's figure moves the phase at the next sync.
    await putSheet("pt-sn", sheet("Phường Sơn Nam", ["Năm 2024", "Năm 2025"], [20, 22], [30, 41], "2"));
    await syncNow();
    expect((await figures("33", "2024-2025")).tips).toEqual({ value: 71, reporting: 1, built: 1 });
  });

  it("lets a typed figure take a built one's place, and builds it again when the typed one goes", async () => {
    await putSheet(
      "pt-bdq",
      sheet("Xã Bắc Đông Quan", [...QUARTERS, "Năm 2025"], [10, 11, 12, 13, 14], [1, 2, 3, 4, 9], "2"),
    );
    await syncNow();
    expect((await figures("12745", "2025")).teams).toEqual({ value: 14, reporting: 1, built: 0 });
    await putSheet("pt-bdq", sheet("Xã Bắc Đông Quan", QUARTERS, [10, 11, 12, 13], [1, 2, 3, 4], "3"));
    await syncNow();
    expect((await figures("12745", "2025")).teams).toEqual({ value: 13, reporting: 1, built: 1 });
    // The commune's own figure says it was built, in its summary and in its province's breakdown.
    const own = await ok(client.summary.$get({ query: { unit: "12745", period: "2025" } }));
    expect(own.indicators.find((i) => i.code === "security_team_count")?.built).toBe(true);
    const { rows } = await ok(
      client.breakdown.$get({ query: { unit: "33", period: "2025", indicator: "security_team_count" } }),
    );
    expect(Object.fromEntries(rows.map((r) => [r.unit.code, r.built]))).toMatchObject({
      "12745": true,
      "11953": false,
      "11983": false,
    });
  });

  it("draws a figure's years, oldest first, with the communes under each point and built points marked", async () => {
    const { points } = await ok(
      client.trend.$get({ query: { unit: "33", indicator: "crime_tip_received", from: "2023", to: "2025" } }),
    );
    expect(points).toEqual([
      { period: "2023", value: null, reporting: 0, approximate: false, built: false },
      { period: "2024", value: 30, reporting: 1, approximate: false, built: false },
      { period: "2025", value: 57, reporting: 3, approximate: false, built: true },
    ]);
    const quarters = await ok(
      client.trend.$get({
        query: { unit: "12745", indicator: "crime_tip_received", from: "2025", to: "2025", by: "quarter" },
      }),
    );
    expect(quarters.points.map((p) => p.value)).toEqual([1, 2, 3, 4]);
  });

  it("says in the report which dates the figures cover and that some were built from quarters", async () => {
    const year = await ok(client.report.$get({ query: { unit: "33", period: "2025" } }));
    expect(year.paragraphs[0]).toContain("(từ ngày 15/12/2024 đến ngày 14/12/2025)");
    expect(year.paragraphs.join(" ")).toContain("Số liệu của 1 xã được tổng hợp từ các kỳ báo cáo ngắn hơn");
    const nine = await ok(client.report.$get({ query: { unit: "33", period: "2025-9M" } }));
    expect(nine.title).toContain("9 tháng đầu năm 2025");
    expect(nine.paragraphs[0]).toContain("(từ ngày 15/12/2024 đến ngày 14/09/2025)");
  });

  it("refuses a period that does not exist, a backwards or too long phase, naming the field in Vietnamese", async () => {
    for (const [period, words] of [
      ["2025-Q5", "kỳ báo cáo dạng"],
      ["2025-2021", "đi ngược"],
      ["2000-2025", "dài quá 20 năm"],
    ] as const) {
      const res = await api(`/api/summary?unit=33&period=${period}`);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.field).toBe("period");
      expect(error.message).toContain(words);
    }
  });
});
