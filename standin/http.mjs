// @ts-check
/**
 * The stand-in's HTTP plumbing: the route table's shape and its matcher, the request context every handler gets,
 * and the one reader of request bodies.
 */

/**
 * @typedef {(status: number, body: unknown, headers?: Record<string, string>) => void} Send
 * @typedef {(status: number, situation?: string | import("./errors.mjs").ErrorSituation, headers?: Record<string, string>) => void} Fail
 *   answers in the request's API's own error body (errors.mjs)
 * @typedef {{ req: import("node:http").IncomingMessage, url: URL, api: import("./errors.mjs").Api,
 *   call: string, params: string[], settings: import("./store.mjs").ProjectSettings, send: Send, fail: Fail,
 *   standin: import("./server.mjs").State }} Context
 *   `call` is the matched route's name, `params` its pattern's groups
 * @typedef {{ method: string, pattern: string | RegExp, name?: string,
 *   handler: (ctx: Context) => Promise<unknown> | unknown }} Route
 *   `name` is the method's name as Google's client calls it (`drive.files.get`): the stand-in counts calls under it,
 *   and a fixture's `faults` name it in `call`. A string pattern matches the whole path; a RegExp's groups are the
 *   route's `params`.
 */

/** The first route of the table for this method and path, with the path's parameters. @param {Route[]} routes @param {string} method @param {string} path */
export function matchRoute(routes, method, path) {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (typeof route.pattern === "string") {
      if (route.pattern === path) return { route, params: [] };
      continue;
    }
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => p ?? "") };
  }
  return null;
}

/** @param {import("node:http").IncomingMessage} req @returns {Promise<string>} */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A request's JSON body: `{}` when it is empty, undefined when it is not a JSON object (or list).
 * Its fields are read as Google reads a request, each defaulting when absent or of another type.
 * @param {import("node:http").IncomingMessage} req @returns {Promise<Record<string, any> | undefined>}
 */
export async function readJsonBody(req) {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" ? v : undefined;
  } catch {
    return undefined;
  }
}
