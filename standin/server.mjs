// @ts-check
/**
 * The local Google stand-in (PRODUCT.md §8): Sheets v4, Drive v3 and the OAuth token endpoint in Google's wire
 * format, served from a folder of `<id>.json` spreadsheet files (store.mjs). One route table holds every endpoint:
 * the stand-in's own `/__standin/*` controls, the token endpoint, the reads the Worker's sync makes (read-api.mjs)
 * and the writes of the provisioning tool and the Worker's check results (write-api.mjs).
 */
import { createServer } from "node:http";
import { apiOf, errorBody } from "./errors.mjs";
import { createFaults } from "./faults.mjs";
import { matchRoute, readBody } from "./http.mjs";
import { createReadQuota } from "./quota.mjs";
import { readRoutes } from "./read-api.mjs";
import { createStore } from "./store.mjs";
import { token } from "./token.mjs";
import { createWriteQuota, writeRoutes } from "./write-api.mjs";

const DEFAULT_PROJECT_NUMBER = "100000000001";

/**
 * @typedef {{ dir: string, port?: number, host?: string, serviceAccounts?: Record<string, string>, log?: boolean,
 *   writeQuota?: { limit: number, windowMs?: number } }} StandinOptions
 *   `serviceAccounts`: client_email → public key (PEM); without any, every well-formed assertion is granted.
 *   `writeQuota`: Sheets write requests allowed per caller per window (Google: 60 a minute), answered 429 beyond.
 * @typedef {{ url: string, port: number, stats: Record<string, number>, resetStats: () => void, close: () => Promise<void> }} Standin
 * @typedef {{ store: import("./store.mjs").Store, accounts: Record<string, string>,
 *   tokens: Map<string, import("./token.mjs").Session>, faults: ReturnType<typeof createFaults>,
 *   overWriteQuota: (email: string) => boolean, overReadQuota: ReturnType<typeof createReadQuota>,
 *   stats: Record<string, number> }} State  one stand-in's state
 */

/** `/__standin/files/<id>`: lets a test running inside workerd (which cannot touch the disk) write or remove a file. */
const CONTROL_FILE = /^\/__standin\/files\/([A-Za-z0-9_-]+)$/;

/** @type {import("./http.mjs").Route[]} */
const routes = [
  { method: "GET", pattern: "/__standin/stats", handler: ({ send, standin }) => send(200, standin.stats) },
  {
    method: "POST",
    pattern: "/__standin/reset",
    handler: ({ send, standin }) => {
      clear(standin.stats);
      standin.faults.clear();
      send(200, { ok: true });
    },
  },
  // A spreadsheet file, or the folder's `google.json` as the file `google`.
  { method: "PUT", pattern: CONTROL_FILE, handler: replaceFile },
  { method: "DELETE", pattern: CONTROL_FILE, handler: replaceFile },
  { method: "POST", pattern: "/token", name: "token", handler: token },
  ...writeRoutes,
  ...readRoutes,
];

/** @param {import("./http.mjs").Context} ctx */
async function replaceFile({ req, params, send, standin }) {
  await standin.store.replace(params[0] ?? "", req.method === "DELETE" ? null : await readBody(req));
  send(200, { ok: true });
}

/** @param {Record<string, number>} stats */
function clear(stats) {
  for (const k of Object.keys(stats)) delete stats[k];
}

/** @param {StandinOptions} options @returns {Promise<Standin>} */
export async function startStandin(options) {
  /** @type {State} */
  const standin = {
    store: createStore(options.dir),
    accounts: options.serviceAccounts ?? {},
    tokens: new Map(),
    faults: createFaults(),
    overWriteQuota: createWriteQuota(options.writeQuota),
    overReadQuota: createReadQuota(),
    stats: {},
  };

  const server = createServer(async (req, res) => {
    // A caller that drops its connection (a Worker restarting, a cancelled fetch) must not take the stand-in down.
    req.on("error", () => {});
    res.on("error", () => {});
    /** @type {import("./http.mjs").Send} */
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://standin");
      const path = decodeURIComponent(url.pathname);
      const api = apiOf(path);
      const settings = await standin.store.settings();
      const project = settings.projectNumber ?? DEFAULT_PROJECT_NUMBER;
      /** @type {import("./http.mjs").Fail} */
      const fail = (status, situation, headers) =>
        send(
          status,
          errorBody(api, status, { project, ...(typeof situation === "string" ? { message: situation } : situation) }),
          headers,
        );
      if (options.log) console.log(`[standin] ${req.method} ${url.pathname}${url.search}`);

      const method = req.method ?? "GET";
      const match = matchRoute(routes, method, path);
      if (!match) return fail(404, `Method not found: ${req.method} ${path}`);
      const call = match.route.name ?? "";
      if (call) standin.stats[call] = (standin.stats[call] ?? 0) + 1;
      await match.route.handler({ req, url, api, call, params: match.params, settings, send, fail, standin });
    } catch (err) {
      console.error("[standin]", err);
      send(500, errorBody("sheets", 500));
    }
  });

  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined)),
  );
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    stats: standin.stats,
    resetStats: () => clear(standin.stats),
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
