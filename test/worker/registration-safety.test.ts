/**
 * An administrator's slip in registering a sheet never changes a figure silently: another commune's sheet, a sheet
 * naming another commune, a second sheet for a commune that already reports, a link that cannot be read.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clientFor } from "./access-helpers";
import { client, errorOf, formSheet, ok, postCsv, putSheet, resetDatabase, seedReference } from "./helpers";

const register = (json: { sheet: string; unitCode: string; confirm?: boolean }) =>
  client.admin.sources.register.$post({ json: { layout: "form", tab: null, ...json } });

const teams = async () =>
  (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.find(
    (i) => i.code === "security_team_count",
  );
const sourceCount = async () => (await ok(client.sources.$get({ query: { unit: "33" } }))).sources.length;

describe("registering a sheet", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("reg-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 13]]));
    expect((await register({ sheet: "reg-bdq", unitCode: "12745" })).status).toBe(200);
    expect(await teams()).toMatchObject({ value: 13, reporting: 1 });
  });

  it("refuses one commune's sheet for another commune, naming the commune it belongs to, and changes nothing", async () => {
    const res = await register({ sheet: "https://docs.google.com/spreadsheets/d/reg-bdq/edit", unitCode: "11953" });
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.field).toBe("sheet");
    expect(error.message).toContain("Xã Bắc Đông Quan (mã 12745)");
    expect(await sourceCount()).toBe(1);
    expect(await teams()).toMatchObject({ value: 13, reporting: 1 });
  });

  it("refuses a sheet whose title names another commune until the administrator confirms it", async () => {
    await putSheet("reg-named", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 4]]));
    const res = await register({ sheet: "reg-named", unitCode: "11980" });
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.field).toBe("confirm");
    expect(error.message).toContain("Phường Phố Hiến (mã 11953)");
    expect(error.message).toContain("Phường Hồng Châu");
    expect(await sourceCount()).toBe(1);
    expect(await teams()).toMatchObject({ value: 13, reporting: 1 });

    const confirmed = await register({ sheet: "reg-named", unitCode: "11980", confirm: true });
    expect(confirmed.status).toBe(200);
    expect(await teams()).toMatchObject({ value: 17, reporting: 2 });
  });

  it("keeps the figure a commune already reports when a second sheet gives it, and names the other sheet at the cell", async () => {
    await putSheet(
      "reg-second",
      formSheet(
        "Xã Bắc Đông Quan",
        ["Năm 2025"],
        [
          ["security_team_count", "Số tổ", 40],
          ["security_team_members", "Số thành viên", 160],
        ],
      ),
    );
    const res = await register({ sheet: "reg-second", unitCode: "12745" });
    expect(res.status).toBe(200);
    expect(await teams()).toMatchObject({ value: 13, reporting: 1 });
    const { issues } = await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }));
    const conflict = issues.find((i) => i.code === "conflict");
    expect(conflict).toMatchObject({
      severity: "error",
      cell: "'Năm 2025'!E4",
      raw: "40",
      indicator: "security_team_count",
    });
    expect(conflict?.message).toContain("“Xã Bắc Đông Quan”");
    expect(conflict?.message).toContain("/d/reg-bdq/");
    // What the first sheet does not give is taken from the second.
    const members = (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.find(
      (i) => i.code === "security_team_members",
    );
    expect(members).toMatchObject({ value: 160 });
  });

  it("saves nothing for a link that cannot be read, and says why", async () => {
    await putSheet(
      "reg-unshared",
      formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 3]], { access: "forbidden" }),
    );
    const unshared = await register({ sheet: "reg-unshared", unitCode: "11953" });
    expect(unshared.status).toBe(400);
    expect((await errorOf(unshared)).message).toContain("Người xem");
    const missing = await register({
      sheet: "https://docs.google.com/spreadsheets/d/reg-nothing/edit",
      unitCode: "11953",
    });
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ field: "sheet" });
    expect(await sourceCount()).toBe(1);
  });

  it("saves nothing when the Worker's own Google key is unusable, and says so beside the link", async () => {
    const broken = clientFor({ ...env, DEV_MODE: "true", GOOGLE_SERVICE_ACCOUNT: "không phải khoá" });
    await putSheet("reg-later", formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 3]]));
    const res = await broken.admin.sources.register.$post({
      json: { sheet: "reg-later", unitCode: "11953", layout: "form", tab: null },
    });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({ field: "sheet", message: expect.stringContaining("Chưa đọc được") });
    expect(await sourceCount()).toBe(1);
  });

  it("reads a stopped sheet again when asked", async () => {
    const [source] = (await ok(client.sources.$get({ query: { unit: "33" } }))).sources;
    if (!source) throw new Error("the registered sheet is not listed");
    const id = String(source.id);
    expect((await ok(client.admin.sources[":id"].$delete({ param: { id } }))).source.active).toBe(false);
    const again = await ok(client.admin.sources[":id"].read.$post({ param: { id } }));
    expect(again.source).toMatchObject({ active: true, lastStatus: "ok" });
  });

  it("refuses, by line, a sources file that gives one sheet to two communes or a registered sheet to another", async () => {
    const res = await postCsv(
      "/api/admin/sources?preview=true",
      "unit_code,sheet,tab,layout\n11953,reg-other,,form\n11980,reg-other,,form\n11983,reg-bdq,,form\n",
    );
    const preview = (await res.json()) as { problems: { line: number | null; message: string }[] };
    expect(preview.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(preview.problems[0]?.message).toContain("Phường Phố Hiến (mã 11953)");
    expect(preview.problems[1]?.message).toContain("Xã Bắc Đông Quan (mã 12745)");
  });
});
