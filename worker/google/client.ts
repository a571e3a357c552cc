/**
 * The two Google APIs the sync uses, over plain fetch: Drive v3 file metadata and Sheets v4 reads.
 * Base URLs come from the environment, so the same code reads real Google or the local stand-in.
 * 429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After.
 */
import { GoogleError, kindOfStatus } from "./errors";
import { accessToken, parseServiceAccount, type ServiceAccount } from "./token";

export type SpreadsheetMeta = {
  properties: { title: string; locale?: string; timeZone?: string };
  sheets: { properties: { sheetId: number; title: string; index?: number; hidden?: boolean } }[];
};
export type ValueRange = { range: string; majorDimension?: string; values?: unknown[][] };
export type FileVersion = { version: string; modifiedTime: string };

export type GoogleOptions = {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  maxAttempts?: number;
  /** Sheets reads allowed per minute for this service account; 0 turns pacing off (GOOGLE.md "Quotas"). */
  readsPerMinute?: number;
};

/** When the next Sheets read may start, per service account, shared by every client in this isolate. */
const nextReadAt = new Map<string, number>();

const MAX_BACKOFF_MS = 32_000;

export class GoogleClient {
  /** Requests sent to Google (token requests excluded), retries included. */
  requests = 0;
  private readonly account: ServiceAccount;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxAttempts: number;

  constructor(
    private readonly env: Pick<Env, "GOOGLE_SHEETS_URL" | "GOOGLE_DRIVE_URL" | "GOOGLE_TOKEN_URL" | "GOOGLE_SERVICE_ACCOUNT">,
    options: GoogleOptions = {},
  ) {
    this.account = parseServiceAccount(env.GOOGLE_SERVICE_ACCOUNT);
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.readsPerMinute = options.readsPerMinute ?? 55;
  }

  private readonly readsPerMinute: number;

  /** Waits for this read's slot so reads stay under the per-user quota; slots are handed out in call order. */
  private async pace(): Promise<void> {
    if (this.readsPerMinute <= 0) return;
    const interval = 60_000 / this.readsPerMinute;
    const now = this.now();
    const slot = Math.max(now, nextReadAt.get(this.account.client_email) ?? 0);
    nextReadAt.set(this.account.client_email, slot + interval);
    if (slot > now) await this.sleep(slot - now);
  }

  fileVersion(fileId: string): Promise<FileVersion> {
    const url = `${this.env.GOOGLE_DRIVE_URL}/drive/v3/files/${encodeURIComponent(fileId)}?fields=modifiedTime,version&supportsAllDrives=true`;
    return this.get<FileVersion>(url);
  }

  spreadsheet(spreadsheetId: string): Promise<SpreadsheetMeta> {
    const fields = "properties(title,locale,timeZone),sheets.properties(sheetId,title,index,hidden)";
    const url = `${this.env.GOOGLE_SHEETS_URL}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}?fields=${encodeURIComponent(fields)}`;
    return this.get<SpreadsheetMeta>(url, true);
  }

  async batchGet(spreadsheetId: string, ranges: string[]): Promise<ValueRange[]> {
    const query = new URLSearchParams();
    for (const r of ranges) query.append("ranges", r);
    query.set("majorDimension", "ROWS");
    query.set("valueRenderOption", "UNFORMATTED_VALUE");
    query.set("dateTimeRenderOption", "SERIAL_NUMBER");
    const url = `${this.env.GOOGLE_SHEETS_URL}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values:batchGet?${query}`;
    const body = await this.get<{ valueRanges?: ValueRange[] }>(url, true);
    return body.valueRanges ?? [];
  }

  private async get<T>(url: string, sheetsRead = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (sheetsRead) await this.pace();
      const token = await accessToken(this.account, this.env.GOOGLE_TOKEN_URL, this.fetcher, this.now());
      this.requests++;
      let res: Response;
      try {
        res = await this.fetcher(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
      } catch (err) {
        if (attempt >= this.maxAttempts) {
          throw new GoogleError("unavailable", 0, `Không kết nối được tới Google: ${(err as Error).message}`);
        }
        await this.sleep(this.backoff(attempt, null));
        continue;
      }
      if (res.ok) return (await res.json()) as T;
      const kind = kindOfStatus(res.status);
      const message = await googleMessage(res);
      if ((kind === "rate_limited" || kind === "unavailable") && attempt < this.maxAttempts) {
        await this.sleep(this.backoff(attempt, res.headers.get("retry-after")));
        continue;
      }
      throw new GoogleError(kind, res.status, message);
    }
  }

  /** Truncated exponential backoff with full jitter; a Retry-After header sets the floor. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const exp = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1));
    const jittered = exp / 2 + this.random() * (exp / 2);
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    return Number.isFinite(seconds) ? Math.max(seconds * 1000, jittered) : jittered;
  }
}

async function googleMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; status?: string } } | null;
  return body?.error?.message ?? `HTTP ${res.status}`;
}

/** Forgets pacing state (a test that starts over). */
export function resetReadPacing(): void {
  nextReadAt.clear();
}
