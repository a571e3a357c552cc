/**
 * One error envelope for the whole API: `{ "error": { "code", "message" } }` (PRODUCT.md §9).
 * Expected failures are thrown as `AppError`; anything else is logged and answered as a generic 500.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const statusOf = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof statusOf;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The request field the error is about, so a form shows it next to that field. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return statusOf[this.code];
  }
}

function errorBody(code: string, message: string, field: string | null = null) {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

export function handleError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, err.field), err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? "unauthorized" : err.status === 403 ? "forbidden" : "bad_request";
    return c.json(errorBody(code, err.message || "Yêu cầu không hợp lệ"), err.status as ContentfulStatusCode);
  }
  console.error("unhandled error", err);
  return c.json(errorBody("internal", "Lỗi hệ thống, vui lòng thử lại sau"), 500);
}
