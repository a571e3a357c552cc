/** Helpers for the access tests: the Worker under a production configuration, Access JWTs, API tokens. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { hc, type InferRequestType } from "hono/client";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { AppType } from "../../worker/app";
import worker from "../../worker/index";
import { client, ok, UNITS_CSV } from "./helpers";

/** Hưng Yên (33) as in helpers, and a made-up Lâm Giang (98) with two wards: the other province. */
export const TWO_PROVINCES = `${UNITS_CSV}98,Lâm Giang,Tỉnh Lâm Giang,province,,lam_giang
98001,Tân An,Phường Tân An,ward,98,tan_an
98002,Tân Bình,Phường Tân Bình,ward,98,tan_binh
`;

const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

/** The Worker's configuration in production, with Access pointed at the test team domain. */
export function productionEnv(overrides: Partial<Env> = {}): Env {
  return {
    ...env,
    ENVIRONMENT: "production",
    DEV_MODE: "false",
    ACCESS_TEAM_DOMAIN: env.TEST_ACCESS_URL,
    ACCESS_AUD: AUD,
    ...overrides,
  };
}

/** One request through the Worker's own fetch handler with the given bindings and vars. */
export async function callWorker(workerEnv: Env, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://dashboard.local${path}`, init) as Request<unknown, IncomingRequestCfProperties>,
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** The typed client through the Worker's fetch handler with the given bindings and vars, sending these headers. */
export function clientFor(workerEnv: Env, headers: Record<string, string> = {}) {
  return hc<AppType>("http://dashboard.local", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      return callWorker(workerEnv, url.pathname + url.search, init);
    },
    headers,
  }).api;
}

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

/** Publishes these keys as the team's JWKS. */
export async function publishKeys(keys: SigningKey[]): Promise<void> {
  const res = await fetch(`${env.TEST_ACCESS_URL}/__keys`, {
    method: "PUT",
    body: JSON.stringify({ keys: keys.map((k) => k.publicJwk) }),
  });
  if (!res.ok) throw new Error(`publish keys → ${res.status}`);
}

export async function jwksFetches(): Promise<number> {
  return ((await (await fetch(`${env.TEST_ACCESS_URL}/__fetches`)).json()) as { fetches: number }).fetches;
}

type Claims = { email?: string; aud?: string; iss?: string; exp?: number | null; nbf?: number; iat?: number };

/** An Access JWT as Cloudflare issues it; each claim can be overridden to forge a bad one. */
export async function accessJwt(key: SigningKey, claims: Claims = {}, kid = key.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    email: claims.email ?? "lanhdao@hungyen.gov.vn",
    type: "app",
    identity_nonce: "nonce",
    sub: "7335d417-61da-459d-899c-0a01c76a2f94",
    country: "VN",
  };
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .setAudience(claims.aud ?? AUD)
    .setIssuer(claims.iss ?? env.TEST_ACCESS_URL)
    .setIssuedAt(claims.iat ?? now);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? now + 3600);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key.privateKey);
}

export const accessHeaders = (jwt: string) => ({ "cf-access-jwt-assertion": jwt });
export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

export type Role = InferRequestType<typeof client.admin.tokens.$post>["json"]["role"];

/** A token made by the (development-mode) admin through the API; returns the secret shown once. */
export async function createApiToken(
  role: Role,
  scopeUnitCode: string | null,
  name = `${role}-${scopeUnitCode ?? "vn"}`,
) {
  const { token, secret } = await ok(client.admin.tokens.$post({ json: { name, role, scopeUnitCode } }));
  return { id: token.id, secret };
}

export async function saveUser(email: string, role: Role, scopeUnitCode: string | null): Promise<void> {
  await ok(client.admin.users.$put({ json: { email, role, scopeUnitCode } }));
}
