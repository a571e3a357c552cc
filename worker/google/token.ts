/**
 * Service-account access tokens: an RS256 JWT signed with WebCrypto, exchanged at the token endpoint,
 * cached until a minute before it expires (GOOGLE.md "Service-account JWT").
 */
import { GoogleError } from "./errors";

export type ServiceAccount = { client_email: string; private_key: string; project_id?: string };

/** Reading only; writing the check results into the communes' sheets needs Sheets' full scope (GOOGLE.md). */
const READ_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets.readonly",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
];
const WRITE_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
];
export const scopesFor = (writes: boolean) => (writes ? WRITE_SCOPES : READ_SCOPES);

/** Reads the key file kept as a secret; a key pasted with `\n` escaped is turned back into lines. */
export function parseServiceAccount(secret: string | undefined): ServiceAccount {
  if (!secret)
    throw new GoogleError("config", 0, "Chưa cấu hình khóa tài khoản dịch vụ Google (GOOGLE_SERVICE_ACCOUNT)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new GoogleError("config", 0, "Khóa tài khoản dịch vụ Google (GOOGLE_SERVICE_ACCOUNT) không phải JSON hợp lệ");
  }
  const account = serviceAccountOf(parsed);
  if (!account) throw new GoogleError("config", 0, "Khóa tài khoản dịch vụ Google thiếu client_email hoặc private_key");
  return account;
}

/** A parsed key file as the service account it holds, or null when it lacks `client_email` or a `private_key`. */
export function serviceAccountOf(parsed: unknown): ServiceAccount | null {
  const { client_email, private_key, project_id } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof client_email !== "string" || !client_email.includes("@")) return null;
  if (typeof private_key !== "string" || !private_key.includes("PRIVATE KEY")) return null;
  const project = typeof project_id === "string" && project_id ? { project_id } : {};
  return { client_email, private_key: private_key.replace(/\\n/g, "\n"), ...project };
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const encodeJson = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

async function importKey(pem: string): Promise<CryptoKey> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(body), (ch) => ch.charCodeAt(0));
    return await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  } catch {
    throw new GoogleError("config", 0, "Không đọc được private_key của tài khoản dịch vụ Google (cần khóa PKCS#8 PEM)");
  }
}

async function signAssertion(
  account: ServiceAccount,
  audience: string,
  nowMs: number,
  scopes: string[],
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const unsigned = `${encodeJson({ alg: "RS256", typ: "JWT" })}.${encodeJson({
    iss: account.client_email,
    scope: scopes.join(" "),
    aud: audience,
    iat,
    exp: iat + 3600,
  })}`;
  const key = await importKey(account.private_key);
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(unsigned));
  return `${unsigned}.${base64url(new Uint8Array(signature))}`;
}

type CachedToken = { token: string; expiresAt: number };
const cache = new Map<string, CachedToken>();

export async function accessToken(
  account: ServiceAccount,
  tokenUrl: string,
  fetcher: typeof fetch,
  nowMs: number,
  scopes: string[] = READ_SCOPES,
): Promise<string> {
  const key = `${tokenUrl} ${account.client_email} ${scopes.join(" ")}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt - 60_000 > nowMs) return hit.token;
  const assertion = await signAssertion(account, "https://oauth2.googleapis.com/token", nowMs, scopes);
  const res = await fetcher(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== "string") throw tokenRefusal(account, res.status, body);
  const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 3600;
  cache.set(key, { token: body.access_token, expiresAt: nowMs + expiresIn * 1000 });
  return body.access_token;
}

/** Forgets cached tokens (a rotated key, or a test that starts over). */
export function clearTokenCache(): void {
  cache.clear();
}

/**
 * What the token endpoint's refusal means for an administrator (GOOGLE.md "Token endpoint"): a key Google does not
 * hold, a clock too far off, a service account that no longer exists. A 5xx is Google being down, not the key.
 */
function tokenRefusal(account: ServiceAccount, status: number, body: Record<string, unknown>): GoogleError {
  const error = typeof body.error === "string" ? body.error : "";
  const description = typeof body.error_description === "string" ? body.error_description : `HTTP ${status}`;
  const google = ` (Google: ${[error, description].filter(Boolean).join(": ")})`;
  if (status >= 500 || status === 429) {
    return new GoogleError(
      "unavailable",
      status,
      `Máy chủ cấp quyền của Google tạm thời không trả lời${google}`,
      error || null,
      "token",
    );
  }
  const who = `tài khoản dịch vụ ${account.client_email}`;
  let message: string;
  if (error === "invalid_client" || /account not found|deleted|disabled/i.test(description)) {
    message = `Google không còn ${who} (đã bị xóa hoặc vô hiệu hóa): vào Google Cloud → IAM và quản trị → Tài khoản dịch vụ, tạo lại hoặc bật lại tài khoản, chia sẻ lại các bảng tính với email của nó và lưu khóa mới vào GOOGLE_SERVICE_ACCOUNT`;
  } else if (/timeframe|iat|exp/i.test(description)) {
    message = `Google từ chối chữ ký của ${who} vì sai lệch thời gian: đồng hồ của máy chạy Worker lệch quá vài phút so với Google — kiểm tra giờ hệ thống rồi đồng bộ lại`;
  } else {
    message = `Google từ chối khóa của ${who} (khóa sai, đã bị thu hồi hoặc thuộc tài khoản khác): tạo khóa JSON mới ở Google Cloud → IAM và quản trị → Tài khoản dịch vụ → Khóa, rồi lưu bằng “wrangler secret put GOOGLE_SERVICE_ACCOUNT”`;
  }
  return new GoogleError("config", status, message + google, error || null, "token");
}
