/**
 * Every route of the app × every role and scope × a target inside and outside the scope, under the production
 * configuration with API tokens (PRODUCT.md §11, §12). The routes are read from the app itself, so a new route
 * without an access decision here fails the test. Requests whose success would change shared data are chosen to be
 * refused after the access check (a bad link, a move the state does not allow, a preview), or to repeat harmlessly.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { bearer, callWorker, createApiToken, productionEnv, saveUser, TWO_PROVINCES } from "./access-helpers";
import { api, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const WHO = ["adminVN", "admin33", "leaderVN", "leader33", "commune", "anonymous"] as const;
type Who = (typeof WHO)[number];
const secrets = {} as Record<Exclude<Who, "anonymous">, string>;

/** What a request may point at, inside Hưng Yên (and the commune user's own commune) or in Lâm Giang. */
type Target = {
  province: string;
  commune: string;
  /** A source read again, and one stopped. */
  readSource: number;
  stopSource: number;
  /** A leader of the province, disabled. */
  user: string;
  /** A revoked token scoped to the province. */
  token: number;
  /** A frozen conference of the province. */
  conference: number;
};
const inside = { province: "33", commune: "12745" } as Target;
const outside = { province: "98", commune: "98001" } as Target;

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const csv = (body: string): RequestInit => ({ method: "POST", headers: { "content-type": "text/csv" }, body });

const boundary = (code: string) =>
  JSON.stringify({
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        properties: { code },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [106, 20.6],
              [106.1, 20.6],
              [106.1, 20.7],
              [106, 20.6],
            ],
          ],
        },
      },
    ],
  });

const LETTERHEAD = {
  parentAgency: "UBND TỈNH",
  agency: "CÔNG AN TỈNH",
  placeName: "Hưng Yên",
  symbol: "BC-CAT",
  signerAuthority: "KT. GIÁM ĐỐC",
  signerTitle: "PHÓ GIÁM ĐỐC",
  signerName: "Nguyễn Văn A",
  recipients: ["Bộ Công an"],
};

/** Expected status per role, inside then outside the scope. */
type Expect = Record<Who, [number, number]>;

/** Any signed-in user within their scope (the commune user's own commune is inside). */
const READ: Expect = {
  adminVN: [200, 200],
  admin33: [200, 403],
  leaderVN: [200, 200],
  leader33: [200, 403],
  commune: [200, 403],
  anonymous: [401, 401],
};
/** Any signed-in user; the route names no unit. */
const SIGNED_IN: Expect = { ...READ, admin33: [200, 200], leader33: [200, 200], commune: [200, 200] };
const ADMIN_ONLY: Omit<Expect, "adminVN" | "admin33"> = {
  leaderVN: [403, 403],
  leader33: [403, 403],
  commune: [403, 403],
  anonymous: [401, 401],
};
/** An administrator of any scope; the route names no unit. */
const ANY_ADMIN = (ok: number): Expect => ({ ...ADMIN_ONLY, adminVN: [ok, ok], admin33: [ok, ok] });
/** An administrator covering the target: a province's admin only inside its province. */
const ADMINISTERS = (ok: number, outsideOfProvince = 403): Expect => ({
  ...ADMIN_ONLY,
  adminVN: [ok, ok],
  admin33: [ok, outsideOfProvince],
});
/** A national administrator only. */
const NATIONAL = (ok: number): Expect => ({ ...ADMIN_ONLY, adminVN: [ok, ok], admin33: [403, 403] });

type Case = { request: (t: Target) => [string, RequestInit?]; expect: Expect; why: string };

