/** Security headers on everything the Worker answers; the dashboard's static files get theirs from `web/public/_headers`. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const HEADERS: Record<string, string> = {
  // JSON and CSV are never documents to render: nothing may load from them, nor frame them.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=31536000",
};

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(HEADERS)) c.res.headers.set(name, value);
});
