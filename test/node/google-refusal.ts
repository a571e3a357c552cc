/** What Google's own client (googleapis) makes of a refusal, typed for the tests that look into one. */

/** Google's error body (GOOGLE.md "Errors"): Sheets' `status` and ErrorInfo `details`, Drive's older `errors[]`. */
export type GoogleError = {
  code: number;
  message: string;
  status?: string;
  errors?: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
  details?: { "@type": string; reason?: string }[];
};

/** A refusal: the HTTP status, Google's answer (`error` when it is an API's error body), the client's message. */
export type Refusal = {
  status: number | undefined;
  data: unknown;
  error: GoogleError | undefined;
  message: string;
  header: (name: string) => string | undefined;
};

/** The parts of a GaxiosError the tests read; anything else thrown has none of them. */
type Thrown = {
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
};

/** What googleapis threw, as a refusal. */
export function refusalOf(err: unknown): Refusal {
  const e: Thrown = typeof err === "object" && err !== null ? err : {};
  const status = e.status ?? e.response?.status;
  const data = e.response?.data;
  const headers = e.response?.headers;
  return {
    status: typeof status === "number" ? status : undefined,
    data,
    error: googleError(data),
    message: String(e.message),
    header: (name) => {
      if (typeof headers !== "object" || headers === null) return undefined;
      // A Headers of gaxios' own fetch, or a plain object.
      const value: unknown =
        "get" in headers && typeof headers.get === "function"
          ? headers.get(name)
          : Object.entries(headers).find(([key]) => key === name)?.[1];
      return value === undefined || value === null ? undefined : String(value);
    },
  };
}

/** The refusal a googleapis call ends in; throws when Google answered instead. */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (err) {
    return refusalOf(err);
  }
  throw new Error("Google answered, a refusal was expected");
}

function googleError(data: unknown): GoogleError | undefined {
  if (typeof data !== "object" || data === null || !("error" in data)) return undefined;
  const { error } = data;
  return typeof error === "object" && error !== null ? (error as GoogleError) : undefined;
}