/** The access decision for each route of the app, keyed as Hono lists it. */
const DECISIONS: Record<string, Case> = {
  "GET /api/health": {
    request: () => ["/api/health"],
    expect: { ...SIGNED_IN, anonymous: [200, 200] },
    why: "open: the uptime check",
  },
  "GET /api/meta": { request: () => ["/api/meta"], expect: SIGNED_IN, why: "each principal's own view" },
  "GET /api/summary": { request: (t) => [`/api/summary?unit=${t.commune}&period=2025`], expect: READ, why: "read" },
  "GET /api/coverage/silent": {
    request: (t) => [`/api/coverage/silent?unit=${t.commune}&period=2025`],
    expect: READ,
    why: "read",
  },
  "GET /api/boundaries": { request: (t) => [`/api/boundaries?unit=${t.commune}`], expect: READ, why: "read" },
  "GET /api/breakdown": {
    request: (t) => [`/api/breakdown?unit=${t.commune}&period=2025&indicator=security_team_count`],
    expect: READ,
    why: "read",
  },
  "GET /api/issues": { request: (t) => [`/api/issues?unit=${t.commune}&period=2025`], expect: READ, why: "read" },
  "GET /api/export.csv": {
    request: (t) => [`/api/export.csv?unit=${t.commune}&period=2025`],
    expect: READ,
    why: "read",
  },
  "GET /api/export.xlsx": {
    request: (t) => [`/api/export.xlsx?unit=${t.commune}&period=2025`],
    expect: READ,
    why: "read",
  },
  "GET /api/report": { request: (t) => [`/api/report?unit=${t.commune}&period=2025`], expect: READ, why: "read" },
  "GET /api/report.docx": {
    request: (t) => [`/api/report.docx?unit=${t.commune}&period=2025`],
    expect: READ,
    why: "read",
  },
  "GET /api/models": { request: (t) => [`/api/models?unit=${t.commune}&period=2025`], expect: READ, why: "read" },
  "GET /api/trend": {
    request: (t) => [`/api/trend?unit=${t.commune}&indicator=security_team_count`],
    expect: READ,
    why: "read",
  },
  "GET /api/sources": { request: (t) => [`/api/sources?unit=${t.commune}`], expect: READ, why: "read" },
  "GET /api/sources/missing": {
    request: (t) => [`/api/sources/missing?unit=${t.commune}`],
    expect: READ,
    why: "read",
  },
  "GET /api/conferences": { request: (t) => [`/api/conferences?unit=${t.commune}`], expect: READ, why: "read" },
  "GET /api/approvals": {
    request: (t) => [`/api/approvals?unit=${t.commune}&period=2025`],
    expect: READ,
    why: "read",
  },
  "GET /api/sync/runs": { request: () => ["/api/sync/runs"], expect: SIGNED_IN, why: "runs are the country's" },
  "POST /api/sync": {
    request: () => ["/api/sync", { method: "POST" }],
    expect: ANY_ADMIN(200),
    why: "a province's admin syncs its province's sources",
  },
  // Nothing to confirm in 2024: an allowed submission is refused by the state (409), a forbidden one by access (403).
  "POST /api/approvals/submit": {
    request: (t) => ["/api/approvals/submit", json("POST", { unitCode: t.commune, period: "2024" })],
    expect: { ...ADMINISTERS(409), commune: [409, 403] },
    why: "the commune itself, or an admin covering it",
  },
  // An open commune: accepting answers why not (200, nothing changes); returning and reopening are 409.
  "POST /api/approvals/accept": {
    request: (t) => ["/api/approvals/accept", json("POST", { unitCodes: [t.commune], period: "2025" })],
    expect: ADMINISTERS(200),
    why: "an admin covering the commune",
  },
  "POST /api/approvals/return": {
    request: (t) => ["/api/approvals/return", json("POST", { unitCode: t.commune, period: "2025", reason: "Sai" })],
    expect: ADMINISTERS(409),
    why: "an admin covering the commune",
  },
  "POST /api/approvals/reopen": {
    request: (t) => ["/api/approvals/reopen", json("POST", { unitCode: t.commune, period: "2025", reason: "Sửa" })],
    expect: ADMINISTERS(409),
    why: "an admin covering the commune",
  },
  "GET /api/admin/periods": { request: () => ["/api/admin/periods"], expect: ANY_ADMIN(200), why: "admin read" },
  "PUT /api/admin/periods/:code": {
    request: () => ["/api/admin/periods/2025", json("PUT", { deadline: "2026-01-15" })],
    expect: NATIONAL(200),
    why: "one deadline for every province",
  },
  "POST /api/admin/conferences": {
    request: (t) => [
      "/api/admin/conferences",
      json("POST", { unitCode: t.province, period: "2025", title: "Sơ kết", startsAt: "2027-12-01T01:00:00Z" }),
    ],
    expect: ADMINISTERS(201),
    why: "its province's conferences",
  },
  // Already frozen (409); another province's conference does not exist for a province's admin (404).
  "POST /api/admin/conferences/:id/freeze": {
    request: (t) => [`/api/admin/conferences/${t.conference}/freeze`, { method: "POST" }],
    expect: ADMINISTERS(409, 404),
    why: "its province's conferences",
  },
  "GET /api/admin/users": {
    request: () => ["/api/admin/users"],
    expect: ANY_ADMIN(200),
    why: "listed within the scope",
  },
  "PUT /api/admin/users": {
    request: (t) => [
      "/api/admin/users",
      json("PUT", { email: `lanhdao@${t.province}.vn`, role: "leader", scopeUnitCode: t.province }),
    ],
    expect: ADMINISTERS(200),
    why: "users scoped inside its province",
  },
  "DELETE /api/admin/users/:email": {
    request: (t) => [`/api/admin/users/${encodeURIComponent(t.user)}`, { method: "DELETE" }],
    expect: ADMINISTERS(200),
    why: "users scoped inside its province",
  },
  "GET /api/admin/tokens": {
    request: () => ["/api/admin/tokens"],
    expect: ANY_ADMIN(200),
    why: "listed within the scope",
  },
  "POST /api/admin/tokens": {
    request: (t) => ["/api/admin/tokens", json("POST", { name: "tệp", role: "commune", scopeUnitCode: t.commune })],
    expect: ADMINISTERS(201),
    why: "tokens scoped inside its province",
  },
  // Already revoked: 404 once access is granted.
  "DELETE /api/admin/tokens/:id": {
    request: (t) => [`/api/admin/tokens/${t.token}`, { method: "DELETE" }],
    expect: ADMINISTERS(404),
    why: "tokens scoped inside its province",
  },
  "GET /api/admin/audit": {
    request: () => ["/api/admin/audit"],
    expect: NATIONAL(200),
    why: "entries are not told apart by province",
  },
  "POST /api/admin/boundaries": {
    request: (t) => ["/api/admin/boundaries", { method: "POST", body: boundary(t.commune) }],
    expect: ADMINISTERS(200),
    why: "its province's map",
  },
  // Not a link: 400 once access is granted, and nothing is read.
  "POST /api/admin/sources/register": {
    request: (t) => [
      "/api/admin/sources/register",
      json("POST", { sheet: "không phải đường dẫn", unitCode: t.commune }),
    ],
    expect: ADMINISTERS(400),
    why: "its province's sources",
  },
  "POST /api/admin/sources/:id/read": {
    request: (t) => [`/api/admin/sources/${t.readSource}/read`, { method: "POST" }],
    expect: ADMINISTERS(200),
    why: "its province's sources",
  },
  "DELETE /api/admin/sources/:id": {
    request: (t) => [`/api/admin/sources/${t.stopSource}`, { method: "DELETE" }],
    expect: ADMINISTERS(200),
    why: "its province's sources",
  },
  "GET /api/admin/report-settings": {
    request: (t) => [`/api/admin/report-settings?unit=${t.province}`],
    expect: ADMINISTERS(200),
    why: "its province's letterhead",
  },
  "PUT /api/admin/report-settings": {
    request: (t) => [`/api/admin/report-settings?unit=${t.province}`, json("PUT", LETTERHEAD)],
    expect: ADMINISTERS(200),
    why: "its province's letterhead",
  },
  // No template uploaded: 404 once access is granted; an empty upload is 400.
  "GET /api/admin/report-template": {
    request: (t) => [`/api/admin/report-template?unit=${t.province}`],
    expect: ADMINISTERS(404),
    why: "its province's template",
  },
  "PUT /api/admin/report-template": {
    request: (t) => [`/api/admin/report-template?unit=${t.province}`, { method: "PUT", body: "" }],
    expect: ADMINISTERS(400),
    why: "its province's template",
  },
  "POST /api/admin/report-template": {
    request: (t) => [`/api/admin/report-template?unit=${t.province}`, { method: "POST", body: "" }],
    expect: ADMINISTERS(400),
    why: "its province's template",
  },
  "DELETE /api/admin/report-template": {
    request: (t) => [`/api/admin/report-template?unit=${t.province}`, { method: "DELETE" }],
    expect: ADMINISTERS(404),
    why: "its province's template",
  },
  "GET /api/admin/model-types": {
    request: () => ["/api/admin/model-types"],
    expect: ANY_ADMIN(200),
    why: "the catalog of model kinds as in use",
  },
  "GET /api/admin/model-types/file.csv": {
    request: () => ["/api/admin/model-types/file.csv"],
    expect: ANY_ADMIN(200),
    why: "the catalog of model kinds as a file",
  },
  "POST /api/admin/model-types": {
    request: () => ["/api/admin/model-types?preview=true", csv(env.TEST_MODEL_TYPES_CSV)],
    expect: NATIONAL(200),
    why: "the national catalog of model kinds",
  },
  "GET /api/admin/units": {
    request: (t) => [`/api/admin/units?unit=${t.province}`],
    expect: ADMINISTERS(200),
    why: "the units it picks from",
  },
  "GET /api/admin/templates/:file": {
    request: () => ["/api/admin/templates/sources.csv"],
    expect: ANY_ADMIN(200),
    why: "a blank file",
  },
  "GET /api/admin/catalog.csv": {
    request: () => ["/api/admin/catalog.csv"],
    expect: ANY_ADMIN(200),
    why: "the catalog as in use",
  },
  "POST /api/admin/units": {
    request: () => ["/api/admin/units?preview=true", csv(TWO_PROVINCES)],
    expect: NATIONAL(200),
    why: "the national unit list",
  },
  "POST /api/admin/catalog": {
    request: () => ["/api/admin/catalog?preview=true", csv(env.TEST_CATALOG_CSV)],
    expect: NATIONAL(200),
    why: "the national catalog",
  },
  "POST /api/admin/sources": {
    request: (t) => [
      "/api/admin/sources?preview=true",
      csv(`unit_code,sheet,tab,layout\n${t.commune},matrix-new,,form\n`),
    ],
    expect: ADMINISTERS(200),
    why: "its province's sources",
  },
};

