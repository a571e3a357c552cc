// @ts-check
/**
 * Google's own Node client (googleapis) for the provisioning tool: a service-account JWT, Sheets v4 and Drive v3,
 * pacing under the per-minute quotas, retries with backoff, and a Vietnamese message for every Google error.
 * `rootUrl`/`tokenUrl` point the same client at the local stand-in.
 */
import { readFile } from "node:fs/promises";
import { google } from "googleapis";

const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"];

/**
 * @typedef {{ keyFile: string, rootUrl?: string, tokenUrl?: string, subject?: string, scopes?: string[],
 *   readsPerMinute?: number, writesPerMinute?: number, retries?: number, retryBaseMs?: number,
 *   log?: (line: string) => void }} ConnectOptions
 * @typedef {"read" | "write" | "drive" | "drive-read"} QuotaKind
 * @typedef {{ email: string, sheets: import("googleapis").sheets_v4.Sheets, drive: import("googleapis").drive_v3.Drive,
 *   call: <T>(kind: QuotaKind, what: string, fn: () => Promise<T>) => Promise<T>, stats: { requests: number, retries: number } }} GoogleApi
 */

/** A message an administrator can act on, with Google's own words kept for support. */
class GoogleToolError extends Error {
  /** @param {string} message @param {number | null} status @param {string} [googleMessage] */
  constructor(message, status, googleMessage) {
    super(googleMessage ? `${message} (Google: ${googleMessage})` : message);
    this.name = "GoogleToolError";
    this.status = status;
  }
}

/**
 * The keys of a key file: one key, or a JSON array of keys (what the Worker's GOOGLE_SERVICE_ACCOUNTS holds).
 * @param {string} keyFile @returns {Promise<{ client_email?: string, private_key?: string }[]>}
 */
