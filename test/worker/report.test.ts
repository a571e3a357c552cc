import { beforeEach, describe, expect, it } from "vitest";
import { client, formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

describe("conference report data", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet(
      "rp-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2024", "Năm 2025"],
        [
          ["security_team_count", "Số tổ", 2000, 2012],
          ["security_team_members", "Số thành viên", 7000, 7230],
          ["residential_area_total", "Tổng số khu dân cư", 40, 41],
          ["residential_area_safe", "Số khu dân cư an toàn", 38, 39],
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
        ],
      ),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,rp-bdq,,form\n11953,rp-ph,,form\n");
    await syncNow();
  });

  it("reads like the speech, with vi-VN numbers, “khoảng” for approximate figures and no invented zeros", async () => {
    const r = await ok(client.report.$get({ query: { unit: "33", period: "2025" } }));
    expect(r).toMatchObject({
      unit: { code: "33", name: "Tỉnh Hưng Yên" },
      period: "2025",
      compare: "2024",
      frozen: false,
    });
    expect(r.title).toContain("Tỉnh Hưng Yên");
    const text: string = r.paragraphs.join("\n");
    expect(text).toContain("Toàn tỉnh hiện duy trì 5.012 tổ bảo vệ an ninh trật tự ở cơ sở với 15.230 thành viên");
    expect(text).toContain("khoảng 70 điển hình tiên tiến");
    expect(text).toContain("Có 95,1% khu dân cư (39/41) được công nhận đạt tiêu chuẩn “An toàn về an ninh trật tự”");
    expect(text).toContain("5.400 triệu đồng");
    expect(text).toContain("2/5 xã, phường, đặc khu");
    // Last year only one commune reported its teams: more communes reporting is not said as growth.
    expect(text).not.toContain("150,6%");
    expect(text).toContain(
      "So với năm 2024, cùng 1 xã, phường, đặc khu có số liệu cả hai kỳ: số tổ bảo vệ an ninh trật tự ở cơ sở tăng 0,6% (từ 2.000 lên 2.012)",
    );
    // Nobody reported guns: the speech does not say “0 khẩu súng”, it names the figure as missing.
    expect(text).not.toMatch(/\b0 khẩu súng/);
    expect(r.paragraphs.at(-1)).toMatch(/^Chưa có số liệu: .*số súng các loại được vận động giao nộp/);
    const main = r.tables[0]!;
    expect(main.columns).toEqual([
      "Chỉ tiêu",
      "Đơn vị tính",
      "Năm 2025",
      "Số đơn vị báo cáo",
      "Năm 2025 (cùng đơn vị)",
      "Năm 2024 (cùng đơn vị)",
      "Tăng/giảm (%)",
      "Số đơn vị so sánh",
      "Ước tính",
    ]);
    // Two communes this year, one of them last year: the change is that commune's, 2.000 → 2.012, never 2.000 → 5.012.
    const teams = main.rows.find((row) => row[0] === "Số tổ bảo vệ an ninh trật tự ở cơ sở");
    expect(teams).toEqual(["Số tổ bảo vệ an ninh trật tự ở cơ sở", "tổ", 5012, 2, 2012, 2000, 0.6, 1, ""]);
    const silent = r.tables.find((t) => t.title === "Đơn vị chưa báo cáo");
    expect(silent!.rows.map((row) => row[0]).sort()).toEqual(["11980", "11983", "12103"]);
    const guns = main.rows.find((row) => row[0] === "Số súng các loại được vận động giao nộp");
    expect(guns![2]).toBeNull();
  });

  it("speaks of the commune itself in a commune's report", async () => {
    const r = await ok(client.report.$get({ query: { unit: "12745", period: "2025" } }));
    const text: string = r.paragraphs.join("\n");
    expect(text).toContain("Toàn xã hiện duy trì 2.012 tổ bảo vệ an ninh trật tự ở cơ sở với 7.230 thành viên");
    expect(text).toContain("So với năm 2024: số tổ bảo vệ an ninh trật tự ở cơ sở tăng 0,6% (từ 2.000 lên 2.012)");
  });
});
