/**
 * The two Google APIs the sync uses, over plain fetch: Drive v3 file metadata, Sheets v4 reads, and the one Sheets
 * write the sync makes (its check results, when the deployment writes them back).
 * Base URLs come from the environment, so the same code reads real Google or the local stand-in.
 * Rate limits (Sheets' 429, Drive's 403 `userRateLimitExceeded`) and 5xx are retried with exponential backoff and
 * jitter, honouring Retry-After; every other refusal is a `GoogleError` with Google's reason kept.
 */
import { type GoogleApi, GoogleError, type GoogleErrorBody, kindOf, reasonsOf } from "./errors";
import { accessToken, clearTokenCache, parseServiceAccount, type ServiceAccount, scopesFor } from "./token";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
export const SHORTCUT_MIME = "application/vnd.google-apps.shortcut";

export type SpreadsheetMeta = {
  properties: { title: string; locale?: string; timeZone?: string };
  sheets: { properties: { sheetId: number; title: string; index?: number; hidden?: boolean } }[];
};
export type ValueRange = { range: string; majorDimension?: string; values?: unknown[][] };
/** A cell of grid data (GOOGLE.md "One read"): its value as Google computed it, and the text it shows. */
type CellData = {
  effectiveValue?: { numberValue?: number; stringValue?: string; boolValue?: boolean; errorValue?: { type: string } };
  formattedValue?: string;
};
type GridData = { startRow?: number; startColumn?: number; rowData?: { values?: CellData[] }[] };
/** A spreadsheet read in one request: its properties, its tabs, and each tab's cells as rows of values. */
export type SpreadsheetRead = SpreadsheetMeta & { rows: Map<string, unknown[][]> };

/** The one read's mask: the locale, the tabs and their cells (GOOGLE.md "One read"). */
const ONE_READ_FIELDS =
  "properties(title,locale,timeZone),sheets(properties(sheetId,title,index,hidden),data(startRow,startColumn,rowData(values(effectiveValue,formattedValue))))";
export type FileVersion = { version: string; modifiedTime: string };
/** Drive's `files.get` with the fields change detection needs (GOOGLE.md "Endpoints"). */
export type DriveFile = FileVersion & {
  mimeType: string;
  trashed?: boolean;
  shortcutDetails?: { targetId: string; targetMimeType?: string };
  /** Asked only when the sync writes back: whether the service account may edit the file. */
  capabilities?: { canEdit?: boolean };
  /** Who edited last (GOOGLE.md "One read"): the email is left out when that user hides it from the caller. */
  lastModifyingUser?: { displayName?: string; emailAddress?: string };
};

export type GoogleOptions = {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  maxAttempts?: number;
  /** Sheets reads allowed per minute for this service account; 0 turns pacing off (GOOGLE.md "Quotas"). */
  readsPerMinute?: number;
  /** Sheets reads allowed per minute for the account's Cloud project, all its accounts together; 0 = no limit. */
  projectReadsPerMinute?: number;
  /** Sheets writes allowed per minute (Google: 60 per user); 0 turns pacing off. */
  writesPerMinute?: number;
  /** Ask for the write scope and for Drive's `capabilities`: the sync writes its check results back. */
  writes?: boolean;
  /** The service account this client calls as; by default the one of `GOOGLE_SERVICE_ACCOUNT`. */
  account?: ServiceAccount;
};

/**
 * When the Sheets reads and writes of the last minute went out, per service account, and the reads per Cloud project,
 * shared by every client in this isolate. One isolate reads at a time: the sync Queue has one consumer, and the cron
 * and a manual sync start no run while one is running (README, “Pacing”).
 */
const accountReads = new Map<string, number[]>();
const accountWrites = new Map<string, number[]>();
const projectReads = new Map<string, number[]>();

const MINUTE = 60_000;

/**
 * Whether this isolate knows what was sent before it. A new isolate does not: the one before it (the previous Queue
 * batch's, or a request's) may have used the minute to the full, so the first time it paces a key it assumes so.
 */
let historyKnown = false;

/**
 * The times of `key`'s requests in the minute before `now`, oldest first (older ones forgotten). A key this isolate
 * has not paced yet is taken to have sent `limit` in the last minute, evenly: its requests then go on at the limit,
 * never on top of what another isolate just sent.
 */
