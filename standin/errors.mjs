// @ts-check
/**
 * Error bodies as each Google API really sends them (GOOGLE.md "Errors"): Drive v3 in the older shape with
 * `errors[].reason` and no `status`; Sheets v4 with `status` and, where Google adds one, an ErrorInfo in `details`.
 */

/** @typedef {"drive" | "sheets"} Api */

const STATUS = /** @type {Record<number, string>} */ ({
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
});

const SHEETS_MESSAGES = /** @type {Record<number, string>} */ ({
  401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  403: "The caller does not have permission",
  404: "Requested entity was not found.",
  429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:{project}'.",
  500: "Internal error encountered.",
  503: "The service is currently unavailable.",
});

/** Drive's reason and message for a status when the situation names no other. */
const DRIVE_DEFAULTS = /** @type {Record<number, { reason: string, message: string }>} */ ({
  400: { reason: "badRequest", message: "Bad Request" },
  401: { reason: "authError", message: "Invalid Credentials" },
  403: { reason: "forbidden", message: "Forbidden" },
  404: { reason: "notFound", message: "File not found: {id}." },
  429: { reason: "rateLimitExceeded", message: "Rate Limit Exceeded" },
  500: { reason: "backendError", message: "Internal Error" },
  503: { reason: "backendError", message: "Backend Error" },
});

const DRIVE_MESSAGES = /** @type {Record<string, string>} */ ({
  userRateLimitExceeded: "User Rate Limit Exceeded",
  rateLimitExceeded: "Rate Limit Exceeded",
  accessNotConfigured: "{apiName} has not been used in project {project} before or it is disabled.",
  insufficientFilePermissions: "The user does not have sufficient permissions for this file.",
});

/** The ErrorInfo `details[].reason` Sheets sends with a status, when it sends one. */
const SHEETS_REASONS = /** @type {Record<number, string>} */ ({ 429: "RATE_LIMIT_EXCEEDED" });

const API_HOSTS = /** @type {Record<Api, { host: string, name: string }>} */ ({
  drive: { host: "drive.googleapis.com", name: "Google Drive API" },
  sheets: { host: "sheets.googleapis.com", name: "Google Sheets API" },
});

/**
 * @typedef {{ reason?: string, message?: string, id?: string, project?: string, status?: string, location?: string }} ErrorSituation
 * @param {Api} api @param {number} code @param {ErrorSituation} [situation]
 */
export function errorBody(api, code, situation = {}) {
  const project = situation.project ?? "0";
  const fill = (/** @type {string} */ s) =>
    s
      .replaceAll("{id}", situation.id ?? "")
      .replaceAll("{project}", project)
      .replaceAll("{apiName}", API_HOSTS[api].name);
  if (situation.reason === "accessNotConfigured" || situation.reason === "SERVICE_DISABLED")
    return disabledBody(api, project);
  if (api === "drive") {
    const fallback = DRIVE_DEFAULTS[code] ?? { reason: "unknown", message: "Error" };
    const reason = situation.reason ?? fallback.reason;
    const message = fill(situation.message ?? DRIVE_MESSAGES[reason] ?? fallback.message);
    /** @type {Record<string, unknown>} */
    const item = {
      message,
      domain: reason.endsWith("RateLimitExceeded") || reason === "rateLimitExceeded" ? "usageLimits" : "global",
      reason,
    };
    if (reason === "notFound") Object.assign(item, { location: "fileId", locationType: "parameter" });
    if (reason === "authError") Object.assign(item, { location: "Authorization", locationType: "header" });
    if (situation.location) Object.assign(item, { location: situation.location, locationType: "parameter" });
    return { error: { code, message, errors: [item] } };
  }
  const status = situation.status ?? STATUS[code] ?? "UNKNOWN";
  const message = fill(situation.message ?? SHEETS_MESSAGES[code] ?? "Error");
  /** @type {Record<string, unknown>} */
  const error = { code, message, status };
  const reason = situation.reason ?? SHEETS_REASONS[code];
  if (reason && /^[A-Z_]+$/.test(reason)) {
    error.details = [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason,
        domain: "googleapis.com",
        metadata: { service: API_HOSTS.sheets.host, consumer: `projects/${project}` },
      },
    ];
  } else if (reason) {
    // A lower-case reason is the older `errors[]` item, which Sheets still sends for a few answers (an Excel file).
    error.errors = [{ message, domain: "global", reason }];
  }
  return { error };
}

/** An API that is not enabled in the caller's Cloud project: Drive's `accessNotConfigured`, Sheets' `SERVICE_DISABLED`. @param {Api} api @param {string} project */
function disabledBody(api, project) {
  const { host, name } = API_HOSTS[api];
  const url = `https://console.developers.google.com/apis/api/${host}/overview?project=${project}`;
  const message = `${name} has not been used in project ${project} before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  if (api === "drive") {
    return {
      error: {
        code: 403,
        message,
        errors: [
          {
            message,
            domain: "usageLimits",
            reason: "accessNotConfigured",
            extendedHelp: "https://console.developers.google.com",
          },
        ],
      },
    };
  }
  return {
    error: {
      code: 403,
      message,
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "SERVICE_DISABLED",
          domain: "googleapis.com",
          metadata: { service: host, consumer: `projects/${project}`, activationUrl: url },
        },
        {
          "@type": "type.googleapis.com/google.rpc.Help",
          links: [{ description: "Google developers console API activation", url }],
        },
      ],
    },
  };
}

/** Which API a request path belongs to. @param {string} path @returns {Api} */
export function apiOf(path) {
  return path.startsWith("/drive/") ? "drive" : "sheets";
}
