/** Registering one sheet from its URL, as an administrator does in the browser: read at once, its status known. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { client, errorOf, formSheet, ok, putSheet, resetDatabase, seedReference, syncNow } from "./helpers";

const SERVICE_ACCOUNT = JSON.parse(env.GOOGLE_SERVICE_ACCOUNT!).client_email as string;
const register = (json: { sheet: string; unitCode: string; layout?: "form" | "table"; tab?: string | null }) =>
  client.admin.sources.register.$post({ json: { layout: "form", tab: null, ...json } });

describe("one sheet registered from its URL", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("adm-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
  });

  it("is read at once and counted in the province's figures", async () => {
    const res = await register({
      sheet: "https://docs.google.com/spreadsheets/d/adm-bdq/edit#gid=0",
      unitCode: "12745",
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.source).toMatchObject({
      unitCode: "12745",
      lastStatus: "ok",
      active: true,
      url: "https://docs.google.com/spreadsheets/d/adm-bdq/edit#gid=0",
    });
    expect(body.run).toMatchObject({ sourcesRead: 1, sourcesFailed: 0 });
    const teams = (await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }))).indicators.find(
      (i) => i.code === "security_team_count",
    );
    expect(teams).toMatchObject({ value: 12, reporting: 1 });
  });

  it("registers nothing new on a second click", async () => {
    const first = await (await register({ sheet: "adm-bdq", unitCode: "12745" })).json();
    const second = await (await register({ sheet: "adm-bdq", unitCode: "12745" })).json();
    expect(second.source.id).toBe(first.source.id);
    expect((await ok(client.sources.$get({ query: { unit: "33" } }))).sources).toHaveLength(1);
  });

  it("says at once that a sheet is not shared, naming the account to share it with, or that it does not exist, and saves neither", async () => {
    await putSheet(
      "adm-unshared",
      formSheet("Phường Phố Hiến", ["Năm 2025"], [["security_team_count", "Số tổ", 3]], { access: "forbidden" }),
    );
    const unshared = await register({ sheet: "adm-unshared", unitCode: "11953" });
    expect(unshared.status).toBe(400);
    expect(await errorOf(unshared)).toMatchObject({
      field: "sheet",
      message: expect.stringContaining(SERVICE_ACCOUNT),
    });
    const missing = await register({
      sheet: "https://docs.google.com/spreadsheets/d/adm-nothing/edit",
      unitCode: "11980",
    });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toContain("Không tìm thấy");
    expect((await ok(client.sources.$get({ query: { unit: "33" } }))).sources).toHaveLength(0);
  });

  it("refuses a link that is not a Google Sheet, and a commune's form for a province, naming the field", async () => {
    const link = await register({ sheet: "https://example.com/bao-cao.xlsx", unitCode: "12745" });
    expect(link.status).toBe(400);
    expect(await errorOf(link)).toMatchObject({
      field: "sheet",
      message: expect.stringContaining("không phải của Google Trang tính"),
    });
    const province = await register({ sheet: "adm-bdq", unitCode: "33" });
    expect(await errorOf(province)).toMatchObject({
      field: "unitCode",
      message: expect.stringContaining("Bảng tổng hợp"),
    });
    const unknown = await register({ sheet: "adm-bdq", unitCode: "99999" });
    expect((await errorOf(unknown)).field).toBe("unitCode");
    expect((await ok(client.sources.$get({ query: { unit: "33" } }))).sources).toHaveLength(0);
  });

  it("reads a sheet again on demand, and stops reading one that is deactivated", async () => {
    const { source } = await (await register({ sheet: "adm-bdq", unitCode: "12745" })).json();
    // The clerk's edit, before Drive's version has moved: “Đọc lại” reads it anyway.
    await putSheet("adm-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 13]]));
    const again = await client.admin.sources[":id"].read.$post({ param: { id: String(source.id) } });
    expect((await again.json()).run).toMatchObject({ sourcesRead: 1 });
    expect(
      (await ok(client.summary.$get({ query: { unit: "12745", period: "2025" } }))).indicators.find(
        (i) => i.code === "security_team_count",
      )!.value,
    ).toBe(13);
    const off = await client.admin.sources[":id"].$delete({ param: { id: String(source.id) } });
    expect((await off.json()).source.active).toBe(false);
    expect(await syncNow()).toMatchObject({ sourcesTotal: 0 });
  });
});
