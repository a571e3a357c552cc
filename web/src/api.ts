/**
 * One function per API endpoint (PRODUCT.md §9); a bad status throws with the server's Vietnamese message.
 * Every GET is conditional: the last body of each URL is kept with its ETag and sent back as If-None-Match,
 * so polling for new figures downloads nothing when nothing changed (the API answers 304).
 */
export type Kind = "count" | "amount" | "flag" | "ratio";

export type SummaryIndicator = {
  code: string;
  label: string;
  unit: string;
  kind: Kind;
  group: string;
  value: number | null;
  previous: number | null;
  reporting: number;
  previousReporting?: number;
  approximate: boolean;
  doubtful: boolean;
};

export type Unit = { code: string; name: string; kind: string };

export type Summary = {
  unit: Unit;
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  conference?: { id: number; title: string } | null;
  coverage: { expected: number; reported: number; complete: number; late: number };
  indicators: SummaryIndicator[];
};

export type BreakdownRow = {
  unit: { code: string; name: string };
  value: number | null;
  previous: number | null;
  approximate: boolean;
  doubtful: boolean;
  status: "reported" | "missing";
};

export type Breakdown = {
  unit: Unit;
  indicator: { code: string; label: string; unit: string; kind: Kind };
  period: string;
  compare: string | null;
  frozen?: boolean;
  rows: BreakdownRow[];
};

export type Issue = {
  unitCode: string | null;
  unitName: string | null;
  source: { id: number; title: string | null; url: string | null } | number | string | null;
  cell: string | null;
  indicator: string | null;
  period: string | null;
  raw: string | null;
  severity: "error" | "warning" | "source_error";
  code: string;
  message: string;
};

export type Source = {
  id: number;
  unitCode: string;
  unitName: string | null;
  spreadsheetId: string;
  url: string;
  tab: string | null;
  gid: number | null;
  layout: string;
  active: boolean;
  title: string | null;
  locale: string | null;
  lastStatus: string | null;
  lastCheckedAt: string | null;
  lastSuccessAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
};

export type SyncRun = {
  id: number;
  trigger: string;
  status: string;
  startedAt: string | number | null;
  finishedAt: string | number | null;
  sourcesRead?: number;
  sourcesSkipped?: number;
  sourcesFailed?: number;
  valuesWritten?: number;
  issuesFound?: number;
  [key: string]: unknown;
};

export type Conference = {
  id: number;
  unitCode: string;
  period: string;
  comparePeriod: string | null;
  title: string;
  startsAt: string;
  windowHours: number;
  frozenAt: string | null;
};

export type Report = {
  title: string;
  unit: Unit;
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  paragraphs: string[];
  tables: { title: string; columns: string[]; rows: (string | number | null)[][] }[];
};

export type Meta = {
  provinces: { code: string; name: string }[];
  periods: string[];
  defaultUnit: string | null;
  defaultPeriod: string | null;
  principal: { email: string; role: string; scopeUnitCode: string | null; via: string };
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, { etag: string; body: unknown }>();

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
  }
}

async function failure(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => null);
  if (res.status === 429) {
    const wait = res.headers.get("retry-after");
    return new ApiError(429, body?.error?.message ?? `Thao tác quá nhanh, hãy thử lại sau ${wait ?? "ít phút"} giây.`);
  }
  return new ApiError(res.status, body?.error?.message ?? `Lỗi máy chủ (${res.status})`);
}

async function getJson<T>(path: string): Promise<T> {
  const known = cache.get(path);
  const headers: Record<string, string> = { accept: "application/json" };
  if (known) headers["if-none-match"] = known.etag;
  const res = await request(path, { headers });
  if (res.status === 304 && known) return known.body as T;
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as T;
  const etag = res.headers.get("etag");
  if (etag) cache.set(path, { etag, body });
  return body;
}

async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const res = await request(path, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

const qs = (params: Record<string, string | number | null | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
};

export type Scope = { unit: string; period: string; compare?: string | null; conference?: number | null };

export const fetchMeta = () => getJson<Meta>("/api/meta");
export const fetchSummary = (s: Scope) => getJson<Summary>(`/api/summary?${qs(s)}`);
export const fetchBreakdown = (s: Scope, indicator: string) => getJson<Breakdown>(`/api/breakdown?${qs({ ...s, indicator })}`);
export const fetchIssues = (unit: string, period: string) => getJson<{ issues: Issue[] }>(`/api/issues?${qs({ unit, period })}`);
export const fetchSources = (unit: string) => getJson<{ sources: Source[] }>(`/api/sources?${qs({ unit })}`);
export const fetchRuns = () => getJson<{ runs: SyncRun[] }>("/api/sync/runs");
export const fetchConferences = (unit: string) => getJson<{ conferences: Conference[] }>(`/api/conferences?${qs({ unit })}`);
export const fetchReport = (s: Scope) => getJson<Report>(`/api/report?${qs(s)}`);
export const freezeConference = (id: number) => postJson<{ conference: Conference }>(`/api/admin/conferences/${id}/freeze`);
export const startSync = () => postJson<{ run: SyncRun }>("/api/sync");
export const exportCsvUrl = (unit: string, period: string) => `/api/export.csv?${qs({ unit, period })}`;
