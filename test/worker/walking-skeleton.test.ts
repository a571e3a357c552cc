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

describe("a commune's Google Sheet becomes a province figure", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("sums the communes' sheets into the province's summary, with last year beside it", async () => {
    await putSheet(
      "skel-bac-dong-quan",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2024", "Năm 2025"],
        [
          ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 11, 12],
          ["security_team_members", "Số thành viên tổ bảo vệ an ninh trật tự", 37, 39],
          ["residential_area_total", "Tổng số khu dân cư", 13, 14],
          ["residential_area_safe", "Số khu dân cư an toàn", 11, 12],
        ],
      ),
    );
    await putSheet(
      "skel-pho-hien",
      formSheet(
        "Phường Phố Hiến",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", "17"],
          ["security_team_members", "Số thành viên", "1.055"],
          ["residential_area_total", "Tổng số khu dân cư", 19],
          ["residential_area_safe", "Số khu dân cư an toàn", 17],
        ],
      ),
    );
    await registerSources(
      "unit_code,sheet,tab,layout\n12745,https://docs.google.com/spreadsheets/d/skel-bac-dong-quan/edit#gid=0,,form\n11953,skel-pho-hien,,form\n",
    );

    const run = await syncNow();
    expect(run).toMatchObject({ sourcesTotal: 2, sourcesRead: 2, sourcesFailed: 0, status: "ok" });

    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.unit).toEqual({ code: "33", name: "Tỉnh Hưng Yên", kind: "province" });
    expect(summary.compare).toBe("2024");
    expect(summary.frozen).toBe(false);
    expect(Date.parse(summary.asOf!)).toBeGreaterThan(Date.now() - 60_000);
    const byCode = Object.fromEntries(summary.indicators.map((i) => [i.code, i]));
    expect(byCode.security_team_count).toMatchObject({ value: 29, previous: 11, reporting: 2, approximate: false });
    expect(byCode.security_team_members!.value).toBe(39 + 1055);
    expect(byCode.residential_area_safe_rate!.value).toBeCloseTo((100 * 29) / 33, 10);
    expect(summary.coverage).toMatchObject({ expected: 5, reported: 2 });
  });

  it("answers an unknown unit with 404 and a bad period with 400, in the error envelope", async () => {
    const unknown = await api("/api/summary?unit=77&period=2025");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: "not_found", message: expect.stringContaining("77") },
    });
    const bad = await api("/api/summary?unit=33&period=2025-Q5");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe("bad_request");
  });
});
