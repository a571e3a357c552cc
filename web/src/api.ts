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

/**
 * The newest D1 bookmark an answer carried: every request starts its D1 session from it, so no answer is older than
 * what is already on the screen (D1 bookmarks sort in time order).
 */
let bookmark = "";

/** `fetch` with If-None-Match; a 304 is answered from the body kept for that URL, as if it were the 200 again. */
async function conditionalFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  const get = (init.method ?? "GET") === "GET";
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json");
  const kept = get ? known.get(url) : undefined;
  if (kept) headers.set("if-none-match", kept.etag);
  if (bookmark) headers.set("x-d1-bookmark", bookmark);
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers });
  } catch {
    throw new ApiError(0, "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
  }
  const seen = res.headers.get("x-d1-bookmark");
  if (seen && seen > bookmark) bookmark = seen;
  if (res.status === 304 && kept)
    return new Response(kept.body, { status: 200, headers: { "content-type": "application/json" } });
  const etag = res.headers.get("etag");
  if (get && res.ok && etag) known.set(url, { etag, body: await res.clone().text() });
  return res;
}

const { api } = hc<AppType>(location.origin, { fetch: conditionalFetch });

/** A response's body type, a union when the route answers several shapes. */
type BodyOf<R> = R extends ClientResponse<infer T> ? T : never;

