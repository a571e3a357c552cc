/** A failed Google call, sorted by what the sync does about it (GOOGLE.md "Errors"). */
export type GoogleErrorKind =
  | "config"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "bad_request"
  | "rate_limited"
  | "unavailable";

export class GoogleError extends Error {
  constructor(
    readonly kind: GoogleErrorKind,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function kindOfStatus(status: number): GoogleErrorKind {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  return "unavailable";
}
