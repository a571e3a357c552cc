/**
 * HTTP caching for the read API: every successful GET carries a strong ETag (a hash of its body) and is answered with
 * 304 when the client already has it, so a hall full of dashboards polling for new figures costs a hash, not a download.
 *
 * Answers depend on who asks (scope is checked on every request), so they are `private`: a shared cache must never
 * hand one person's answer to another. `Vary` names the credentials for caches that ignore `private`. Routes choose
 * how long a copy stays fresh with `cacheFor`; frozen conference figures never change and may be kept longer.
 *
 * Not `hono/etag`: its 304 carries the ETag alone, while RFC 9110 §15.4.5 asks for the Cache-Control and Vary the
 * 200 would have sent — without them a browser would keep a 304'd answer under the wrong freshness and credentials.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const VARY = "Authorization, Cf-Access-Jwt-Assertion, Cookie";

/** Live figures: fresh for 15 s, then revalidated (cheap with the ETag); frozen figures: an hour. */
export function cacheFor(c: Context, kind: "live" | "frozen"): void {
  c.header(
    "Cache-Control",
    kind === "frozen" ? "private, max-age=3600" : "private, max-age=15, stale-while-revalidate=45",
  );
}

async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return `"${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** True when any entity tag in an If-None-Match header matches (weak comparison, as RFC 9110 asks for GET). */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export const httpCaching = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
  const res = c.res;
  res.headers.set("Vary", VARY);
  if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "private, no-cache");
  if (res.status !== 200 || !res.body) return;
  const body = await res.clone().arrayBuffer();
  const etag = await etagOf(body);
  res.headers.set("ETag", etag);
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) {
    const headers = new Headers();
    for (const name of ["ETag", "Cache-Control", "Vary", "Content-Location", "Date", "Expires"]) {
      const value = res.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    c.res = new Response(null, { status: 304, headers });
  }
});