/** The body of a successful answer; anything else becomes an `ApiError` with the server's message. */
async function ok<R extends ClientResponse<unknown>>(call: Promise<R>): Promise<BodyOf<R>> {
  const res = await call;
  if (res.ok) return (await res.json()) as BodyOf<R>;
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

/**
 * What the dashboard asks figures about; `compare` and `conference` are left out when not given; `basis: "accepted"`
 * counts only the communes the province accepted (PRODUCT.md §12).
 */
export type Scope = {
  unit: string;
  period: string;
  compare?: string | null;
  conference?: number | null;
  basis?: "latest" | "accepted";
};

const figures = (s: Scope) => ({
  unit: s.unit,
  period: s.period,
  ...(s.compare ? { compare: s.compare } : {}),
  ...(s.conference ? { conference: String(s.conference) } : {}),
  ...(s.basis === "accepted" ? { basis: s.basis } : {}),
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
/** A figure's years (PRODUCT.md §14): the five years to `to`, oldest first, each with its communes and whether built. */
export const fetchTrend = (unit: string, indicator: string, to: number) =>
  ok(api.trend.$get({ query: { unit, indicator, to: String(to) } }));
export const fetchIssues = (unit: string, period: string) => ok(api.issues.$get({ query: { unit, period } }));
export const fetchSources = (unit: string) => ok(api.sources.$get({ query: { unit } }));
export const fetchCommunesWithoutSheet = (unit: string) => ok(api.sources.missing.$get({ query: { unit } }));
export const fetchRuns = () => ok(api.sync.runs.$get());
export const fetchConferences = (unit: string) => ok(api.conferences.$get({ query: { unit } }));
export const fetchReport = (s: Scope) => ok(api.report.$get({ query: figures(s) }));
/** A unit's kinds of model by points (PRODUCT.md §15); with `kind`, the units one level down running it or not. */
export const fetchModels = (s: Scope, kind: string | null) =>
  ok(api.models.$get({ query: { unit: s.unit, period: s.period, ...(kind ? { kind } : {}) } }));
export const freezeConference = (id: number) =>
  ok(api.admin.conferences[":id"].freeze.$post({ param: { id: String(id) } }));
export const startSync = () => ok(api.sync.$post());
export const fetchAdminUnits = (unit: string) => ok(api.admin.units.$get({ query: { unit } }));
/** `confirm`: registered even though the sheet's title or heading names another commune. */
export const registerSheet = (json: { sheet: string; unitCode: string; layout: "form" | "table"; confirm: boolean }) =>
  ok(api.admin.sources.register.$post({ json: { ...json, tab: null } }));
export const readSheetAgain = (id: number) => ok(api.admin.sources[":id"].read.$post({ param: { id: String(id) } }));
export const deactivateSheet = (id: number) => ok(api.admin.sources[":id"].$delete({ param: { id: String(id) } }));
export const fetchUsers = () => ok(api.admin.users.$get());
export const saveUser = (json: { email: string; role: Role; scopeUnitCode: string | null }) =>
  ok(api.admin.users.$put({ json }));
export const disableUser = (email: string) => ok(api.admin.users[":email"].$delete({ param: { email } }));
export const fetchTokens = () => ok(api.admin.tokens.$get());
export const createToken = (json: {
  name: string;
  role: Role;
  scopeUnitCode: string | null;
  expiresAt: string | null;
}) => ok(api.admin.tokens.$post({ json }));
export const revokeToken = (id: number) => ok(api.admin.tokens[":id"].$delete({ param: { id: String(id) } }));
export const createConference = (json: {
  unitCode: string;
  period: string;
  comparePeriod: string | null;
  title: string;
  startsAt: string;
  windowHours: number;
}) => ok(api.admin.conferences.$post({ json }));
export const fetchPeriods = () => ok(api.admin.periods.$get());
export const setDeadline = (code: string, deadline: string | null) =>
  ok(api.admin.periods[":code"].$put({ param: { code }, json: { deadline } }));
export const fetchApprovals = (unit: string, period: string) => ok(api.approvals.$get({ query: { unit, period } }));
export const submitApproval = (unitCode: string, period: string) =>
  ok(api.approvals.submit.$post({ json: { unitCode, period } }));
export const acceptApprovals = (unitCodes: string[], period: string) =>
  ok(api.approvals.accept.$post({ json: { unitCodes, period } }));
/** “Trả lại” (a submitted commune, back to it with the reason) or “Mở lại” (an accepted one, open again). */
export const moveApproval = (move: "return" | "reopen", json: { unitCode: string; period: string; reason: string }) =>
  ok(move === "return" ? api.approvals.return.$post({ json }) : api.approvals.reopen.$post({ json }));
export const fetchAudit = (before?: number) =>
  ok(api.admin.audit.$get({ query: { limit: "50", ...(before ? { before: String(before) } : {}) } }));

/** A reference file (CSV or .xlsx) sent as it is: checked only (`preview`), or imported. */
export type ReferenceFile = "units" | "catalog" | "sources" | "models";
export function uploadReference(kind: ReferenceFile, file: Blob, preview: boolean, validFrom = "") {
  const query = { preview: String(preview) as "true" | "false" };
  const init = { init: { method: "POST", body: file } };
  if (kind === "units")
    return ok(api.admin.units.$post({ query: { ...query, ...(validFrom ? { validFrom } : {}) } }, init));
  if (kind === "catalog") return ok(api.admin.catalog.$post({ query }, init));
  if (kind === "models") return ok(api.admin["model-types"].$post({ query }, init));
  return ok(api.admin.sources.$post({ query }, init));
}

/** A reference file's template (`catalog.csv`, `units.xlsx`…): its columns and example rows. */
export const templateUrl = (kind: ReferenceFile, type: "csv" | "xlsx") =>
  api.admin.templates[":file"].$url({ param: { file: `${kind}.${type}` } }).href;
export const catalogInUseUrl = () => api.admin["catalog.csv"].$url().href;
/** The catalog of model kinds in use (PRODUCT.md §15), each with how many communes run it, and as a file to edit. */
export const fetchModelTypes = () => ok(api.admin["model-types"].$get());
export const modelTypesInUseUrl = () => api.admin["model-types"]["file.csv"].$url().href;

export const exportCsvUrl = (unit: string, period: string) => api["export.csv"].$url({ query: { unit, period } }).href;

export type Role = "admin" | "leader" | "commune";
export type Meta = Awaited<ReturnType<typeof fetchMeta>>;
export type Summary = Awaited<ReturnType<typeof fetchSummary>>;
export type SummaryIndicator = Summary["indicators"][number];
export type BreakdownRow = Awaited<ReturnType<typeof fetchBreakdown>>["rows"][number];
export type TrendPoint = Awaited<ReturnType<typeof fetchTrend>>["points"][number];
export type Issue = Awaited<ReturnType<typeof fetchIssues>>["issues"][number];
export type SyncRun = Awaited<ReturnType<typeof fetchRuns>>["runs"][number];
export type Source = Awaited<ReturnType<typeof fetchSources>>["sources"][number];
export type Conference = Awaited<ReturnType<typeof fetchConferences>>["conferences"][number];
export type User = Awaited<ReturnType<typeof fetchUsers>>["users"][number];
export type Token = Awaited<ReturnType<typeof fetchTokens>>["tokens"][number];
export type AdminUnit = Awaited<ReturnType<typeof fetchAdminUnits>>["units"][number];
export type PeriodDeadline = Awaited<ReturnType<typeof fetchPeriods>>["periods"][number];
export type Approval = Awaited<ReturnType<typeof fetchApprovals>>["approvals"][number];
export type AuditEntry = Awaited<ReturnType<typeof fetchAudit>>["entries"][number];
export type UploadAnswer = Awaited<ReturnType<typeof uploadReference>>;

/** The report as a Word document (PRODUCT.md §13), to download with the same unit, period and conference. */
export const reportDocxUrl = (s: Scope, standard = false) =>
  api["report.docx"].$url({ query: { ...figures(s), ...(standard ? { form: "standard" as const } : {}) } }).href;
export const fetchReportSettings = (unit: string) => ok(api.admin["report-settings"].$get({ query: { unit } }));
export type ReportSettings = Awaited<ReturnType<typeof fetchReportSettings>>;
export const saveReportSettings = (unit: string, json: ReportSettings["letterhead"]) =>
  ok(api.admin["report-settings"].$put({ query: { unit }, json }));
export const uploadReportTemplate = (unit: string, file: File) =>
  ok(api.admin["report-template"].$put({ query: { unit, name: file.name } }, { init: { body: file } }));
export const deleteReportTemplate = (unit: string) => ok(api.admin["report-template"].$delete({ query: { unit } }));
export const reportTemplateUrl = (unit: string) => api.admin["report-template"].$url({ query: { unit } }).href;
