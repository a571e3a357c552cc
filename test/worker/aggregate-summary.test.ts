import { env } from "cloudflare:workers";
import type { InferResponseType } from "hono/client";
import { beforeEach, describe, expect, it } from "vitest";
import { runSync } from "../../worker/sync/run";
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
  UNITS_CSV,
} from "./helpers";

type Row = [code: string, label: string, ...cells: unknown[]];
type Summary = InferResponseType<typeof client.summary.$get>;

/** Every required indicator of the catalog, for a commune that reports completely. */
const COMPLETE: Row[] = [
  ["security_team_count", "Số tổ bảo vệ ANTT ở cơ sở", 11, 12],
  ["security_team_members", "Số thành viên tổ bảo vệ ANTT", 37, 39],
  ["mediation_team_count", "Số tổ hòa giải", 5, 6],
  ["self_managed_model_count", "Số mô hình tự quản", 20, 24],
  ["advanced_example_count", "Số điển hình tiên tiến", 3, 4],
  ["residential_area_total", "Tổng số khu dân cư", 13, 14],
  ["residential_area_safe", "Số khu dân cư an toàn", 11, 12],
  ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 1, 1],
  ["crime_tip_received", "Số tin báo", 40, 45],
];

/** Three communes report (one of them with an approximate figure, one without its safe areas); two do not. */
async function seedProvince() {
  await putSheet("sum-bac-dong-quan", formSheet("Xã Bắc Đông Quan", ["Năm 2024", "Năm 2025"], COMPLETE));
  await putSheet(
    "sum-pho-hien",
    formSheet(
      "Phường Phố Hiến",
      ["Năm 2025"],
      [
        ["security_team_count", "Số tổ bảo vệ ANTT ở cơ sở", "khoảng 17"],
        ["security_team_members", "Số thành viên", "1.055"],
        ["residential_area_total", "Tổng số khu dân cư", 19],
        ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 0],
      ],
    ),
  );
  await putSheet(
    "sum-hong-chau",
    formSheet(
      "Phường Hồng Châu",
      ["Năm 2025"],
      [
        ["security_team_count", "Số tổ bảo vệ ANTT ở cơ sở", 5],
        ["security_team_members", "Số thành viên", 16],
        ["residential_area_total", "Tổng số khu dân cư", 10],
        ["residential_area_safe", "Số khu dân cư an toàn", 10],
        ["commune_safe", "Xã đạt tiêu chuẩn an toàn", 1],
      ],
    ),
  );
  await registerSources(
    "unit_code,sheet,tab,layout\n12745,sum-bac-dong-quan,,form\n11953,sum-pho-hien,,form\n11980,sum-hong-chau,,form\n",
  );
  const run = await syncNow();
  expect(run.status).toBe("ok");
}

const byCode = (s: Summary) => Object.fromEntries(s.indicators.map((i) => [i.code, i]));

/** A second sync right after the first: the sync itself, without the manual-sync rate limit of POST /api/sync. */
const resync = () => runSync(env, { trigger: "manual" });

