/**
 * The service accounts the Worker reads as (PRODUCT.md §6 “several service accounts”): `GOOGLE_SERVICE_ACCOUNTS`, a
 * JSON array of key files, or the one key of `GOOGLE_SERVICE_ACCOUNT`. Each spreadsheet is read by one account, the
 * same every time: the one rendezvous hashing picks for its id (`rendezvous.mjs`, shared with the Node
 * tooling that shares each sheet with its account). The spreadsheet id, not the source, is hashed because sharing is per file: two registrations of one file are
 * read by one account. Adding an account moves only the sheets it now wins (about 1/n of them), removing one moves
 * only its own, and the order of the keys in the list does not matter.
 */
import { GoogleClient, type GoogleOptions } from "./client";
import { GoogleError } from "./errors";
import { accountIndexFor, sortedEmails } from "./rendezvous.mjs";
import { parseServiceAccount, type ServiceAccount, serviceAccountOf } from "./token";

type AccountsEnv = Pick<
  Env,
  "GOOGLE_SHEETS_URL" | "GOOGLE_DRIVE_URL" | "GOOGLE_TOKEN_URL" | "GOOGLE_SERVICE_ACCOUNT" | "GOOGLE_SERVICE_ACCOUNTS"
>;

const LIST = "GOOGLE_SERVICE_ACCOUNTS";

/**
 * The configured accounts, sorted by email (as `sortedEmails` sorts them); a list that is not JSON, a key without `client_email` or `private_key`,
 * or one account given twice is a configuration error naming the key's position in the list.
 */
function serviceAccountsOf(env: Pick<AccountsEnv, "GOOGLE_SERVICE_ACCOUNT" | "GOOGLE_SERVICE_ACCOUNTS">) {
  const list = env.GOOGLE_SERVICE_ACCOUNTS?.trim();
  if (!list) return [parseServiceAccount(env.GOOGLE_SERVICE_ACCOUNT)];
  const refuse = (why: string) =>
    new GoogleError("config", 0, `Danh sách khóa tài khoản dịch vụ Google (${LIST}): ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(list);
  } catch {
    throw refuse(
      "không phải JSON hợp lệ — cần một mảng JSON các tệp khóa tải từ Google Cloud, [{…khóa 1…}, {…khóa 2…}]",
    );
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw refuse("cần một mảng JSON gồm ít nhất một tệp khóa, [{…khóa 1…}, {…khóa 2…}]");
  const accounts: ServiceAccount[] = [];
  const seen = new Map<string, number>();
  for (const [i, key] of parsed.entries()) {
    const account = serviceAccountOf(key);
    if (!account)
      throw refuse(
        `khóa thứ ${i + 1} thiếu client_email hoặc private_key — dán nguyên tệp khóa JSON tải từ Google Cloud → IAM và quản trị → Tài khoản dịch vụ → Khóa`,
      );
    const email = account.client_email.toLowerCase();
    const first = seen.get(email);
    if (first !== undefined)
      throw refuse(
        `khóa thứ ${i + 1} và khóa thứ ${first} cùng là tài khoản ${account.client_email} — mỗi tài khoản chỉ đưa vào danh sách một lần`,
      );
    seen.set(email, i + 1);
    accounts.push(account);
  }
  const order = sortedEmails(accounts.map((a) => a.client_email));
  return order.map((email) => accounts.find((a) => a.client_email === email) as ServiceAccount);
}

/** The emails of the configured accounts, sorted; null when they are not configured right (the run says why). */
export function accountEmails(env: Pick<AccountsEnv, "GOOGLE_SERVICE_ACCOUNT" | "GOOGLE_SERVICE_ACCOUNTS">) {
  try {
    return serviceAccountsOf(env).map((a) => a.client_email);
  } catch {
    return null;
  }
}

/** The email a sheet must be shared with, or null when the accounts are not configured right. */
export function accountEmailFor(emails: readonly string[] | null, spreadsheetId: string): string | null {
  return emails?.length ? (emails[accountIndexFor(emails, spreadsheetId)] ?? null) : null;
}

/** One Google client per account, each paced on its own; a spreadsheet always gets its own account's client. */
export class GoogleAccounts {
  readonly clients: GoogleClient[];
  /** The accounts' emails, sorted as `clients` is. */
  readonly emails: string[];

  constructor(env: AccountsEnv, options: GoogleOptions = {}) {
    this.clients = serviceAccountsOf(env).map((account) => new GoogleClient(env, { ...options, account }));
    this.emails = this.clients.map((c) => c.email);
  }

  /** The first account's client: what is not about one sheet (waiting, the run's configuration) goes through it. */
  get primary(): GoogleClient {
    return this.clients[0] as GoogleClient;
  }

  /** The position of the account that reads `spreadsheetId` among `clients`. */
  indexFor(spreadsheetId: string): number {
    return accountIndexFor(this.emails, spreadsheetId);
  }

  for(spreadsheetId: string): GoogleClient {
    return this.clients[this.indexFor(spreadsheetId)] as GoogleClient;
  }

  /** Requests sent to Google by every account. */
  get requests(): number {
    return this.clients.reduce((n, c) => n + c.requests, 0);
  }
}
