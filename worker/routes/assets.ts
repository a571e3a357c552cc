/**
 * The dashboard's bundles (`/assets/*`, named by a hash of their content) reach the Worker first (`run_worker_first`
 * in wrangler.toml) for one reason: a bundle that is not there — an old build's, asked for by a page opened before a
 * deploy — would otherwise be answered with the dashboard's page, with a 200 and the bundles' year-long immutable
 * cache from `web/public/_headers`, and a rollback to that build would find it broken in the browser's cache. Here it
 * is a 404 that nobody keeps. Bundles that exist come from the static assets unchanged, headers included.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";

export const assets = new Hono<AppEnv>().get("/*", async (c) => {
  const res = await c.env.ASSETS.fetch(c.req.raw);
  if (!res.headers.get("content-type")?.startsWith("text/html")) return new Response(res.body, res);
  return c.text("Không có tệp này: tải lại trang để dùng bản mới nhất", 404, { "Cache-Control": "no-store" });
});