describe("province summary", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("sums counts, computes ratios over communes that reported both parts, and counts flags as N of M", async () => {
    await seedProvince();
    const s = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    const f = byCode(s);
    expect(f.security_team_count).toMatchObject({ value: 12 + 17 + 5, previous: 11, reporting: 3, approximate: true });
    expect(f.security_team_members).toMatchObject({ value: 39 + 1055 + 16, approximate: false });
    // Phố Hiến gave no safe areas, so its 19 areas stay out of the denominator.
    expect(f.residential_area_safe_rate!.value).toBeCloseTo((100 * (12 + 10)) / (14 + 10), 10);
    expect(f.residential_area_safe_rate!.reporting).toBe(2);
    expect(f.commune_safe).toMatchObject({ value: 2, reporting: 3 });
    // Nobody reported festivals: no figure, not zero.
    expect(f.festival_participants).toMatchObject({ value: null, reporting: 0 });
    expect(s.coverage).toMatchObject({ expected: 5, reported: 3, complete: 1 });
  });

  it("compares like with like: a change only over the communes that have the figure in both years", async () => {
    await seedProvince();
    const f = byCode(await ok(client.summary.$get({ query: { unit: "33", period: "2025", compare: "2024" } })));
    // Three communes this year, one of them last year: the full totals stay, the change is that one commune's.
    expect(f.security_team_count).toMatchObject({
      value: 12 + 17 + 5,
      previous: 11,
      reporting: 3,
      previousReporting: 1,
      comparable: { value: 12, previous: 11, communes: 1 },
    });
    // A ratio compares Σ numerator / Σ denominator over the same communes.
    const rate = f.residential_area_safe_rate!.comparable!;
    expect(rate.communes).toBe(1);
    expect(rate.value).toBeCloseTo((100 * 12) / 14, 10);
    expect(rate.previous).toBeCloseTo((100 * 11) / 13, 10);
    // Nobody reported festivals in either year, and no commune reported anything for 2023: nothing to compare.
    expect(f.festival_participants!.comparable).toBeNull();
    const before = byCode(await ok(client.summary.$get({ query: { unit: "33", period: "2025", compare: "2023" } })));
    expect(before.security_team_count).toMatchObject({ previous: null, comparable: null });

    const { rows } = await ok(
      client.breakdown.$get({
        query: { unit: "33", period: "2025", compare: "2024", indicator: "security_team_count" },
      }),
    );
    const row = (code: string) => rows.find((r) => r.unit.code === code)!;
    expect(row("12745").comparable).toEqual({ value: 12, previous: 11, communes: 1 });
    expect(row("11953").comparable).toBeNull();
  });

  it("compares a province with itself like for like in the national breakdown", async () => {
    await seedProvince();
    const { rows } = await ok(
      client.breakdown.$get({
        query: { unit: "VN", period: "2025", compare: "2024", indicator: "security_team_count" },
      }),
    );
    expect(rows.find((r) => r.unit.code === "33")).toMatchObject({
      value: 34,
      previous: 11,
      comparable: { value: 12, previous: 11, communes: 1 },
    });
  });

  it("does not call a commune late when its sheet was registered only after the deadline", async () => {
    await seedProvince();
    // Sheets registered and read today, long after the default deadline for 2025 (mid-January 2026): unknown.
    expect((await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).coverage).toMatchObject({
      late: 0,
      timelinessUnknown: 3,
    });
  });

  it("counts a commune late when its sheet was watched before the deadline and its figures came after it", async () => {
    await putSheet(
      "late-bdq",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        COMPLETE.map(([c, l, , v]) => [c, l, v]),
      ),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,late-bdq,,form\n");
    await new Promise((r) => setTimeout(r, 20));
    const deadline = new Date().toISOString();
    const set = await api("/api/admin/periods/2025", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deadline }),
    });
    expect(set.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    await syncNow();
    expect((await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).coverage).toMatchObject({
      reported: 1,
      late: 1,
      timelinessUnknown: 0,
    });
  });

  it("moves the deadline as an administrator sets it", async () => {
    await seedProvince();

    const put = await ok(
      client.admin.periods[":code"].$put({ param: { code: "2025" }, json: { deadline: "2099-12-31" } }),
    );
    expect(put.period.code).toBe("2025");
    const s = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(s.coverage.late).toBe(0);
    expect(s.deadline).toBe("2099-12-31T16:59:59.999Z");
    const [audit] = (
      await env.DB.prepare("SELECT action, target FROM audit_log WHERE action = 'period.deadline'").all()
    ).results;
    expect(audit).toMatchObject({ action: "period.deadline", target: "2025" });

    const bad = await api("/api/admin/periods/2025", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"deadline":"tomorrow"}',
    });
    expect(bad.status).toBe(400);
  });

  it("adds up every province for the national summary", async () => {
    await seedReference(
      `${UNITS_CSV}98,Lâm Giang,Tỉnh Lâm Giang,province,,lam_giang\n98001,Tân An,Phường Tân An,ward,98,tan_an\n`,
    );
    await putSheet("sum-tan-an", formSheet("Phường Tân An", ["Năm 2025"], [["security_team_count", "Số tổ", 40]]));
    await registerSources("unit_code,sheet,tab,layout\n98001,sum-tan-an,,form\n");
    await seedProvince();
    const s = await ok(client.summary.$get({ query: { unit: "VN", period: "2025" } }));
    expect(s.unit).toEqual({ code: "VN", name: "Toàn quốc", kind: "country" });
    expect(byCode(s).security_team_count).toMatchObject({ value: 34 + 40, reporting: 4 });
    expect(s.coverage).toMatchObject({ expected: 6, reported: 4 });
    const provinces = await ok(
      client.breakdown.$get({ query: { unit: "VN", period: "2025", indicator: "security_team_count" } }),
    );
    expect(provinces.rows.map((r) => [r.unit.code, r.value])).toEqual([
      ["33", 34],
      ["98", 40],
    ]);
  });

  it("rolls pre-2025 figures up through districts with the unit list in force for the period", async () => {
    // The list before the reform: the same communes sat in two districts.
    await seedReference(
      `code,name,full_name,kind,parent_code,code_name
33,Hưng Yên,Tỉnh Hưng Yên,province,,hung_yen
323,Thành phố Hưng Yên,Thành phố Hưng Yên,district,33,tp_hung_yen
329,Tiên Lữ,Huyện Tiên Lữ,district,33,tien_lu
12745,Bắc Đông Quan,Xã Bắc Đông Quan,commune,329,bac_dong_quan
11953,Phố Hiến,Phường Phố Hiến,ward,323,pho_hien
11980,Hồng Châu,Phường Hồng Châu,ward,323,hong_chau
`,
      "2020-01-01",
    );
    await putSheet("old-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2024"], [["security_team_count", "Số tổ", 7]]));
    await putSheet("old-ph", formSheet("Phường Phố Hiến", ["Năm 2024"], [["security_team_count", "Số tổ", 9]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,old-bdq,,form\n11953,old-ph,,form\n");
    await syncNow();

    const s = await ok(client.summary.$get({ query: { unit: "33", period: "2024" } }));
    expect(byCode(s).security_team_count).toMatchObject({ value: 16, reporting: 2 });
    expect(s.coverage).toMatchObject({ expected: 3, reported: 2 });
    const districts = await ok(
      client.breakdown.$get({ query: { unit: "33", period: "2024", indicator: "security_team_count" } }),
    );
    expect(districts.rows.map((r) => [r.unit.code, r.value, r.status])).toEqual([
      ["323", 9, "reported"],
      ["329", 7, "reported"],
    ]);
    const communes = await ok(
      client.breakdown.$get({ query: { unit: "323", period: "2024", indicator: "security_team_count" } }),
    );
    expect(communes.rows.map((r) => [r.unit.code, r.value, r.status])).toEqual([
      ["11953", 9, "reported"],
      ["11980", null, "missing"],
    ]);
    // 2025 uses today's list: no districts, five communes.
    expect((await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).coverage.expected).toBe(5);
  });

  it("answers from the conference snapshot when asked, while live figures move on", async () => {
    await seedProvince();
    const { conference } = await ok(
      client.admin.conferences.$post({
        json: {
          unitCode: "33",
          period: "2025",
          comparePeriod: "2024",
          title: "Hội nghị tổng kết",
          startsAt: "2026-12-01T01:00:00Z",
        },
      }),
    );
    const { conference: frozenOne } = await ok(
      client.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } }),
    );

    await putSheet(
      "sum-hong-chau",
      formSheet("Phường Hồng Châu", ["Năm 2025"], [["security_team_count", "Số tổ bảo vệ ANTT ở cơ sở", 50]], {
        version: "2",
      }),
    );
    await resync();

    const live = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(live.frozen).toBe(false);
    expect(byCode(live).security_team_count!.value).toBe(12 + 17 + 50);
    const frozen = await ok(
      client.summary.$get({ query: { unit: "33", period: "2025", conference: String(conference.id) } }),
    );
    expect(frozen.frozen).toBe(true);
    expect(frozen.asOf).toBe(frozenOne.frozenAt);
    expect(byCode(frozen).security_team_count).toMatchObject({ value: 34, previous: 11 });
    expect(byCode(frozen).residential_area_safe_rate!.value).toBeCloseTo((100 * 22) / 24, 10);

    const unknown = await api("/api/summary?unit=33&period=2025&conference=999");
    expect(unknown.status).toBe(404);
  });
});
