import { beforeEach, describe, expect, it } from "vitest";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

type Report = Awaited<ReturnType<typeof report>>;
const report = (unit: string) => ok(client.report.$get({ query: { unit, period: "2025" } }));
const summary = (unit: string) => ok(client.summary.$get({ query: { unit, period: "2025" } }));

/** The main table's row of an indicator, by its label. */
const rowOf = (r: Report, label: string) =>
  r.tables[0]!.sections.flatMap((s) => s.rows).find((row) => row[0] === label);

/** How a reader checks a said rate: its fraction, divided out and rounded as vi-VN says a rate. */
const rateOf = (numerator: string, denominator: string) => {
  const n = (s: string) => Number(s.replaceAll(".", ""));
  return `${new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format((100 * n(numerator)) / n(denominator))}%`;
};

describe("conference report data", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    // Bắc Đông Quan reported both years, with both parts of its safe residential areas; Phố Hiến reported 2025 only,
    // and its residential areas without how many are safe.
    await putSheet(
      "rp-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2024", "Năm 2025"],
        [
          ["security_team_count", "Số tổ", 2000, 2012],
          ["security_team_members", "Số thành viên", 7000, 7230],
          ["mediation_team_count", "Số tổ hòa giải", 100, 120],
          ["self_managed_model_count", "Số mô hình tự quản", 50, 55],
          ["residential_area_total", "Tổng số khu dân cư", 40, 41],
          ["residential_area_safe", "Số khu dân cư an toàn", 36, 39],
          ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 1, 1],
          ["ex_prisoner_loans_million_vnd", "Số tiền vay", "", "5,4 tỷ đồng"],
        ],
      ),
    );
    await putSheet(
      "rp-ph",
      formSheet(
        "Phường Phố Hiến",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ", 3000],
          ["security_team_members", "Số thành viên", 8000],
          ["advanced_example_count", "Số điển hình tiên tiến", "hơn 70"],
          ["residential_area_total", "Tổng số khu dân cư", 20],
          ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 0],
        ],
      ),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,rp-bdq,,form\n11953,rp-ph,,form\n");
    await syncNow();
  });

  it("reads like the speech, with vi-VN numbers, “khoảng” for approximate figures and no invented zeros", async () => {
    const r = await report("33");
    expect(r).toMatchObject({
      unit: { code: "33", name: "Tỉnh Hưng Yên" },
      period: "2025",
      compare: "2024",
      frozen: false,
    });
    expect(r.title).toContain("Tỉnh Hưng Yên");
    const text: string = r.paragraphs.join("\n");
    expect(r.paragraphs[0]).toMatch(
      /^Số liệu năm 2025 \(từ ngày 15\/12\/2024 đến ngày 14\/12\/2025\) được tổng hợp từ 2\/5 xã, phường, đặc khu đã báo cáo \(\d xã báo/,
    );
    expect(text).toContain("Toàn tỉnh hiện duy trì 5.012 tổ bảo vệ an ninh trật tự ở cơ sở với 15.230 thành viên");
    expect(text).toContain("khoảng 70 điển hình tiên tiến");
    expect(text).toContain("5.400 triệu đồng");
    // Last year only one commune reported its teams: more communes reporting is not said as growth.
    expect(text).not.toContain("150,6%");
    expect(text).not.toContain("đơn vị");
    // Nobody reported guns: the speech does not say “0 khẩu súng”, it names the figure as missing.
    expect(text).not.toMatch(/\b0 khẩu súng/);
    expect(r.paragraphs.at(-1)).toMatch(/^Chưa có số liệu: .*số súng các loại được vận động giao nộp/);
  });

  it("says a rate with the parts it was computed from and the communes they come from, never other sets", async () => {
    const r = await report("33");
    const text = r.paragraphs.join("\n");
    // Phố Hiến's 20 residential areas count in the total (61) but not in the rate: it did not say how many are safe.
    expect(text).toContain(
      "Có 95,1% khu dân cư (39/41 khu dân cư của 1 xã có đủ số liệu) được công nhận đạt tiêu chuẩn “An toàn về an ninh trật tự”",
    );
    expect(text).not.toContain("39/61");
    // Every fraction said beside a rate gives that rate, in the speech and in the table's notes.
    const said = [...r.paragraphs, ...r.tables.flatMap((t) => t.notes)].join("\n");
    const rates = [...said.matchAll(/(\d+(?:,\d)?%)[^()=]*(?:\(|= )([\d.]+)\/([\d.]+)/g)];
    expect(rates.length).toBeGreaterThanOrEqual(2);
    for (const [, rate, numerator, denominator] of rates) expect(rateOf(numerator!, denominator!)).toBe(rate);
    // The same parts the summary gives.
    const s = await summary("33");
    const safe = s.indicators.find((i) => i.code === "residential_area_safe_rate")!;
    expect(safe.parts).toEqual({ numerator: 39, denominator: 41 });
    expect(r.tables[0]!.notes[0]).toContain("95,1% = 39/41 của 1 xã có đủ số liệu");
  });

  it("compares the headline figures first, over the same communes, a rate in points and a flag as communes meeting it", async () => {
    const r = await report("33");
    const comparison = r.paragraphs.find((p) => p.startsWith("So với năm 2024"))!;
    expect(comparison).toBe(
      "So với năm 2024: " +
        [
          "số tổ bảo vệ an ninh trật tự ở cơ sở tăng 0,6% (từ 2.000 lên 2.012, cùng 1 xã)",
          "số thành viên tổ bảo vệ an ninh trật tự tăng 3,3% (từ 7.000 lên 7.230, cùng 1 xã)",
          "số mô hình tự quản về an ninh trật tự tăng 10% (từ 50 lên 55)",
          "tỷ lệ khu dân cư đạt tiêu chuẩn an toàn về ANTT tăng 5,1 điểm % (từ 90% lên 95,1%)",
          "xã/phường đạt tiêu chuẩn “An toàn về an ninh trật tự”: 1/2 xã đạt (năm 2024: 1/1 xã đạt)",
        ].join("; ") +
        ".",
    );
    // A figure the conference does not lead with is in the table, not in the speech's comparison (+20% though it is).
    expect(comparison).not.toContain("hòa giải");
    expect(r.paragraphs.join("\n")).toContain("1/2 xã đạt tiêu chuẩn “An toàn về an ninh trật tự”");
  });

  it("tables the figures by group, one column per period, as the speech says them, a rate's change in points", async () => {
    const r = await report("33");
    const main = r.tables[0]!;
    expect(main.columns.map((c) => c.title)).toEqual([
      "Chỉ tiêu",
      "Đơn vị tính",
      "Năm 2025",
      "Năm 2024",
      "Tăng/giảm",
      "Số xã có số liệu",
    ]);
    expect(main.columns.map((c) => c.numeric)).toEqual([false, false, true, true, true, true]);
    expect(main.sections.map((s) => s.title).slice(0, 3)).toEqual([
      "Lực lượng bảo vệ an ninh trật tự ở cơ sở",
      "Mô hình tự quản, điển hình tiên tiến",
      "Xây dựng địa bàn an toàn về an ninh trật tự",
    ]);
    // Two communes this year, one of them last year: the change is that commune's, 2.000 → 2.012, never 2.000 → 5.012.
    expect(rowOf(r, "Số tổ bảo vệ an ninh trật tự ở cơ sở")).toEqual([
      "Số tổ bảo vệ an ninh trật tự ở cơ sở",
      "tổ",
      "5.012",
      "2.000",
      "+0,6% (cùng 1 xã)",
      "2",
    ]);
    expect(rowOf(r, "Tỷ lệ khu dân cư đạt tiêu chuẩn an toàn về ANTT")).toEqual([
      "Tỷ lệ khu dân cư đạt tiêu chuẩn an toàn về ANTT",
      "%",
      "95,1%",
      "90%",
      "+5,1 điểm %",
      "1",
    ]);
    expect(rowOf(r, "Xã/phường đạt tiêu chuẩn “An toàn về an ninh trật tự”")).toEqual([
      "Xã/phường đạt tiêu chuẩn “An toàn về an ninh trật tự”",
      "xã",
      "1/2 xã đạt",
      "1/1 xã đạt",
      "—",
      "2",
    ]);
    expect(rowOf(r, "Số điển hình tiên tiến")!.slice(2, 5)).toEqual(["khoảng 70", "Chưa có số liệu", "—"]);
    expect(rowOf(r, "Số súng các loại được vận động giao nộp")![2]).toBe("Chưa có số liệu");
    const silent = r.tables.find((t) => t.title === "Xã chưa báo cáo")!;
    expect(silent.columns.map((c) => c.title)).toEqual(["Tên xã", "Mã"]);
    expect(silent.sections[0]!.rows.map((row) => row[1]).sort()).toEqual(["11980", "11983", "12103"]);
  });

  it("speaks of the commune itself in a commune's report", async () => {
    const r = await report("12745");
    const text: string = r.paragraphs.join("\n");
    expect(text).toContain("Toàn xã hiện duy trì 2.012 tổ bảo vệ an ninh trật tự ở cơ sở với 7.230 thành viên");
    expect(text).toContain("Có 95,1% khu dân cư (39/41 khu dân cư) được công nhận");
    expect(text).toContain("Xã Bắc Đông Quan đạt tiêu chuẩn “An toàn về an ninh trật tự”");
    expect(text).toContain("So với năm 2024: số tổ bảo vệ an ninh trật tự ở cơ sở tăng 0,6% (từ 2.000 lên 2.012)");
    expect(text).toContain("xã/phường đạt tiêu chuẩn “An toàn về an ninh trật tự”: đạt (năm 2024: đạt)");
    expect(text).not.toContain("cùng 1 xã");
    const main = r.tables[0]!;
    expect(main.columns.map((c) => c.title)).not.toContain("Số xã có số liệu");
    expect(rowOf(r, "Xã/phường đạt tiêu chuẩn “An toàn về an ninh trật tự”")!.slice(2, 4)).toEqual(["Đạt", "Đạt"]);
  });
});
