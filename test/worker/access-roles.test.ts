/**
 * Each role against each endpoint family, under the production configuration with API tokens: scope is enforced
 * where the data is read, and a commune user sees only its own commune.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, callWorker, clientFor, createApiToken, productionEnv, TWO_PROVINCES } from "./access-helpers";
import { formSheet, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const ROWS = (teams: unknown): [string, string, ...unknown[]][] => [
  ["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", teams],
  ["residential_area_total", "Tổng số khu dân cư", 20],
  ["residential_area_safe", "Số khu dân cư an toàn", 15],
];

type Who = "admin" | "leader33" | "leaderNational" | "commune";
const secrets = {} as Record<Who, string>;

async function as(who: Who, path: string, init: RequestInit = {}) {
  return callWorker(productionEnv(), path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...bearer(secrets[who]) },
  });
}

/** The typed client as this principal, under the production configuration. */
const clientAs = (who: Who) => clientFor(productionEnv(), bearer(secrets[who]));

beforeAll(async () => {
  await resetDatabase();
  await seedReference(TWO_PROVINCES);
  await putSheet("roles-bac-dong-quan", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], ROWS(12)));
  // A neighbour with a typo, so it has an issue the commune user must not see.
  await putSheet("roles-pho-hien", formSheet("Phường Phố Hiến", ["Năm 2025"], ROWS("17 tổ (chưa đủ)")));
  await putSheet("roles-son-nam", formSheet("Phường Sơn Nam", ["Năm 2025"], ROWS(30)));
  await putSheet("roles-tan-an", formSheet("Phường Tân An", ["Năm 2025"], ROWS(40)));
  await registerSources(
    "unit_code,sheet,tab,layout\n12745,roles-bac-dong-quan,,form\n11953,roles-pho-hien,,form\n11983,roles-son-nam,,form\n98001,roles-tan-an,,form\n",
  );
  await syncNow();
  secrets.admin = (await createApiToken("admin", null)).secret;
  secrets.leader33 = (await createApiToken("leader", "33")).secret;
  secrets.leaderNational = (await createApiToken("leader", null)).secret;
  secrets.commune = (await createApiToken("commune", "12745")).secret;
});

const READS: [family: string, path: (unit: string) => string][] = [
  ["summary", (u) => `/api/summary?unit=${u}&period=2025`],
  ["breakdown", (u) => `/api/breakdown?unit=${u}&period=2025&indicator=security_team_count`],
  ["issues", (u) => `/api/issues?unit=${u}&period=2025`],
  ["export", (u) => `/api/export.csv?unit=${u}&period=2025`],
  ["export xlsx", (u) => `/api/export.xlsx?unit=${u}&period=2025`],
  ["report", (u) => `/api/report?unit=${u}&period=2025`],
  ["sources", (u) => `/api/sources?unit=${u}`],
  ["conferences", (u) => `/api/conferences?unit=${u}`],
];

/** unit → expected status, per principal. */
const REACH: Record<Who, Record<string, number>> = {
  admin: { VN: 200, "33": 200, "12745": 200, "11953": 200, "98": 200, "98001": 200 },
  leaderNational: { VN: 200, "33": 200, "12745": 200, "11953": 200, "98": 200, "98001": 200 },
  leader33: { VN: 403, "33": 200, "12745": 200, "11953": 200, "98": 403, "98001": 403 },
  commune: { VN: 403, "33": 403, "12745": 200, "11953": 403, "98": 403, "98001": 403 },
};

describe("read endpoints answer each role within its scope", () => {
  for (const [family, path] of READS) {
    it(`${family}: 200 inside the scope, 403 outside it`, async () => {
      const seen: string[] = [];
      for (const who of Object.keys(REACH) as Who[]) {
        for (const unit of Object.keys(REACH[who])) {
          if (unit === "VN" && (family === "sources" || family === "conferences")) continue;
          const res = await as(who, path(unit));
          seen.push(`${who} ${unit} ${res.status}`);
          await res.arrayBuffer();
        }
      }
      const expected = (Object.keys(REACH) as Who[]).flatMap((who) =>
        Object.entries(REACH[who])
          .filter(([unit]) => !(unit === "VN" && (family === "sources" || family === "conferences")))
          .map(([unit, status]) => `${who} ${unit} ${status}`),
      );
      expect(seen).toEqual(expected);
    });
  }

  it("meta: a scoped user starts at their own unit and is offered no other province", async () => {
    const leader = await ok(clientAs("leader33").meta.$get());
    expect(leader.defaultUnit).toBe("33");
    expect(leader.provinces.map((p) => p.code)).toEqual(["33"]);
    const commune = await ok(clientAs("commune").meta.$get());
    expect(commune.defaultUnit).toBe("12745");
    expect(commune.provinces).toEqual([]);
    const admin = await ok(clientAs("admin").meta.$get());
    expect(admin.provinces.map((p) => p.code)).toEqual(["33", "98"]);
  });
});

describe("sync runs", () => {
  it("are readable by every role, with who started them only for admins", async () => {
    const admin = await ok(clientAs("admin").sync.runs.$get());
    expect(admin.runs.some((r) => r.actor === "dev@localhost")).toBe(true);
    for (const who of ["leader33", "commune"] as Who[]) {
      const res = await clientAs(who).sync.runs.$get();
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.runs.length).toBe(admin.runs.length);
      expect(JSON.stringify(body)).not.toContain("dev@localhost");
    }
  });
});