export async function readKeys(keyFile) {
  let parsed;
  try {
    parsed = JSON.parse(await readFile(keyFile, "utf8"));
  } catch (err) {
    throw new GoogleToolError(
      `Không đọc được tệp khóa tài khoản dịch vụ ${keyFile}: ${/** @type {Error} */ (err).message}`,
      null,
    );
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * `key`: one key of a key list already read (`readKeys`); otherwise the key file's.
 * @param {ConnectOptions & { key?: { client_email?: string, private_key?: string } }} options @returns {Promise<GoogleApi>}
 */
export async function connect(options) {
  const key = options.key ?? (await readKeys(options.keyFile))[0] ?? {};
  const email = key.client_email ?? "";
  if (!email || !key.private_key)
    throw new GoogleToolError(
      `Tệp ${options.keyFile} không phải khóa JSON của tài khoản dịch vụ (thiếu client_email hoặc private_key)`,
      null,
    );
  const auth = new google.auth.JWT({
    email,
    key: key.private_key,
    scopes: options.scopes ?? SCOPES,
    subject: options.subject,
  });
  const tokenUrl = options.tokenUrl;
  if (tokenUrl && tokenUrl !== GOOGLE_TOKEN_URL) {
    // gtoken posts the signed assertion to Google's fixed token URL through this transporter; only the address
    // changes, the assertion (audience included) is signed exactly as for Google.
    auth.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  const common = { auth, retry: false, ...(options.rootUrl ? { rootUrl: options.rootUrl.replace(/\/?$/, "/") } : {}) };
  const sheets = google.sheets({ version: "v4", ...common });
  const drive = google.drive({ version: "v3", ...common });
  const pacers = {
    read: pacer(options.readsPerMinute ?? 55),
    write: pacer(options.writesPerMinute ?? 55),
    // Drive's per-user limits are far higher; copying and sharing are also throttled by Google, so stay modest.
    drive: pacer(options.writesPerMinute === 0 ? 0 : 120),
    "drive-read": pacer(options.readsPerMinute === 0 ? 0 : 600),
  };
  const stats = { requests: 0, retries: 0 };
  // Enough retries to outlast a full per-minute quota window (waits of 1, 2, 4 … 32 s).
  const tries = Math.max(1, (options.retries ?? 7) + 1);
  const base = options.retryBaseMs ?? 1000;

  /** @type {GoogleApi["call"]} */
  async function call(kind, what, fn) {
    for (let attempt = 1; ; attempt++) {
      await pacers[kind]();
      stats.requests++;
      try {
        return await fn();
      } catch (err) {
        const status = statusOf(err);
        if (attempt >= tries || !retryable(err)) throw explain(err, what, email, attempt);
        stats.retries++;
        const retryAfter = retryAfterMs(err);
        const backoff = Math.min(base * 2 ** (attempt - 1), 32_000);
        const wait = Math.max(retryAfter ?? 0, backoff / 2 + Math.random() * (backoff / 2));
        options.log?.(
          `  Google trả lời ${status ?? "lỗi mạng"} cho “${what}”, thử lại sau ${(wait / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} giây (lần ${attempt}/${tries - 1})`,
        );
        await sleep(wait);
      }
    }
  }
  return { email, sheets, drive, call, stats };
}

/** At most `perMinute` starts a minute, evenly spaced; 0 turns pacing off. @param {number} perMinute */
function pacer(perMinute) {
  let next = 0;
  return async () => {
    if (!perMinute || perMinute <= 0) return;
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + 60_000 / perMinute;
    if (at > now) await sleep(at - now);
  };
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {any} err @returns {number | null} */
function statusOf(err) {
  const s = err?.response?.status ?? err?.status ?? err?.code;
  return typeof s === "number" ? s : Number.isInteger(Number(s)) && String(s).length === 3 ? Number(s) : null;
}

/** @param {any} err */
function reasonOf(err) {
  const e = err?.response?.data?.error;
  return String(e?.errors?.[0]?.reason ?? e?.details?.[0]?.reason ?? e?.status ?? "");
}

/** @param {any} err */
function retryable(err) {
  const status = statusOf(err);
  if (status === 429 || (status !== null && status >= 500)) return true;
  if (status === 403 && /rateLimitExceeded|userRateLimitExceeded|RATE_LIMIT_EXCEEDED/.test(reasonOf(err))) return true;
  return (
    status === null && /ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(String(err?.code ?? err?.message ?? ""))
  );
}

/** @param {any} err @returns {number | null} */
function retryAfterMs(err) {
  const headers = err?.response?.headers;
  const raw = typeof headers?.get === "function" ? headers.get("retry-after") : headers?.["retry-after"];
  if (raw === null || raw === undefined || raw === "") return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, 120_000);
  const date = Date.parse(String(raw));
  return Number.isFinite(date) ? Math.min(Math.max(date - Date.now(), 0), 120_000) : null;
}

/**
 * Every Google failure as a sentence an administrator can act on.
 * @param {any} err @param {string} what @param {string} email @param {number} attempts @returns {GoogleToolError}
 */
export function explain(err, what, email, attempts = 1) {
  if (err instanceof GoogleToolError) return err;
  const status = statusOf(err);
  const data = err?.response?.data;
  const googleMessage = String(
    data?.error?.message ??
      data?.error_description ??
      (typeof data?.error === "string" ? data.error : "") ??
      err?.message ??
      "",
  );
  const reason = reasonOf(err);
  const text = `${googleMessage} ${err?.message ?? ""}`;
  const at = `${what}: `;
  if (/account not found|invalid_client/.test(text)) {
    return new GoogleToolError(
      `${at}Google không còn tài khoản dịch vụ ${email} (đã bị xóa hoặc vô hiệu hóa) — tạo lại hoặc bật lại nó trong Google Cloud → IAM và quản trị → Tài khoản dịch vụ, rồi tải khóa mới`,
      status,
      googleMessage,
    );
  }
  if (/invalid_grant|unauthorized_client/.test(text)) {
    return new GoogleToolError(
      `${at}Google từ chối khóa của tài khoản dịch vụ ${email} — khóa đã bị thu hồi, sai, hoặc đồng hồ máy lệch; tạo khóa mới trong Google Cloud`,
      status,
      googleMessage,
    );
  }
  if (status === null) {
    const code = String(err?.code ?? "");
    return new GoogleToolError(
      `${at}không kết nối được tới Google${code ? ` (${code})` : ""} — kiểm tra mạng hoặc địa chỉ máy chủ`,
      null,
      err?.message,
    );
  }
  if (status === 401)
    return new GoogleToolError(
      `${at}Google không chấp nhận phiên đăng nhập của ${email} (401) — kiểm tra khóa tài khoản dịch vụ`,
      status,
      googleMessage,
    );
  if (status === 403) {
    if (/SERVICE_DISABLED|accessNotConfigured/.test(reason + text)) {
      return new GoogleToolError(
        `${at}dự án Google Cloud chưa bật Google Sheets API hoặc Google Drive API — bật cả hai trong APIs & Services`,
        status,
        googleMessage,
      );
    }
    if (/storageQuotaExceeded|storage quota/i.test(reason + text)) {
      return new GoogleToolError(
        `${at}tài khoản dịch vụ ${email} không có dung lượng Drive — đặt bảng tính trong một Drive dùng chung (--folder) hoặc dùng --subject để thay mặt một người dùng`,
        status,
        googleMessage,
      );
    }
    if (/rateLimitExceeded|userRateLimitExceeded/.test(reason)) {
      return new GoogleToolError(
        `${at}vượt hạn mức của Google sau ${attempts} lần thử — chạy lại sau vài phút (chạy lại an toàn, không tạo trùng)`,
        status,
        googleMessage,
      );
    }
    return new GoogleToolError(
      `${at}${email} không có quyền với tệp này (403) — chia sẻ tệp cho ${email} hoặc kiểm tra quyền`,
      status,
      googleMessage,
    );
  }
  if (status === 404)
    return new GoogleToolError(
      `${at}không tìm thấy tệp (404) — tệp đã bị xóa, sai mã, hoặc chưa được chia sẻ cho ${email}`,
      status,
      googleMessage,
    );
  if (status === 429)
    return new GoogleToolError(
      `${at}vượt hạn mức đọc/ghi của Google sau ${attempts} lần thử — giảm --writes-per-minute/--reads-per-minute hoặc chạy lại sau (chạy lại an toàn, không tạo trùng)`,
      status,
      googleMessage,
    );
  if (status === 400 && /FAILED_PRECONDITION|failedPrecondition/.test(reason)) {
    return new GoogleToolError(
      `${at}tệp là tệp Excel tải lên Drive, chưa phải Google Trang tính — Mở tệp → Tệp → Lưu dưới dạng Google Trang tính, rồi đăng ký đường dẫn mới`,
      status,
      googleMessage,
    );
  }
  if (status === 400) return new GoogleToolError(`${at}Google từ chối yêu cầu (400)`, status, googleMessage);
  if (status >= 500)
    return new GoogleToolError(
      `${at}Google đang lỗi tạm thời (${status}) sau ${attempts} lần thử — chạy lại sau`,
      status,
      googleMessage,
    );
  return new GoogleToolError(`${at}Google trả lời lỗi ${status}`, status, googleMessage);
}
