/** Who gets in under the production configuration: Cloudflare Access JWTs, API tokens and development mode. */
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  accessHeaders,
  accessJwt,
  bearer,
  callWorker,
  clientFor,
  createApiToken,
  jwksFetches,
  productionEnv,
  publishKeys,
  type SigningKey,
  saveUser,
  signingKey,
} from "./access-helpers";
import { type ApiError, errorOf, ok, resetDatabase, seedReference } from "./helpers";

const LEADER = "lanhdao@hungyen.gov.vn";
let teamKey: SigningKey;
let strangerKey: SigningKey;

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function meta(headers: Record<string, string>, workerEnv = productionEnv()) {
  const res = await clientFor(workerEnv, headers).meta.$get();
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  teamKey = await signingKey("team-key-1");
  strangerKey = await signingKey("stranger-key");
  await publishKeys([teamKey]);
});

beforeEach(async () => {
  await resetDatabase();
  await seedReference();
  await saveUser(LEADER, "leader", "33");
});

describe("Cloudflare Access in production", () => {
  it("lets a registered leader in with the role and province the admin gave them", async () => {
    const { status, body } = await meta(accessHeaders(await accessJwt(teamKey)));
    expect(status).toBe(200);
    expect(body.principal).toEqual({ email: LEADER, role: "leader", scopeUnitCode: "33", via: "access" });
  });

  it("matches the email whatever its case", async () => {
    const { status } = await meta(accessHeaders(await accessJwt(teamKey, { email: "LanhDao@HungYen.gov.vn" })));
    expect(status).toBe(200);
  });

  it("answers 401 without any credential", async () => {
    const res = await callWorker(productionEnv(), "/api/summary?unit=33&period=2025");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });

  const forged: [string, () => Promise<string>][] = [
    [
      "an expired token",
      () => accessJwt(teamKey, { exp: Math.floor(Date.now() / 1000) - 300, iat: Math.floor(Date.now() / 1000) - 4000 }),
    ],
    ["a token not valid yet", () => accessJwt(teamKey, { nbf: Math.floor(Date.now() / 1000) + 600 })],
    ["a token without expiry", () => accessJwt(teamKey, { exp: null })],
    ["a token for another application (audience)", () => accessJwt(teamKey, { aud: "another-application-aud" })],
    [
      "a token from another team (issuer)",
      () => accessJwt(teamKey, { iss: "https://other-team.cloudflareaccess.com" }),
    ],
    [
      "a token signed by a key claiming the team's key id (bad signature)",
      () => accessJwt(strangerKey, {}, teamKey.kid),
    ],
    [
      "a token whose payload was changed after signing",
      async () => {
        const [header, , signature] = (await accessJwt(teamKey, { email: "someone@else.vn" })).split(".");
        const payload = base64url({
          email: LEADER,
          aud: [productionEnv().ACCESS_AUD],
          iss: env.TEST_ACCESS_URL,
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 3600,
        });
        return `${header}.${payload}.${signature}`;
      },
    ],
    ["a token signed by a key the team does not publish (unknown kid)", () => accessJwt(strangerKey)],
    [
      "an unsigned token (alg none)",
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ email: LEADER, aud: [productionEnv().ACCESS_AUD], iss: env.TEST_ACCESS_URL, iat: now, exp: now + 3600 })}.`;
      },
    ],
    [
      "an HS256 token keyed with the public key (algorithm confusion)",
      async () => {
        const [header, payload] = (await accessJwt(teamKey)).split(".");
        const forgedHeader = base64url({
          ...JSON.parse(atob(header!.replace(/-/g, "+").replace(/_/g, "/"))),
          alg: "HS256",
        });
        const key = await crypto.subtle.importKey(
          "raw",
          new TextEncoder().encode(JSON.stringify(teamKey.publicJwk)),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign"],
        );
        const mac = new Uint8Array(
          await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${forgedHeader}.${payload}`)),
        );
        return `${forgedHeader}.${payload}.${btoa(String.fromCharCode(...mac))
          .replace(/\+/g, "-")
          .replace(/\//g, "_")
          .replace(/=+$/, "")}`;
      },
    ],
    ["garbage", async () => "not-a-jwt"],
  ];
  for (const [name, make] of forged) {
    it(`refuses ${name} with 401`, async () => {
      const res = await callWorker(productionEnv(), "/api/summary?unit=33&period=2025", {
        headers: accessHeaders(await make()),
      });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("unauthorized");
    });
  }

  it("tolerates a few seconds of clock skew, not minutes", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await meta(accessHeaders(await accessJwt(teamKey, { exp: now - 5, iat: now - 3600 })))).status).toBe(200);
    expect((await meta(accessHeaders(await accessJwt(teamKey, { exp: now - 120, iat: now - 3600 })))).status).toBe(401);
  });

  it("answers 403 to a valid sign-in whose email has no account, or a disabled one", async () => {
    expect((await meta(accessHeaders(await accessJwt(teamKey, { email: "nguoila@example.com" })))).status).toBe(403);
    const res = await callWorker(
      productionEnv({ DEV_MODE: "true", ENVIRONMENT: "development" }),
      `/api/admin/users/${encodeURIComponent(LEADER)}`,
      { method: "DELETE" },
    );
    expect(res.status).toBe(200);
    expect((await meta(accessHeaders(await accessJwt(teamKey)))).status).toBe(403);
  });

  it("makes the emails in ACCESS_ADMINS national admins until the users table says otherwise", async () => {
    const workerEnv = productionEnv({ ACCESS_ADMINS: `truong.phong@bocongan.gov.vn, ${LEADER}` });
    const first = await meta(
      accessHeaders(await accessJwt(teamKey, { email: "Truong.Phong@bocongan.gov.vn" })),
      workerEnv,
    );
    expect(first.status).toBe(200);
    expect(first.body.principal).toEqual({
      email: "truong.phong@bocongan.gov.vn",
      role: "admin",
      scopeUnitCode: null,
      via: "access",
    });
    // A listed email that the table knows keeps the table's role.
    expect((await meta(accessHeaders(await accessJwt(teamKey)), workerEnv)).body.principal.role).toBe("leader");
    expect(
      (await meta(accessHeaders(await accessJwt(teamKey, { email: "truong.phong@bocongan.gov.vn" })))).status,
    ).toBe(403);
  });

  it("keeps the team's keys cached instead of fetching them for every request", async () => {
    await meta(accessHeaders(await accessJwt(teamKey)));
    const before = await jwksFetches();
    for (let i = 0; i < 3; i++) expect((await meta(accessHeaders(await accessJwt(teamKey)))).status).toBe(200);
    expect(await jwksFetches()).toBe(before);
  });

  it("refuses everyone with a clear error when the team's keys cannot be fetched", async () => {
    const res = await callWorker(productionEnv({ ACCESS_JWKS_URL: `${env.TEST_ACCESS_URL}/khong-co` }), "/api/meta", {
      headers: accessHeaders(await accessJwt(teamKey)),
    });
    expect(res.status).toBe(500);
    expect((await errorOf(res)).message).toContain("khóa ký của Cloudflare Access");
  });

  it("answers a clear configuration error when Access is not configured, and still lets nobody in", async () => {
    const res = await callWorker(productionEnv({ ACCESS_AUD: "" }), "/api/meta", {
      headers: accessHeaders(await accessJwt(teamKey)),
    });
    expect(res.status).toBe(500);
    expect((await errorOf(res)).message).toContain("ACCESS_AUD");
  });
});

