/** A failed Google call, sorted by what the sync does about it (GOOGLE.md "Errors"). */
export type GoogleErrorKind =
  /** The key, the token endpoint or the Cloud project refuse every call: the whole run stops (PRODUCT.md §5). */
  | "config"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  /** Sheets' FAILED_PRECONDITION: the file is not a Google Sheet (an uploaded Excel file). */
  | "not_a_sheet"
  | "bad_request"
  | "rate_limited"
  | "unavailable";

export type GoogleApi = "drive" | "sheets" | "token";

export class GoogleError extends Error {
  constructor(
    readonly kind: GoogleErrorKind,
    readonly status: number,
    message: string,
    /** Google's own reason (`errors[].reason`, `details[].reason` or `status`), when it gave one. */
    readonly reason: string | null = null,
    readonly api: GoogleApi | null = null,
  ) {
    super(message);
  }
}

/** Drive's older body (`errors[].reason`) and Sheets' (`status`, `details[].reason`), read alike. */
export type GoogleErrorBody = {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: { reason?: string }[];
    details?: { reason?: string }[];
  };
};

const RATE_LIMITS = new Set([
  "userRateLimitExceeded",
  "rateLimitExceeded",
  "RATE_LIMIT_EXCEEDED",
  "RESOURCE_EXHAUSTED",
]);
const DISABLED = new Set(["accessNotConfigured", "SERVICE_DISABLED"]);

/** Every reason Google put in the body: ErrorInfo and `errors[]` first, the status last. */
export function reasonsOf(body: GoogleErrorBody | null): string[] {
  const e = body?.error;
  return [...(e?.details ?? []).map((d) => d.reason), ...(e?.errors ?? []).map((x) => x.reason), e?.status].filter(
    (r): r is string => typeof r === "string" && r !== "",
  );
}

export function kindOf(status: number, reasons: string[]): GoogleErrorKind {
  if (reasons.some((r) => DISABLED.has(r))) return "config";
  if (status === 429 || reasons.some((r) => RATE_LIMITS.has(r))) return "rate_limited";
  if (status === 400 && reasons.some((r) => r === "FAILED_PRECONDITION" || r === "failedPrecondition"))
    return "not_a_sheet";
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  return "unavailable";
}