function lastMinute(sent: Map<string, number[]>, key: string, now: number, limit: number): number[] {
  const before =
    sent.get(key) ??
    (historyKnown ? [] : Array.from({ length: limit }, (_, i) => now - ((limit - 1 - i) * MINUTE) / limit));
  const times = before.filter((t) => t > now - MINUTE);
  sent.set(key, times);
  return times;
}

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
    private readonly env: Pick<
      Env,
      "GOOGLE_SHEETS_URL" | "GOOGLE_DRIVE_URL" | "GOOGLE_TOKEN_URL" | "GOOGLE_SERVICE_ACCOUNT"
    >,
    options: GoogleOptions = {},
  ) {
    this.account = options.account ?? parseServiceAccount(env.GOOGLE_SERVICE_ACCOUNT);
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.readsPerMinute = options.readsPerMinute ?? 55;
    this.projectReadsPerMinute = options.projectReadsPerMinute ?? 0;
    this.writesPerMinute = options.writesPerMinute ?? 55;
    this.writes = options.writes ?? false;
    this.scopes = scopesFor(this.writes);
  }

  private readonly readsPerMinute: number;
  private readonly projectReadsPerMinute: number;
  private readonly writesPerMinute: number;
  /** Whether this client asks for the write scope (and Drive's `capabilities`). */
  readonly writes: boolean;
  private readonly scopes: string[];

  /**
   * Waits until this request may go: its account has sent fewer than `perMinute` in the last 60 s and its project
   * fewer than `projectPerMinute`, so no clock minute, the one Google counts in, holds more. A project's reads may go
   * up to twice as close as its average gap, so a moment without reads, between two Queue batches, is made up for
   * within the minute, where reads spread evenly would have lost it.
   */
  private async pace(sent: Map<string, number[]>, perMinute: number, projectPerMinute = 0): Promise<void> {
    if (perMinute <= 0 && projectPerMinute <= 0) return;
    const own = this.account.client_email;
    for (;;) {
      const now = this.now();
      const mine = lastMinute(sent, own, now, perMinute);
      const project = projectPerMinute > 0 ? lastMinute(projectReads, this.project, now, projectPerMinute) : [];
      let at = now;
      if (perMinute > 0 && mine.length >= perMinute) at = Math.max(at, (mine[mine.length - perMinute] ?? 0) + MINUTE);
      if (projectPerMinute > 0) {
        if (project.length >= projectPerMinute)
          at = Math.max(at, (project[project.length - projectPerMinute] ?? 0) + MINUTE);
        at = Math.max(at, (project.at(-1) ?? -MINUTE) + MINUTE / projectPerMinute / 2);
      }
      if (at <= now) {
        mine.push(now);
        if (projectPerMinute > 0) project.push(now);
        return;
      }
      await this.sleep(at - now);
    }
  }

  /** The Cloud project the account's reads count against: the key's `project_id`, else the email's domain. */
  private get project(): string {
    return this.account.project_id ?? this.account.client_email.split("@")[1] ?? "";
  }

  /** The service account's email: what a commune shares its sheet with. */
  get email(): string {
    return this.account.client_email;
  }

  /** The Cloud project of the key, when the key file names it. */
  get projectId(): string | null {
    return this.account.project_id ?? null;
  }

  /** Waits as the client's retries wait (a test's clock never sleeps for real). */
  wait(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  file(fileId: string): Promise<DriveFile> {
    const fields = `mimeType,modifiedTime,version,trashed,shortcutDetails,lastModifyingUser(displayName,emailAddress)${this.writes ? ",capabilities(canEdit)" : ""}`;
    const url = `${this.env.GOOGLE_DRIVE_URL}/drive/v3/files/${encodeURIComponent(fileId)}?fields=${encodeURIComponent(fields)}&supportsAllDrives=true`;
    return this.get<DriveFile>(url, "drive");
  }

  spreadsheet(
    spreadsheetId: string,
    fields = "properties(title,locale,timeZone),sheets.properties(sheetId,title,index,hidden)",
  ): Promise<SpreadsheetMeta> {
    const url = `${this.env.GOOGLE_SHEETS_URL}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}?fields=${encodeURIComponent(fields)}`;
    return this.get<SpreadsheetMeta>(url, "sheets");
  }

  /**
   * The spreadsheet's properties, tabs and every tab's cells in one Sheets read (`spreadsheets.get` with a `fields`
   * mask), the cells as `values:batchGet` with UNFORMATTED_VALUE gives them: numbers, booleans, text, a failed
   * formula as its error text (`#REF!`), ragged rows from A1.
   */
  async read(spreadsheetId: string): Promise<SpreadsheetRead> {
    const body = await this.spreadsheet(spreadsheetId, ONE_READ_FIELDS);
    const sheets = (body.sheets ?? []) as (SpreadsheetMeta["sheets"][number] & { data?: GridData[] })[];
    const rows = new Map(sheets.map((s) => [s.properties.title, rowsOf(s.data ?? [])]));
    return {
      properties: body.properties,
      sheets: sheets.map((s) => ({ properties: s.properties })),
      rows,
    };
  }

  async batchGet(spreadsheetId: string, ranges: string[]): Promise<ValueRange[]> {
    const query = new URLSearchParams();
    for (const r of ranges) query.append("ranges", r);
    query.set("majorDimension", "ROWS");
    query.set("valueRenderOption", "UNFORMATTED_VALUE");
    query.set("dateTimeRenderOption", "SERIAL_NUMBER");
    const url = `${this.env.GOOGLE_SHEETS_URL}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values:batchGet?${query}`;
    const body = await this.get<{ valueRanges?: ValueRange[] }>(url, "sheets");
    return body.valueRanges ?? [];
  }

  /** Sheets' `spreadsheets.batchUpdate`: the requests applied together, or none of them. */
  async batchUpdate(spreadsheetId: string, requests: unknown[]): Promise<{ replies?: unknown[] }> {
    const url = `${this.env.GOOGLE_SHEETS_URL}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}:batchUpdate`;
    return this.get(url, "sheets", { requests });
  }

  /** A GET, or a POST of `body` (a write, paced under the write quota); retried alike. */
  private async get<T>(url: string, api: GoogleApi, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (body !== undefined) await this.pace(accountWrites, this.writesPerMinute);
      else if (api === "sheets") await this.pace(accountReads, this.readsPerMinute, this.projectReadsPerMinute);
      let res: Response;
      try {
        const token = await accessToken(this.account, this.env.GOOGLE_TOKEN_URL, this.fetcher, this.now(), this.scopes);
        this.requests++;
        const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
        res = await this.fetcher(
          url,
          body === undefined
            ? { headers }
            : {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify(body),
              },
        );
      } catch (err) {
        const transient = !(err instanceof GoogleError) || err.kind === "unavailable";
        if (!transient) throw err;
        if (attempt >= this.maxAttempts) {
          throw err instanceof GoogleError
            ? err
            : new GoogleError("unavailable", 0, `Không kết nối được tới Google: ${(err as Error).message}`, null, api);
        }
        await this.sleep(this.backoff(attempt, null));
        continue;
      }
      if (res.ok) return (await res.json()) as T;
      const answer = (await res.json().catch(() => null)) as GoogleErrorBody | null;
      const reasons = reasonsOf(answer);
      const kind = kindOf(res.status, reasons);
      const message = answer?.error?.message ?? `HTTP ${res.status}`;
      const retry = kind === "rate_limited" || kind === "unavailable" || (kind === "unauthenticated" && attempt === 1);
      if (retry && attempt < this.maxAttempts) {
        // A 401 with a token thought valid: it was revoked or expired early; one new token, then it is an error.
        if (kind === "unauthenticated") clearTokenCache();
        else await this.sleep(this.backoff(attempt, res.headers.get("retry-after")));
        continue;
      }
      throw new GoogleError(kind, res.status, message, reasons[0] ?? null, api);
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

/** A cell's value as UNFORMATTED_VALUE gives it; "" for an empty cell. */
function cellValue(cell: CellData): unknown {
  const v = cell.effectiveValue;
  if (!v) return "";
  if (v.numberValue !== undefined) return v.numberValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.stringValue !== undefined) return v.stringValue;
  // A formula that failed: its error text, as UNFORMATTED_VALUE gives it (GOOGLE.md "Values").
  if (v.errorValue) return cell.formattedValue ?? (v.errorValue.type === "LOADING" ? "Loading..." : "#ERROR!");
  return "";
}

/** A tab's grid data as rows from A1: trailing empty cells and rows trimmed. */
function rowsOf(data: GridData[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const block of data) {
    const r0 = block.startRow ?? 0;
    const c0 = block.startColumn ?? 0;
    for (const [i, row] of (block.rowData ?? []).entries()) {
      const cells = row.values ?? [];
      if (!cells.length) continue;
      const target = rows[r0 + i] ?? [];
      for (const [j, cell] of cells.entries()) target[c0 + j] = cellValue(cell);
      rows[r0 + i] = target;
    }
  }
  const out = Array.from(rows, (row) => {
    const filled = Array.from(row ?? [], (v) => (v === undefined ? "" : v));
    while (filled.length && filled[filled.length - 1] === "") filled.pop();
    return filled;
  });
  while (out.length && out[out.length - 1]?.length === 0) out.pop();
  return out;
}

/**
 * Forgets pacing state, as a test starts over: with nothing sent before it ("empty"), or as a new isolate that does
 * not know what the one before it sent ("unknown").
 */
export function resetReadPacing(history: "empty" | "unknown" = "empty"): void {
  accountReads.clear();
  accountWrites.clear();
  projectReads.clear();
  historyKnown = history === "empty";
}
