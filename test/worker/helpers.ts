/** Test helpers inside workerd: a clean database, reference data, sheets written into the stand-in, the API. */
import { env, exports } from "cloudflare:workers";
import { type ClientResponse, hc } from "hono/client";
import type { AppType } from "../../worker/app";

/** Hưng Yên and a few of its communes (codes as in the official list). */
export const UNITS_CSV = `code,name,full_name,kind,parent_code,code_name
33,Hưng Yên,Tỉnh Hưng Yên,province,,hung_yen
12745,Bắc Đông Quan,Xã Bắc Đông Quan,commune,33,bac_dong_quan
11953,Phố Hiến,Phường Phố Hiến,ward,33,pho_hien
11980,Hồng Châu,Phường Hồng Châu,ward,33,hong_chau
11983,Sơn Nam,Phường Sơn Nam,ward,33,son_nam
12103,Mỹ Hào,Phường Mỹ Hào,ward,33,my_hao
`;

const TABLES = [
  "indicator_values",
  "issues",
  "sources",
  "sync_runs",
  "units",
  "indicators",
  "periods",
  "conferences",
  "snapshot_values",
  "rollups",
  "rollups_accepted",
  "rollup_coverage",
  "snapshot_approvals",
  "rollup_state",
  "users",
  "api_tokens",
  "audit_log",
  "boundaries",
  "source_periods",
  "approvals",
  "pending_values",
  "model_types",
  "model_lists",
  "commune_models",
  "rollup_models",
  "rollup_model_totals",
  "sheet_ticks",
  "report_settings",
  "report_templates",
  "report_template_parts",
];

export async function resetDatabase(): Promise<void> {
  await env.DB.batch(TABLES.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

export function api(path: string, init?: RequestInit): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(`http://dashboard.local${path}`, init));
}

/** The API through Hono's typed client, as the dashboard calls it: every answer typed by its route. */
/** Rows D1 read for an answer, from its Server-Timing header. */
export async function rowsRead(path: string): Promise<number> {
  const res = await api(path);
  await res.arrayBuffer();
  return Number(/rows_read=(\d+)/.exec(res.headers.get("server-timing") ?? "")?.[1]);
}

export const client = hc<AppType>("http://dashboard.local", {
  fetch: (input: RequestInfo | URL, init?: RequestInit) =>
    api(new URL(String(input)).pathname + new URL(String(input)).search, init),
}).api;

/** A route's body as the client types it: a union when the route answers several shapes. */
type BodyOf<R> = R extends ClientResponse<infer T> ? T : never;

/** The body of a successful answer, typed by its route; any other status fails the test with what the API said. */
export async function ok<R extends ClientResponse<unknown>>(call: Promise<R>): Promise<BodyOf<R>> {
  const res = await call;
  if (!res.ok) throw new Error(`${res.url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as BodyOf<R>;
}

/** The error envelope of every refused request (PRODUCT.md §9). */
export type ApiError = { code: string; message: string; field?: string };

/** What a refused request's envelope says. */
export async function errorOf(res: { json(): Promise<unknown> }): Promise<ApiError> {
  return ((await res.json()) as { error: ApiError }).error;
}

export async function postCsv(path: string, csv: string): Promise<Response> {
  return api(path, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
}

/** Units (Hưng Yên by default) and the default catalog. */
export async function seedReference(unitsCsv = UNITS_CSV, validFrom = "2025-07-01"): Promise<void> {
  for (const [path, csv] of [
    [`/api/admin/units?validFrom=${validFrom}`, unitsCsv],
    ["/api/admin/catalog", env.TEST_CATALOG_CSV],
  ] as const) {
    const res = await postCsv(path, csv);
    if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  }
}

export async function registerSources(csv: string): Promise<void> {
  const res = await postCsv("/api/admin/sources", csv);
  if (!res.ok) throw new Error(`sources → ${res.status} ${await res.text()}`);
}

export type Fixture = {
  properties: { title: string; locale?: string; timeZone?: string };
  modifiedTime?: string;
  version?: string;
  access?: "ok" | "forbidden" | "not_found";
  mimeType?: string;
  shortcutTo?: string;
  trashed?: boolean;
  /** `writer`: the service account may edit the file (PRODUCT.md §8). */
  serviceAccount?: "reader" | "writer";
  faults?: (
    | number
    | { status: number; reason?: string; api?: "drive" | "sheets"; call?: string; retryAfter?: number }
  )[];
  sheets: { properties: { sheetId: number; title: string; hidden?: boolean }; values?: unknown[][] }[];
  /** Who Drive says edited the file last; `hidesEmail`: that user hides the email from callers (GOOGLE.md). */
  lastModifyingUser?: { displayName: string; emailAddress?: string; hidesEmail?: boolean };
};

export async function putSheet(id: string, fixture: Fixture): Promise<void> {
  const res = await fetch(`${env.TEST_STANDIN_URL}/__standin/files/${id}`, {
    method: "PUT",
    body: JSON.stringify(fixture),
  });
  if (!res.ok) throw new Error(`stand-in PUT ${id} → ${res.status}`);
}

/** The stand-in folder's `google.json`: the Cloud project's settings (PRODUCT.md §8); null removes it. */
export async function putProjectSettings(settings: { disabledApis?: ("drive" | "sheets")[] } | null): Promise<void> {
  const res = await fetch(
    `${env.TEST_STANDIN_URL}/__standin/files/google`,
    settings ? { method: "PUT", body: JSON.stringify(settings) } : { method: "DELETE" },
  );
  if (!res.ok) throw new Error(`stand-in google.json → ${res.status}`);
}

export async function standinStats(): Promise<Record<string, number>> {
  return (await fetch(`${env.TEST_STANDIN_URL}/__standin/stats`)).json();
}

export async function resetStandinStats(): Promise<void> {
  await fetch(`${env.TEST_STANDIN_URL}/__standin/reset`, { method: "POST" });
}

/**
 * A commune's `form` sheet as clerks lay it out: title rows, the header, then one row per indicator with its code.
 * `rows` maps an indicator code (or a free label, with `label:` prefix) to the cells of each period column.
 */
export function formSheet(
  title: string,
  periods: string[],
  rows: [code: string, label: string, ...cells: unknown[]][],
  extra: Partial<Fixture> = {},
): Fixture {
  return {
    properties: { title, locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
    modifiedTime: "2026-11-20T03:15:00Z",
    version: "1",
    access: "ok",
    sheets: [
      {
        properties: { sheetId: 0, title: "Năm 2025" },
        values: [
          [title.toUpperCase()],
          [],
          ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", ...periods, "Ghi chú"],
          ...rows.map(([code, label, ...cells], i) => [i + 1, label, code, "", ...cells]),
        ],
      },
    ],
    ...extra,
  };
}

/** A manual sync through `POST /api/sync`, as an administrator starts it: the run it made. */
export async function syncNow() {
  return (await ok(client.sync.$post())).run;
}
