// @ts-check
/**
 * The OAuth token endpoint (GOOGLE.md "Token"): the JWT-bearer grant of a service account, and the sessions its
 * access tokens open for the API routes.
 */
import { createPublicKey, createVerify, randomBytes } from "node:crypto";
import { readBody } from "./http.mjs";

const TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

/** @typedef {{ email: string, expires: number, scopes: string[] }} Session */

/**
 * `POST /token`: the assertion's RS256 signature must verify against the service account's public key (any
 * well-formed assertion passes when the stand-in was given no accounts).
 * @param {import("./http.mjs").Context} ctx
 */
export async function token({ req, send, standin }) {
  const form = new URLSearchParams(await readBody(req));
  const deny = (/** @type {string} */ description) =>
    send(400, { error: "invalid_grant", error_description: description });
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return send(400, {
      error: "unsupported_grant_type",
      error_description: `Invalid grant_type: ${form.get("grant_type")}`,
    });
  }
  const parts = (form.get("assertion") ?? "").split(".");
  if (parts.length !== 3) return deny("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
  const [h = "", c = "", s = ""] = parts;
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
  } catch {
    return deny("Invalid JWT: could not decode");
  }
  if (header.alg !== "RS256") return deny("Invalid JWT signature algorithm.");
  const email = String(claims.iss ?? "");
  const accounts = standin.accounts;
  const pem = accounts[email];
  if (Object.keys(accounts).length > 0) {
    // A key of a service account that was deleted (or never existed) names an account Google does not know.
    if (!pem) return deny("Invalid grant: account not found");
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${h}.${c}`);
    if (!verifier.verify(createPublicKey(pem), Buffer.from(s, "base64url"))) return deny("Invalid JWT Signature.");
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== TOKEN_AUDIENCE) return deny(`Invalid JWT: audience is not ${TOKEN_AUDIENCE}`);
  if (
    typeof claims.iat !== "number" ||
    typeof claims.exp !== "number" ||
    claims.exp <= now - 30 ||
    claims.exp - claims.iat > 3600 ||
    claims.iat > now + 300
  ) {
    return deny(
      "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
    );
  }
  if (typeof claims.scope !== "string" || !claims.scope.includes("spreadsheets"))
    return deny("Invalid JWT: missing scope");
  const accessToken = `ya29.standin-${randomBytes(24).toString("base64url")}`;
  standin.tokens.set(accessToken, { email, expires: Date.now() + 3599_000, scopes: claims.scope.split(" ") });
  send(200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
}

/** The live session of the request's bearer token, if it has one. @param {import("./http.mjs").Context} ctx @returns {Session | null} */
export function sessionOf({ req, standin }) {
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  const session = auth ? standin.tokens.get(auth[1] ?? "") : undefined;
  return session && session.expires >= Date.now() ? session : null;
}
