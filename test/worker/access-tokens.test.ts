/** API tokens for scripts: made and revoked by admins, shown once, stored hashed, limited to a role and a scope. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { bearer, callWorker, clientFor, createApiToken, productionEnv } from "./access-helpers";
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

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const listTokens = async () => (await ok(client.admin.tokens.$get())).tokens;

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

beforeEach(async () => {
  await resetDatabase();
  await seedReference();
});

describe("API tokens", () => {
  it("shows the secret once, stores only its SHA-256, and never lists it again", async () => {
    const { id, secret } = await createApiToken("leader", "33", "báo cáo tỉnh");
    expect(secret).toMatch(/^antq_[A-Za-z0-9_-]{43}$/);
    const stored = await env.DB.prepare("SELECT hash FROM api_tokens WHERE id = ?").bind(id).first<{ hash: string }>();
    expect(stored!.hash).toBe(await sha256Hex(secret));
    const listing = await (await api("/api/admin/tokens")).text();
    expect(listing).toContain("báo cáo tỉnh");
    expect(listing).not.toContain(secret);
    expect(listing).not.toContain(stored!.hash);
    const audit = await (await api("/api/admin/audit")).text();
    expect(audit).toContain("token.create");
    expect(audit).not.toContain(secret);
  });

  it("signs a script in with the token's role and scope under the production configuration, and records its last use", async () => {
    const { id, secret } = await createApiToken("commune", "12745", "xã Bắc Đông Quan");
    const res = await clientFor(productionEnv(), bearer(secret)).meta.$get();
    expect(res.status).toBe(200);
    expect((await res.json()).principal).toMatchObject({
      role: "commune",
      scopeUnitCode: "12745",
      via: "token",
    });
    const used = (await listTokens()).find((t) => t.id === id);
    expect(Date.parse(used!.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("expires after 90 days unless told otherwise, and is then refused like a revoked one", async () => {
    const { id, secret } = await createApiToken("leader", "33");
    const made = (await listTokens()).find((t) => t.id === id)!;
    const days = (Date.parse(made.expiresAt!) - Date.parse(made.createdAt)) / 86400_000;
    expect(days).toBeCloseTo(90, 5);
    expect((await callWorker(productionEnv(), "/api/meta", { headers: bearer(secret) })).status).toBe(200);
    // Ninety days later.
    await env.DB.prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();
    expect((await callWorker(productionEnv(), "/api/meta", { headers: bearer(secret) })).status).toBe(401);

    const dated = await ok(
      client.admin.tokens.$post({
        json: { name: "có hạn", role: "leader", scopeUnitCode: "33", expiresAt: "2099-03-01" },
      }),
    );
    expect(dated.token.expiresAt).toBe("2099-03-01T16:59:59.999Z");
    const forever = await ok(
      client.admin.tokens.$post({ json: { name: "không hạn", role: "leader", scopeUnitCode: "33", expiresAt: null } }),
    );
    expect(forever.token.expiresAt).toBeNull();
    const past = await api(
      "/api/admin/tokens",
      json("POST", { name: "đã qua", role: "leader", scopeUnitCode: "33", expiresAt: "2020-01-01" }),
    );
    expect(past.status).toBe(400);
    expect(await errorOf(past)).toMatchObject({
      field: "expiresAt",
      message: expect.stringContaining("đã qua"),
    });
  });

  it("stops working as soon as it is revoked", async () => {
    const { id, secret } = await createApiToken("leader", "33");
    expect((await callWorker(productionEnv(), "/api/meta", { headers: bearer(secret) })).status).toBe(200);
    expect((await api(`/api/admin/tokens/${id}`, { method: "DELETE" })).status).toBe(200);
    const res = await callWorker(productionEnv(), "/api/meta", { headers: bearer(secret) });
    expect(res.status).toBe(401);
    expect((await api("/api/meta", { headers: bearer(secret) })).status).toBe(401);
    const { entries } = await ok(client.admin.audit.$get({ query: {} }));
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["token.create", "token.revoke"]));
  });

  it("refuses a malformed Authorization header or an unknown secret", async () => {
    for (const authorization of [
      "Bearer",
      "Basic YWRtaW46YWRtaW4=",
      "Bearer antq_short",
      `Bearer antq_${"x".repeat(43)}`,
    ]) {
      expect((await callWorker(productionEnv(), "/api/meta", { headers: { authorization } })).status).toBe(401);
    }
  });

  it("gives a role only the scope that fits it, the refusal naming the field a form shows it beside", async () => {
    const bad = [
      { name: "a", role: "admin", scopeUnitCode: "12745" },
      { name: "b", role: "commune", scopeUnitCode: null },
      { name: "c", role: "commune", scopeUnitCode: "33" },
      { name: "d", role: "leader", scopeUnitCode: "12745" },
      { name: "e", role: "leader", scopeUnitCode: "99" },
      { name: "f", role: "owner", scopeUnitCode: null },
    ];
    const fields = [];
    for (const body of bad) {
      const res = await api("/api/admin/tokens", json("POST", body));
      fields.push(`${res.status} ${(await errorOf(res)).field}`);
    }
    expect(fields).toEqual([...Array(5).fill("400 scopeUnitCode"), "400 role"]);
    expect(
      (await api("/api/admin/tokens", json("POST", { name: "g", role: "leader", scopeUnitCode: null }))).status,
    ).toBe(201);
    // An administrator is national or of one province.
    expect(
      (await api("/api/admin/tokens", json("POST", { name: "h", role: "admin", scopeUnitCode: "33" }))).status,
    ).toBe(201);
  });

  it("cannot be made, listed or revoked except by an admin", async () => {
    const leader = await createApiToken("leader", "33");
    const admin = await createApiToken("admin", null);
    const asLeader = (path: string, init: RequestInit = {}) =>
      callWorker(productionEnv(), path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), ...bearer(leader.secret) },
      });
    expect((await asLeader("/api/admin/tokens")).status).toBe(403);
    expect(
      (await asLeader("/api/admin/tokens", json("POST", { name: "x", role: "admin", scopeUnitCode: null }))).status,
    ).toBe(403);
    expect((await asLeader(`/api/admin/tokens/${admin.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await asLeader("/api/admin/users")).status).toBe(403);
    expect((await asLeader("/api/admin/audit")).status).toBe(403);
    expect((await callWorker(productionEnv(), "/api/meta", { headers: bearer(admin.secret) })).status).toBe(200);
  });

  it("is limited in how many requests it may send a minute", async () => {
    const { secret } = await createApiToken("leader", "33");
    let limited: Response | undefined;
    // 300 a minute in fixed windows: a run that straddles a window's end may need up to twice that to meet the limit.
    for (let i = 0; i < 650 && !limited; i++) {
      const res = await callWorker(productionEnv(), "/api/nothing-here", { headers: bearer(secret) });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(404);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("users", () => {
  it("are saved and disabled by admins, each change in the audit log", async () => {
    expect(
      (
        await api(
          "/api/admin/users",
          json("PUT", { email: "Xa.BacDongQuan@HungYen.gov.vn", role: "commune", scopeUnitCode: "12745" }),
        )
      ).status,
    ).toBe(200);
    const { users } = await ok(client.admin.users.$get());
    expect(users).toEqual([
      expect.objectContaining({
        email: "xa.bacdongquan@hungyen.gov.vn",
        role: "commune",
        scopeUnitCode: "12745",
        disabledAt: null,
      }),
    ]);
    expect(
      (await api(`/api/admin/users/${encodeURIComponent("xa.bacdongquan@hungyen.gov.vn")}`, { method: "DELETE" }))
        .status,
    ).toBe(200);
    expect((await ok(client.admin.users.$get())).users[0]!.disabledAt).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
    const { entries } = await ok(client.admin.audit.$get({ query: {} }));
    expect(entries.slice(0, 2)).toEqual([
      expect.objectContaining({
        actor: "dev@localhost",
        action: "user.disable",
        target: "xa.bacdongquan@hungyen.gov.vn",
      }),
      expect.objectContaining({
        actor: "dev@localhost",
        action: "user.save",
        target: "xa.bacdongquan@hungyen.gov.vn",
        detail: { role: "commune", scopeUnitCode: "12745" },
      }),
    ]);
  });
});

describe("secrets", () => {
  it("never come back in any answer: not the Google key, not a token's secret or hash", async () => {
    const key = JSON.parse(env.GOOGLE_SERVICE_ACCOUNT!).private_key as string;
    const keyBody = key.split("\n").find((line) => line.length > 40 && !line.startsWith("-----"))!;
    const { id, secret } = await createApiToken("admin", null);
    const { hash } = (await env.DB.prepare("SELECT hash FROM api_tokens WHERE id = ?")
      .bind(id)
      .first<{ hash: string }>())!;
    await putSheet(
      "secrets-bac-dong-quan",
      formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]),
    );
    await registerSources("unit_code,sheet,tab,layout\n12745,secrets-bac-dong-quan,,form\n");
    const answers = [JSON.stringify(await syncNow())];
    for (const path of [
      "/api/health",
      "/api/meta",
      "/api/sync/runs",
      "/api/sources",
      "/api/admin/audit",
      "/api/admin/tokens",
      "/api/admin/users",
      "/api/summary?unit=33&period=2025",
    ]) {
      answers.push(await (await callWorker(productionEnv(), path, { headers: bearer(secret) })).text());
    }
    for (const answer of answers) {
      expect(answer).not.toContain(keyBody);
      expect(answer).not.toContain("PRIVATE KEY");
      expect(answer).not.toContain(secret);
      expect(answer).not.toContain(hash);
    }
  });
});