/** Every route the app answers under /api (middleware aside), as `METHOD path`. */
function appRoutes(): string[] {
  return [
    ...new Set(
      app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/")).map((r) => `${r.method} ${r.path}`),
    ),
  ];
}

const matrixEnv = () => productionEnv({ SYNC_MANUAL_INTERVAL_SECONDS: "0" });

async function call(who: Who, [path, init = {}]: [string, RequestInit?]): Promise<number> {
  const headers = { ...(init.headers as Record<string, string>), ...(who === "anonymous" ? {} : bearer(secrets[who])) };
  const res = await callWorker(matrixEnv(), path, { ...init, headers });
  await res.arrayBuffer();
  return res.status;
}

async function sourceId(unitCode: string): Promise<number> {
  const row = await env.DB.prepare("SELECT id FROM sources WHERE unit_code = ?").bind(unitCode).first<{ id: number }>();
  return row!.id;
}

async function frozenConference(unitCode: string): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO conferences (unit_code, period, compare_period, title, starts_at, window_hours, created_at, frozen_at) VALUES (?, '2025', '2024', 'Đã chốt', ?, 72, ?, ?) RETURNING id",
  )
    .bind(unitCode, Date.now(), Date.now(), Date.now())
    .first<{ id: number }>();
  return row!.id;
}