// Each admin route for each role and scope: access-matrix.test.ts.
describe("admin-only endpoints", () => {
  it("answer an admin", async () => {
    for (const path of ["/api/admin/users", "/api/admin/tokens", "/api/admin/audit"])
      expect((await as("admin", path)).status).toBe(200);
    // The sync done while seeding has finished, and no interval is asked between manual syncs: this one starts.
    const noInterval = productionEnv({ SYNC_MANUAL_INTERVAL_SECONDS: "0" });
    const res = await clientFor(noInterval, bearer(secrets.admin)).sync.$post();
    expect(res.status).toBe(200);
    expect((await res.json()).run.sourcesTotal).toBe(4);
  });
});

describe("a commune user sees only its own commune", () => {
  it("in the approvals: its own commune's state, not the province's", async () => {
    const own = await ok(clientAs("commune").approvals.$get({ query: { unit: "12745", period: "2025" } }));
    expect(own.approvals.map((a) => a.unitCode)).toEqual(["12745"]);
    expect((await clientAs("commune").approvals.$get({ query: { unit: "33", period: "2025" } })).status).toBe(403);
    const submitted = await clientAs("leader33").approvals.submit.$post({
      json: { unitCode: "12745", period: "2025" },
    });
    expect(submitted.status).toBe(403);
  });

  it("in the sources: only its own sheet, also when it names no unit", async () => {
    for (const query of [{ unit: "12745" }, {}]) {
      const body = await ok(clientAs("commune").sources.$get({ query }));
      expect(body.sources.map((s) => s.unitCode)).toEqual(["12745"]);
    }
    const province = await ok(clientAs("leader33").sources.$get({ query: {} }));
    expect(province.sources.map((s) => s.unitCode).sort()).toEqual(["11953", "11983", "12745"]);
  });

  it("in the summary: its own figures, not the province's", async () => {
    const summary = await ok(clientAs("commune").summary.$get({ query: { unit: "12745", period: "2025" } }));
    expect(summary.unit.code).toBe("12745");
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(12);
    expect(JSON.stringify(summary)).not.toMatch(/Phố Hiến|Sơn Nam|Tân An/);
  });

  it("in the breakdown: one row, its own", async () => {
    const body = await ok(
      clientAs("commune").breakdown.$get({
        query: { unit: "12745", period: "2025", indicator: "security_team_count" },
      }),
    );
    expect(body.rows.map((r) => r.unit.code)).toEqual(["12745"]);
    expect(body.rows[0]!.value).toBe(12);
  });

  it("in the issues: not its neighbour's typo", async () => {
    const province = await ok(clientAs("leader33").issues.$get({ query: { unit: "33", period: "2025" } }));
    expect(province.issues.some((i) => i.unitCode === "11953")).toBe(true);
    const own = await ok(clientAs("commune").issues.$get({ query: { unit: "12745", period: "2025" } }));
    expect(own.issues.length).toBeGreaterThan(0);
    expect(own.issues.every((i) => i.unitCode === "12745")).toBe(true);
    expect(JSON.stringify(own)).not.toContain("chưa đủ");
    expect((await as("commune", "/api/issues?unit=11953&period=2025")).status).toBe(403);
  });

  it("in the export: only its own rows", async () => {
    const res = await as("commune", "/api/export.csv?unit=12745&period=2025");
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain("12745");
    expect(csv).not.toMatch(/11953|11983|98001|Phố Hiến|Sơn Nam|Tân An/);
  });

  it("in the report: only its own figures", async () => {
    const body = JSON.stringify(await (await as("commune", "/api/report?unit=12745&period=2025")).json());
    expect(body).toContain("Bắc Đông Quan");
    expect(body).not.toMatch(/Phố Hiến|Sơn Nam|Tân An|Hưng Yên/);
  });
});

describe("a conference", () => {
  async function conference(unitCode: string, title: string): Promise<number> {
    const row = await env.DB.prepare(
      "INSERT INTO conferences (unit_code, period, compare_period, title, starts_at, window_hours, created_at) VALUES (?, '2025', '2024', ?, ?, 72, ?) RETURNING id",
    )
      .bind(unitCode, title, Date.now() + 86_400_000, Date.now())
      .first<{ id: number }>();
    return row!.id;
  }

  it("of another province does not exist for a leader, whatever unit they ask about", async () => {
    const lamGiang = await conference("98", "Hội nghị sơ kết Lâm Giang");
    const hungYen = await conference("33", "Hội nghị sơ kết Hưng Yên");
    for (const family of ["summary", "report", "breakdown"]) {
      const extra = family === "breakdown" ? "&indicator=security_team_count" : "";
      const foreign = await as("leader33", `/api/${family}?unit=33&period=2025&conference=${lamGiang}${extra}`);
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).not.toContain("Lâm Giang");
      expect((await as("leader33", `/api/${family}?unit=33&period=2025&conference=${hungYen}${extra}`)).status).toBe(
        200,
      );
    }
  });

  it("of its province is open to a commune user for its own commune only", async () => {
    const hungYen = await conference("33", "Hội nghị sơ kết Hưng Yên");
    const lamGiang = await conference("98", "Hội nghị sơ kết Lâm Giang");
    expect((await as("commune", `/api/summary?unit=12745&period=2025&conference=${hungYen}`)).status).toBe(200);
    expect((await as("commune", `/api/summary?unit=33&period=2025&conference=${hungYen}`)).status).toBe(403);
    expect((await as("commune", `/api/report?unit=12745&period=2025&conference=${lamGiang}`)).status).toBe(404);
  });
});
