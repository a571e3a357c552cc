/** The catalog is data: a headline column orders the figures a conference leads with; an empty upload changes nothing. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  api,
  client,
  errorOf,
  formSheet,
  ok,
  postCsv,
  putSheet,
  registerSources,
  resetDatabase,
  seedReference,
  syncNow,
} from "./helpers";

const headlines = async () =>
  (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators
    .filter((i) => i.headline !== null)
    .sort((a, b) => a.headline! - b.headline!)
    .map((i) => i.code);

describe("the catalog", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("leads with the speech's figures by default, in its order", async () => {
    expect(await headlines()).toEqual([
      "security_team_count",
      "security_team_members",
      "self_managed_model_count",
      "advanced_example_count",
      "residential_area_safe_rate",
      "crime_tip_received",
      "guns_recovered",
    ]);
  });

  it("takes the headline figures and their order from its headline column", async () => {
    // The headline column is the one before the last (over_time): each line's headline cell is replaced.
    const order: Record<string, string> = { crime_tip_received: "1", security_team_count: "2" };
    const csv = env.TEST_CATALOG_CSV.replace(
      /^([a-z_]+),(.*),\d*,(sum|last|)$/gm,
      (_, code, rest, overTime) => `${code},${rest},${order[code] ?? ""},${overTime}`,
    );
    expect((await postCsv("/api/admin/catalog", csv)).status).toBe(200);
    expect(await headlines()).toEqual(["crime_tip_received", "security_team_count"]);
  });

  it("refuses a headline that is not an order number, and a file without indicators, changing nothing", async () => {
    const bad = env.TEST_CATALOG_CSV.replace(/,1,last\n/, ",đầu tiên,last\n");
    const refused = await postCsv("/api/admin/catalog", bad);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toMatch(/dòng 2: .*headline “đầu tiên” phải là số thứ tự/);
    const empty = await postCsv("/api/admin/catalog", `${env.TEST_CATALOG_CSV.split("\n")[0]}\n`);
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toContain("không có chỉ tiêu nào");
    expect(
      (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.length,
    ).toBeGreaterThan(30);
  });
  it("downloads as a file that imports back unchanged, so an office adds an indicator by adding its row", async () => {
    const inUse = async () =>
      new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(
        await (await api("/api/admin/catalog.csv")).arrayBuffer(),
      );
    const before = await inUse();
    expect(before.startsWith("\uFEFFcode,group,label_vi,unit_vi,kind,")).toBe(true);
    const codes = (csv: string) =>
      csv
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(",")[0]);
    expect(codes(before)).toEqual(codes(env.TEST_CATALOG_CSV));
    const order = await headlines();

    const added = `${before}checkpoint_count,luc_luong,Số chốt an ninh trật tự,chốt,count,,,yes,no,,last\r\n`;
    const res = await postCsv("/api/admin/catalog", added);
    expect(await res.json()).toEqual({ preview: false, imported: 35, warnings: [] });
    expect(await inUse()).toBe(added);
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.indicators.find((i) => i.code === "checkpoint_count")).toMatchObject({
      label: "Số chốt an ninh trật tự",
    });
    expect(await headlines()).toEqual(order);
  });
});

describe("a catalog upload that would drop reported figures", () => {
  it("is refused while communes report a required indicator it leaves out, and nothing changes", async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("drop-a", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,drop-a,,form\n");
    await syncNow();
    const without = env.TEST_CATALOG_CSV.split("\n")
      .filter((l) => !l.startsWith("security_team_count,"))
      .join("\n");
    const res = await postCsv("/api/admin/catalog", without);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toMatch(/bỏ 1 chỉ tiêu bắt buộc đã có số liệu: security_team_count/);
    const teams = (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.find(
      (i) => i.code === "security_team_count",
    );
    expect(teams).toMatchObject({ value: 12 });
  });
});

describe("the communes that have not reported", () => {
  it("are listed by name for a unit and period", async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("silent-a", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,silent-a,,form\n");
    await syncNow();
    const res = await client.coverage.silent.$get({ query: { unit: "33", period: "2025" } });
    const { communes } = await res.json();
    expect(communes.map((c) => c.code).sort()).toEqual(["11953", "11980", "11983", "12103"]);
    expect(communes.find((c) => c.code === "11953")).toMatchObject({
      name: "Phường Phố Hiến",
      parentName: "Tỉnh Hưng Yên",
    });
  });
});
