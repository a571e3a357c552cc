/** One function per API endpoint (PRODUCT.md §9); a bad status throws with the server's Vietnamese message. */
export type SummaryIndicator = {
  code: string;
  label: string;
  unit: string;
  kind: "count" | "amount" | "flag" | "ratio";
  group: string;
  value: number | null;
  previous: number | null;
  reporting: number;
  approximate: boolean;
};

export type Summary = {
  unit: { code: string; name: string; kind: string };
  period: string;
  compare: string | null;
  asOf: string | null;
  frozen: boolean;
  coverage: { expected: number; reported: number; complete: number; late: number };
  indicators: SummaryIndicator[];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: "application/json" } });
  } catch {
    throw new ApiError(0, "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? `Lỗi máy chủ (${res.status})`);
  return body as T;
}

export const fetchSummary = (unit: string, period: string) =>
  getJson<Summary>(`/api/summary?${new URLSearchParams({ unit, period })}`);

export type Meta = {
  provinces: { code: string; name: string }[];
  periods: string[];
  defaultUnit: string | null;
  defaultPeriod: string | null;
  principal: { email: string; role: string; scopeUnitCode: string | null; via: string };
};

export const fetchMeta = () => getJson<Meta>("/api/meta");
