/**
 * An administrator scoped to a province (PRODUCT.md §12) administers only that province — its sources, users,
 * tokens, conferences, approvals and map — and a refusal changes nothing; the unit list, the catalog, deadlines and
 * the audit log stay with national administrators.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, clientFor, createApiToken, productionEnv, saveUser, TWO_PROVINCES } from "./access-helpers";
import {
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

const ROWS: [string, string, ...unknown[]][] = [["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 12]];

let province: ReturnType<typeof clientFor>;
let secret33 = "";
let commune98 = "";

/** A refusal: its status and message. */
async function refused(res: Response | { status: number; json(): Promise<unknown> }) {
  return { status: res.status, message: (await errorOf(res)).message };
}

const OUTSIDE = expect.stringContaining("chỉ quản lý");

async function sourceRow(unitCode: string) {
  return env.DB.prepare("SELECT id, active FROM sources WHERE unit_code = ?")
    .bind(unitCode)
    .first<{ id: number; active: number }>();
}

beforeAll(async () => {
  await resetDatabase();
  await seedReference(TWO_PROVINCES);
  for (const id of ["bac-dong-quan", "pho-hien", "tan-an"])
    await putSheet(`pa-${id}`, formSheet(`Xã ${id}`, ["Năm 2025"], ROWS));
  await registerSources(
    "unit_code,sheet,tab,layout\n12745,pa-bac-dong-quan,,form\n11953,pa-pho-hien,,form\n98001,pa-tan-an,,form\n",
  );
  await syncNow();
  secret33 = (await createApiToken("admin", "33", "quản trị Hưng Yên")).secret;
  commune98 = (await createApiToken("commune", "98001", "xã Tân An")).secret;
  province = clientFor(productionEnv({ SYNC_MANUAL_INTERVAL_SECONDS: "0" }), bearer(secret33));
  await saveUser("quantri@vn.gov.vn", "admin", null);
  await saveUser("lanhdao@vn.gov.vn", "leader", null);
  await saveUser("lanhdao@hungyen.gov.vn", "leader", "33");
  await saveUser("xa@bacdongquan.gov.vn", "commune", "12745");
  await saveUser("lanhdao@lamgiang.gov.vn", "leader", "98");
});

