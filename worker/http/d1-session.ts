/**
 * Reads near the leaders: every API request runs in a D1 session (the Sessions API), so D1 read replicas may answer
 * it where they are enabled. A read starts from the bookmark the dashboard last received (`x-d1-bookmark`), so its
 * figures are never older than the ones already on the screen; a change starts at the primary. Every answer carries
 * its session's bookmark for the next request to start from.
 * @see https://developers.cloudflare.com/d1/best-practices/read-replication/
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

const BOOKMARK_HEADER = "x-d1-bookmark";

/** A session as the D1Database the code is written against: statements go through the session. */
function sessionDatabase(db: D1Database, session: D1DatabaseSession): D1Database {
  return {
    prepare: (query: string) => session.prepare(query),
    batch: <T>(statements: D1PreparedStatement[]) => session.batch<T>(statements),
    exec: (query: string) => db.exec(query),
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  } as D1Database;
}

export const d1Session: MiddlewareHandler<AppEnv> = async (c, next) => {
  const read = c.req.method === "GET" || c.req.method === "HEAD";
  const asked = c.req.header(BOOKMARK_HEADER) ?? "";
  // A bookmark is D1's opaque token; anything else a client sends is ignored rather than trusted.
  const start = !read ? "first-primary" : /^[0-9a-f-]{16,128}$/i.test(asked) ? asked : "first-unconstrained";
  const session = c.env.DB.withSession(start);
  c.env = { ...c.env, DB: sessionDatabase(c.env.DB, session) };
  await next();
  const bookmark = session.getBookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
};
