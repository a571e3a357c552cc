/**
 * The API as the Worker defines it: every call goes through Hono's client, `hc<AppType>`, so each answer's type is
 * the route's own and cannot drift from it. A bad status throws with the server's Vietnamese message.
 * Every GET is conditional: the last body of each URL is kept with its ETag and sent back as If-None-Match, so
 * polling for new figures downloads nothing when nothing changed (the API answers 304).
 * @see https://hono.dev/docs/guides/rpc
 */
import { type ClientResponse, hc } from "hono/client";
import type { AppType } from "../../worker/app";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field the server's message is about, to show it next to that field. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const known = new Map<string, { etag: string; body: string }>();

/** `fetch` with If-None-Match; a 304 is answered from the body kept for that URL, as if it were the 200 again. */
async function conditionalFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  const get = (init.method ?? "GET") === "GET";
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json");
  const kept = get ? known.get(url) : undefined;
  if (kept) headers.set("if-none-match", kept.etag);
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers });
  } catch {
    throw new ApiError(0, "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
  }
  if (res.status === 304 && kept)
    return new Response(kept.body, { status: 200, headers: { "content-type": "application/json" } });
  const etag = res.headers.get("etag");
  if (get && res.ok && etag) known.set(url, { etag, body: await res.clone().text() });
  return res;
}

const { api } = hc<AppType>(location.origin, { fetch: conditionalFetch });

/** The body of a successful answer; anything else becomes an `ApiError` with the server's message. */
async function ok<T>(call: Promise<ClientResponse<T>>): Promise<T> {
  const res = await call;
  if (res.ok) return (await res.json()) as T;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; field?: string } } | null;
  const message = body?.error?.message;
  if (res.status === 429) {
    throw new ApiError(
      429,
      message ?? `Thao tác quá nhanh, hãy thử lại sau ${res.headers.get("retry-after") ?? "ít phút"} giây.`,
    );
  }
  throw new ApiError(res.status, message ?? `Lỗi máy chủ (${res.status})`, body?.error?.field ?? null);
}

/** What the dashboard asks figures about; `compare` and `conference` are left out when not given. */
export type Scope = { unit: string; period: string; compare?: string | null; conference?: number | null };

const figures = (s: Scope) => ({
  unit: s.unit,
  period: s.period,
  ...(s.compare ? { compare: s.compare } : {}),
  ...(s.conference ? { conference: String(s.conference) } : {}),
});

export const fetchMeta = () => ok(api.meta.$get());
export const fetchSummary = (s: Scope) => ok(api.summary.$get({ query: figures(s) }));
export const fetchSilent = (s: Scope) =>
  ok(
    api.coverage.silent.$get({
      query: { unit: s.unit, period: s.period, ...(s.conference ? { conference: String(s.conference) } : {}) },
    }),
  );
export const fetchBoundaries = (unit: string) => ok(api.boundaries.$get({ query: { unit } }));
export const fetchBreakdown = (s: Scope, indicator: string) =>
  ok(api.breakdown.$get({ query: { ...figures(s), indicator } }));
export const fetchIssues = (unit: string, period: string) => ok(api.issues.$get({ query: { unit, period } }));
export const fetchSources = (unit: string) => ok(api.sources.$get({ query: { unit } }));
export const fetchRuns = () => ok(api.sync.runs.$get());
export const fetchConferences = (unit: string) => ok(api.conferences.$get({ query: { unit } }));
export const fetchReport = (s: Scope) => ok(api.report.$get({ query: figures(s) }));
export const freezeConference = (id: number) =>
  ok(api.admin.conferences[":id"].freeze.$post({ param: { id: String(id) } }));
export const startSync = () => ok(api.sync.$post());
export const fetchAdminUnits = (unit: string) => ok(api.admin.units.$get({ query: { unit } }));
export const registerSheet = (json: { sheet: string; unitCode: string; layout: "form" | "table" }) =>
  ok(api.admin.sources.register.$post({ json: { ...json, tab: null } }));
export const readSheetAgain = (id: number) => ok(api.admin.sources[":id"].read.$post({ param: { id: String(id) } }));
export const deactivateSheet = (id: number) => ok(api.admin.sources[":id"].$delete({ param: { id: String(id) } }));
export const exportCsvUrl = (unit: string, period: string) => api["export.csv"].$url({ query: { unit, period } }).href;

export type Meta = Awaited<ReturnType<typeof fetchMeta>>;
export type Summary = Awaited<ReturnType<typeof fetchSummary>>;
export type SummaryIndicator = Summary["indicators"][number];
export type BreakdownRow = Awaited<ReturnType<typeof fetchBreakdown>>["rows"][number];
export type Issue = Awaited<ReturnType<typeof fetchIssues>>["issues"][number];
export type SyncRun = Awaited<ReturnType<typeof fetchRuns>>["runs"][number];
export type Source = Awaited<ReturnType<typeof fetchSources>>["sources"][number];
export type Conference = Awaited<ReturnType<typeof fetchConferences>>["conferences"][number];