describe("development mode", () => {
  it("refuses to run in production: every request is an error, nobody becomes admin", async () => {
    const prodWithDev = productionEnv({ DEV_MODE: "true" });
    for (const path of ["/api/health", "/api/meta", "/api/admin/audit", "/api/summary?unit=33&period=2025"]) {
      const res = await callWorker(prodWithDev, path);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: ApiError };
      expect(body.error.message).toContain("DEV_MODE");
      expect(body).not.toHaveProperty("principal");
    }
    const token = await createApiToken("admin", null);
    expect((await callWorker(prodWithDev, "/api/meta", { headers: bearer(token.secret) })).status).toBe(500);
  });

  it("is refused in any environment not named development or test", async () => {
    expect((await callWorker(productionEnv({ DEV_MODE: "true", ENVIRONMENT: "staging" }), "/api/meta")).status).toBe(
      500,
    );
  });

  it("signs a local request in as a national admin marked as development", async () => {
    const { status, body } = await meta({}, productionEnv({ DEV_MODE: "true", ENVIRONMENT: "development" }));
    expect(status).toBe(200);
    expect(body.principal).toMatchObject({ role: "admin", scopeUnitCode: null, via: "development" });
  });

  it("still checks credentials that are presented", async () => {
    const devEnv = productionEnv({ DEV_MODE: "true", ENVIRONMENT: "development" });
    expect((await meta(accessHeaders(await accessJwt(strangerKey)), devEnv)).status).toBe(401);
    expect((await meta(bearer(`antq_${"A".repeat(43)}`), devEnv)).status).toBe(401);
  });
});

describe("changes from another site", () => {
  const fromEvil = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };

  it("are refused when the browser's session would carry them (Access or development mode)", async () => {
    const devEnv = productionEnv({ DEV_MODE: "true", ENVIRONMENT: "development" });
    const post = (headers: Record<string, string>, workerEnv = devEnv) =>
      callWorker(workerEnv, "/api/admin/users", {
        method: "PUT",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ email: "ke.gian@evil.example", role: "admin", scopeUnitCode: null }),
      });
    expect((await post(fromEvil)).status).toBe(403);
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    await saveUser("quantri@hungyen.gov.vn", "admin", null);
    expect(
      (
        await post(
          { ...fromEvil, ...accessHeaders(await accessJwt(teamKey, { email: "quantri@hungyen.gov.vn" })) },
          productionEnv(),
        )
      ).status,
    ).toBe(403);
    const { users } = await ok(clientFor(devEnv).admin.users.$get());
    expect(users.map((u) => u.email)).not.toContain("ke.gian@evil.example");
    // From the dashboard itself, or from a script, the same change goes through.
    expect((await post({ "sec-fetch-site": "same-origin", origin: "http://dashboard.local" })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });

  it("are accepted with an API token, which no browser sends on its own", async () => {
    const token = await createApiToken("admin", null);
    const res = await callWorker(productionEnv(), "/api/admin/tokens", {
      method: "POST",
      headers: { ...fromEvil, ...bearer(token.secret), "content-type": "application/json" },
      body: JSON.stringify({ name: "script", role: "leader", scopeUnitCode: "33" }),
    });
    expect(res.status).toBe(201);
  });
});

describe("security headers", () => {
  it("are on every API answer, errors included", async () => {
    for (const res of [
      await callWorker(productionEnv(), "/api/meta"),
      await callWorker(productionEnv({ DEV_MODE: "true", ENVIRONMENT: "development" }), "/api/meta"),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });
});