describe("a province's administrator", () => {
  it("starts at its province and is offered no other", async () => {
    const meta = await ok(province.meta.$get());
    expect(meta.principal).toMatchObject({ role: "admin", scopeUnitCode: "33" });
    expect(meta.defaultUnit).toBe("33");
    expect(meta.provinces.map((p) => p.code)).toEqual(["33"]);
    const { units } = await ok(province.admin.units.$get({ query: { unit: "VN" } }));
    expect(units.map((u) => u.code).sort()).toEqual(["11953", "11980", "11983", "12103", "12745", "33"]);
  });

  it("lists and changes the users of its province only, never giving national reach", async () => {
    const listed = (await ok(province.admin.users.$get())).users.map((u) => u.email);
    expect(listed).toEqual(["lanhdao@hungyen.gov.vn", "xa@bacdongquan.gov.vn"]);

    // A leader, a commune user and another administrator of its province.
    for (const [email, role, scopeUnitCode] of [
      ["lanhdao2@hungyen.gov.vn", "leader", "33"],
      ["xa@phohien.gov.vn", "commune", "11953"],
      ["quantri@hungyen.gov.vn", "admin", "33"],
    ] as const)
      expect((await province.admin.users.$put({ json: { email, role, scopeUnitCode } })).status).toBe(200);

    const national = await province.admin.users.$put({
      json: { email: "moi@vn.gov.vn", role: "leader", scopeUnitCode: null },
    });
    expect(await refused(national)).toEqual({
      status: 403,
      message:
        "Quản trị viên của Tỉnh Hưng Yên (mã 33) chỉ quản lý người dùng trong tỉnh mình, không phải phạm vi toàn quốc",
    });
    // Taking over a national user or another province's by giving it a scope here is refused as well.
    for (const email of ["lanhdao@vn.gov.vn", "lanhdao@lamgiang.gov.vn"]) {
      const res = await province.admin.users.$put({ json: { email, role: "leader", scopeUnitCode: "33" } });
      expect(await refused(res)).toEqual({ status: 403, message: expect.stringContaining(email) });
    }
    const other = await province.admin.users.$put({
      json: { email: "xa@tanan.gov.vn", role: "commune", scopeUnitCode: "98001" },
    });
    expect(await refused(other)).toEqual({ status: 403, message: OUTSIDE });
    const disable = await province.admin.users[":email"].$delete({ param: { email: "lanhdao@lamgiang.gov.vn" } });
    expect(disable.status).toBe(403);

    const all = (await ok(client.admin.users.$get())).users;
    expect(all.find((u) => u.email === "lanhdao@vn.gov.vn")).toMatchObject({ scopeUnitCode: null, disabledAt: null });
    expect(all.find((u) => u.email === "lanhdao@lamgiang.gov.vn")).toMatchObject({
      scopeUnitCode: "98",
      disabledAt: null,
    });
    expect(all.map((u) => u.email)).not.toContain("moi@vn.gov.vn");
    expect(all.map((u) => u.email)).not.toContain("xa@tanan.gov.vn");
    // An administrator is of a province, not of a commune.
    const commune = await province.admin.users.$put({
      json: { email: "quantri@bdq.gov.vn", role: "admin", scopeUnitCode: "12745" },
    });
    expect(commune.status).toBe(400);
    expect((await province.admin.users[":email"].$delete({ param: { email: "xa@phohien.gov.vn" } })).status).toBe(200);
  });

  it("lists, makes and revokes the tokens of its province only", async () => {
    const ownScope = (await ok(province.admin.tokens.$get())).tokens.map((t) => t.scopeUnitCode);
    expect(ownScope).toEqual(["33"]);
    const made = await province.admin.tokens.$post({
      json: { name: "xã Bắc Đông Quan", role: "commune", scopeUnitCode: "12745" },
    });
    expect(made.status).toBe(201);
    expect(
      (await province.admin.tokens.$post({ json: { name: "toàn quốc", role: "admin", scopeUnitCode: null } })).status,
    ).toBe(403);
    const foreign = (await ok(client.admin.tokens.$get())).tokens.find((t) => t.scopeUnitCode === "98001")!;
    const revoke = await province.admin.tokens[":id"].$delete({ param: { id: String(foreign.id) } });
    expect(await refused(revoke)).toEqual({ status: 403, message: expect.stringContaining("xã Tân An") });
    // The other province's token still signs its commune in.
    expect((await clientFor(productionEnv(), bearer(commune98)).meta.$get()).status).toBe(200);
    expect((await ok(province.admin.tokens.$get())).tokens.map((t) => t.scopeUnitCode).sort()).toEqual(["12745", "33"]);
  });

  it("sees, syncs, reads again and stops the sheets of its province only", async () => {
    const { sources } = await ok(province.sources.$get({ query: {} }));
    expect(sources.map((s) => s.unitCode)).toEqual(["11953", "12745"]);
    expect((await province.sources.$get({ query: { unit: "98" } })).status).toBe(403);

    const { run } = await ok(province.sync.$post());
    expect(run.sourcesTotal).toBe(2);

    const foreign = (await sourceRow("98001"))!;
    const stop = await province.admin.sources[":id"].$delete({ param: { id: String(foreign.id) } });
    expect(await refused(stop)).toEqual({
      status: 403,
      message: expect.stringContaining(`bảng tính số ${foreign.id}`),
    });
    expect((await province.admin.sources[":id"].read.$post({ param: { id: String(foreign.id) } })).status).toBe(403);
    expect((await sourceRow("98001"))!.active).toBe(1);

    const own = (await sourceRow("11953"))!;
    expect((await province.admin.sources[":id"].$delete({ param: { id: String(own.id) } })).status).toBe(200);
    expect((await province.admin.sources[":id"].read.$post({ param: { id: String(own.id) } })).status).toBe(200);
    expect((await sourceRow("11953"))!.active).toBe(1);
  });

  it("registers a sheet for its province's communes, not another province's", async () => {
    await putSheet("pa-tan-an-2", formSheet("Phường Tân An", ["Năm 2025"], ROWS));
    await putSheet("pa-son-nam", formSheet("Phường Sơn Nam", ["Năm 2025"], ROWS));
    const foreign = await province.admin.sources.register.$post({ json: { sheet: "pa-tan-an-2", unitCode: "98001" } });
    expect(await refused(foreign)).toEqual({
      status: 403,
      message:
        "Quản trị viên của Tỉnh Hưng Yên (mã 33) chỉ quản lý bảng tính trong tỉnh mình, không phải đơn vị mã 98001",
    });
    const file = await province.admin.sources.$post(
      { query: {} },
      {
        init: {
          body: "unit_code,sheet,tab,layout\n11983,pa-son-nam,,form\n98001,pa-tan-an-2,,form\n",
          headers: { "content-type": "text/csv", ...bearer(secret33) },
        },
      },
    );
    expect(await refused(file)).toEqual({ status: 403, message: expect.stringContaining("98001") });
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM sources").first<{ n: number }>();
    expect(count!.n).toBe(3);

    const own = await province.admin.sources.register.$post({ json: { sheet: "pa-son-nam", unitCode: "11983" } });
    expect(own.status).toBe(200);
    expect((await ok(province.sources.$get({ query: {} }))).sources.map((s) => s.unitCode)).toContain("11983");
  });

  it("opens and freezes its province's conferences; another province's does not exist for it", async () => {
    const json = { period: "2025", title: "Sơ kết 2025", startsAt: "2027-12-01T01:00:00Z" };
    expect((await province.admin.conferences.$post({ json: { ...json, unitCode: "98" } })).status).toBe(403);
    const own = await province.admin.conferences.$post({ json: { ...json, unitCode: "33" } });
    expect(own.status).toBe(201);
    const { conference } = await ok(client.admin.conferences.$post({ json: { ...json, unitCode: "98" } }));
    const freeze = await province.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } });
    expect(await refused(freeze)).toEqual({ status: 404, message: `Không có hội nghị số ${conference.id}` });
    const row = await env.DB.prepare("SELECT frozen_at AS frozenAt FROM conferences WHERE id = ?")
      .bind(conference.id)
      .first<{ frozenAt: number | null }>();
    expect(row!.frozenAt).toBeNull();
    const ownId = String((await own.json()).conference.id);
    expect((await province.admin.conferences[":id"].freeze.$post({ param: { id: ownId } })).status).toBe(200);
  });

  it("accepts its province's communes only", async () => {
    await ok(client.approvals.submit.$post({ json: { unitCode: "12745", period: "2025" } }));
    await ok(client.approvals.submit.$post({ json: { unitCode: "98001", period: "2025" } }));
    const foreign = await province.approvals.accept.$post({ json: { unitCodes: ["12745", "98001"], period: "2025" } });
    expect(foreign.status).toBe(403);
    const states = async (unit: string) =>
      (await ok(client.approvals.$get({ query: { unit, period: "2025" } }))).approvals.map((a) => a.state);
    expect(await states("12745")).toEqual(["submitted"]);
    expect(await states("98001")).toEqual(["submitted"]);
    const own = await ok(province.approvals.accept.$post({ json: { unitCodes: ["12745"], period: "2025" } }));
    expect(own.approvals.map((a) => a.state)).toEqual(["accepted"]);
    expect(
      (await province.approvals.return.$post({ json: { unitCode: "98001", period: "2025", reason: "Sai" } })).status,
    ).toBe(403);
    expect(await states("98001")).toEqual(["submitted"]);
  });

  it("uploads its province's boundaries, not a file with another province's communes", async () => {
    const square = (code: string, x: number) => ({
      type: "Feature",
      properties: { code },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [x, 20],
            [x + 0.1, 20],
            [x + 0.1, 20.1],
            [x, 20],
          ],
        ],
      },
    });
    const upload = (codes: string[]) =>
      province.admin.boundaries.$post(
        {},
        {
          init: {
            body: JSON.stringify({ type: "FeatureCollection", features: codes.map((c, i) => square(c, 106 + i / 10)) }),
            headers: bearer(secret33),
          },
        },
      );
    expect(await refused(await upload(["12745", "98001"]))).toEqual({
      status: 403,
      message: expect.stringContaining("mã tỉnh 98"),
    });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM boundaries").first<{ n: number }>()).toEqual({ n: 0 });
    expect((await upload(["12745", "11953"])).status).toBe(200);
  });

  it("leaves the unit list, the catalog, deadlines and the audit log to national administrators", async () => {
    const csv = (body: string) => ({ init: { body, headers: { "content-type": "text/csv", ...bearer(secret33) } } });
    const answers = [
      await province.admin.units.$post({ query: { validFrom: "2025-07-01" } }, csv(TWO_PROVINCES)),
      await province.admin.catalog.$post({ query: {} }, csv(env.TEST_CATALOG_CSV)),
      await province.admin.periods[":code"].$put({ param: { code: "2025" }, json: { deadline: "2026-01-15" } }),
      await province.admin.audit.$get({ query: {} }),
    ];
    const messages = [];
    for (const res of answers) messages.push(await refused(res));
    expect(messages).toEqual([
      { status: 403, message: "Chỉ quản trị viên toàn quốc mới được nhập danh sách đơn vị hành chính" },
      { status: 403, message: "Chỉ quản trị viên toàn quốc mới được nhập danh mục chỉ tiêu" },
      { status: 403, message: "Chỉ quản trị viên toàn quốc mới được đặt hạn báo cáo (hạn chung cho mọi tỉnh)" },
      { status: 403, message: "Chỉ quản trị viên toàn quốc mới được xem nhật ký thao tác" },
    ]);
    // What it may read of them: the deadlines and the catalog as in use.
    expect((await province.admin.periods.$get()).status).toBe(200);
    expect((await province.admin["catalog.csv"].$get()).status).toBe(200);
  });
});