async function revokedToken(scope: string): Promise<number> {
  const { id } = await createApiToken("leader", scope, `thu hồi ${scope}`);
  expect((await api(`/api/admin/tokens/${id}`, { method: "DELETE" })).status).toBe(200);
  return id;
}

const ROWS: [string, string, ...unknown[]][] = [["security_team_count", "Số tổ bảo vệ an ninh trật tự ở cơ sở", 12]];

beforeAll(async () => {
  await resetDatabase();
  await seedReference(TWO_PROVINCES);
  const sheets = { "12745": "bac-dong-quan", "11953": "pho-hien", "98001": "tan-an", "98002": "tan-binh" };
  for (const id of Object.values(sheets)) await putSheet(`matrix-${id}`, formSheet(`Phường ${id}`, ["Năm 2025"], ROWS));
  await registerSources(
    `unit_code,sheet,tab,layout\n${Object.entries(sheets)
      .map(([code, id]) => `${code},matrix-${id},,form`)
      .join("\n")}\n`,
  );
  await syncNow();
  secrets.adminVN = (await createApiToken("admin", null)).secret;
  secrets.admin33 = (await createApiToken("admin", "33")).secret;
  secrets.leaderVN = (await createApiToken("leader", null)).secret;
  secrets.leader33 = (await createApiToken("leader", "33")).secret;
  secrets.commune = (await createApiToken("commune", "12745")).secret;
  Object.assign(inside, {
    readSource: await sourceId("12745"),
    stopSource: await sourceId("11953"),
    user: "tam-nghi@33.vn",
    token: await revokedToken("33"),
    conference: await frozenConference("33"),
  });
  Object.assign(outside, {
    readSource: await sourceId("98001"),
    stopSource: await sourceId("98002"),
    user: "tam-nghi@98.vn",
    token: await revokedToken("98"),
    conference: await frozenConference("98"),
  });
  await saveUser(inside.user, "leader", "33");
  await saveUser(outside.user, "leader", "98");
});

describe("every route has an access decision", () => {
  it("for each route the app answers, and none for a route it no longer has", () => {
    const routes = appRoutes();
    expect(routes.filter((r) => !(r in DECISIONS))).toEqual([]);
    expect(Object.keys(DECISIONS).filter((r) => !routes.includes(r))).toEqual([]);
  });

  for (const [route, { request, expect: expected, why }] of Object.entries(DECISIONS)) {
    it(`${route} (${why}): each role inside and outside its scope`, async () => {
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const who of WHO) {
        for (const [side, target] of [
          ["inside", inside],
          ["outside", outside],
        ] as const) {
          seen.push(`${who} ${side} ${await call(who, request(target))}`);
          wanted.push(`${who} ${side} ${expected[who][side === "inside" ? 0 : 1]}`);
        }
      }
      expect(seen).toEqual(wanted);
    });
  }
});
