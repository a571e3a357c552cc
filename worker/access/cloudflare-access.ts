/**
 * Cloudflare Access in production: the `Cf-Access-Jwt-Assertion` header is an RS256 JWT signed by the team's keys.
 * @see https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
 */
import { createRemoteJWKSet, jwtVerify } from "jose";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Optional: where the Access keys are fetched from instead of `<team domain>/cdn-cgi/access/certs`. */
      ACCESS_JWKS_URL?: string;
    }
  }
}

export type AccessConfig = { issuer: string; audience: string[]; jwksUrl: string };

/** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * `ACCESS_TEAM_DOMAIN` is `<team>.cloudflareaccess.com` (or the same as a URL); the issuer is its origin and the keys
 * are at its `/cdn-cgi/access/certs`. `ACCESS_JWKS_URL` only moves the key endpoint (a test server, a self-hosted
 * mirror); the checks stay the same.
 */
export function accessConfig(env: Env): AccessConfig | null {
  const team = env.ACCESS_TEAM_DOMAIN?.trim();
  const audience = (env.ACCESS_AUD ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  if (!team || !audience.length) return null;
  const issuer = new URL(team.includes("://") ? team : `https://${team}`).origin;
  const jwksUrl = env.ACCESS_JWKS_URL?.trim() || `${issuer}/cdn-cgi/access/certs`;
  return { issuer, audience, jwksUrl };
}

// One key set per isolate and URL: jose caches the keys and refetches (at most every 30 s) when a kid is unknown.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string) {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
    });
    keySets.set(url, keys);
  }
  return keys;
}

/** The signed-in email, or throws (any jose error) when the token is not one Access issued for this application. */
export async function verifyAccessJwt(token: string, config: AccessConfig): Promise<string | null> {
  const { payload } = await jwtVerify(token, keySet(config.jwksUrl), {
    algorithms: ["RS256"],
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ["exp"],
  });
  // Service tokens carry `common_name` and no email: they have no user, so no role.
  return typeof payload.email === "string" && payload.email.includes("@") ? payload.email.trim().toLowerCase() : null;
}
