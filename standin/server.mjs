// @ts-check
/**
 * The local Google stand-in (PRODUCT.md §8): the Sheets v4 and Drive v3 read endpoints and the OAuth token
 * endpoint, in Google's wire format, served from a folder of `<id>.json` spreadsheet files.
 *
 * Files are read again whenever they change on disk, so a test edits a file (and its `version`) between syncs.
 * A fixture may carry `"faults": [429, 500]`: the next requests for that spreadsheet answer those statuses, in
 * order, before it answers normally again (per stand-in process, per file version).
 */

import { createPublicKey, createVerify, randomBytes } from "node:crypto";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { apiOf, errorBody } from "./errors.mjs";
import { createWriteApi, mayEdit, mayRead } from "./write-api.mjs";

const TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
const SHORTCUT_MIME = "application/vnd.google-apps.shortcut";
/** Drive's answer when `fields` is not given. */
const DRIVE_DEFAULT_FIELDS = "kind,id,name,mimeType";
/** The folder's project settings live in `google.json`, never a spreadsheet. */
const SETTINGS_FILE = "google";
const DEFAULT_PROJECT_NUMBER = "100000000001";

/**
 * @typedef {{ properties: { sheetId: number, title: string, index?: number, hidden?: boolean }, values?: unknown[][] }} FixtureSheet
 * @typedef {{ properties: { title: string, locale?: string, timeZone?: string }, modifiedTime?: string, version?: string,
 *   access?: "ok" | "forbidden" | "not_found", mimeType?: string, shortcutTo?: string, trashed?: boolean, driveId?: string,
 *   serviceAccount?: "reader" | "writer", faults?: (number | Fault)[], sheets: FixtureSheet[] }} Fixture
 * @typedef {{ status: number, reason?: string, api?: "drive" | "sheets", call?: string, retryAfter?: number, message?: string }} Fault
 *   `call` names one method as `spreadsheets.batchUpdate`, `values.batchGet`, `files.get`…: the fault then answers
 *   that call only, writes included; a fault without it answers reads.
 * @typedef {{ disabledApis?: ("drive" | "sheets")[], projectNumber?: string }} ProjectSettings  the folder's `google.json`
 * @typedef {{ dir: string, port?: number, host?: string, serviceAccounts?: Record<string, string>, log?: boolean,
 *   writeQuota?: { limit: number, windowMs?: number } }} StandinOptions
 * @typedef {{ url: string, port: number, stats: Record<string, number>, resetStats: () => void, close: () => Promise<void> }} Standin
 */

/** @param {StandinOptions} options @returns {Promise<Standin>} */
export async function startStandin(options) {
  const dir = options.dir;
  /** client_email → public key (PEM). An empty map accepts any well-formed assertion (signature unchecked). */
  const accounts = options.serviceAccounts ?? {};
  /** @type {Map<string, { mtimeMs: number, fixture: Fixture }>} */
  const cache = new Map();
  /** @type {Map<string, number>} faults already served, per `${id}@${version}#${index}` */
  const faultsServed = new Map();
  /** @type {Map<string, import("./write-api.mjs").Session>} */
  const tokens = new Map();
  /** @type {Record<string, number>} */
  const stats = {};
  const count = (/** @type {string} */ name) => (stats[name] = (stats[name] ?? 0) + 1);
  const writeApi = createWriteApi({
    dir,
    tokens,
    count,
    forget: (id) => cache.delete(id),
    fault: (fixture, id, api, call) => nextFault(fixture, id, api, call, true),
    writeQuota: options.writeQuota,
  });

  /** @param {string} id @returns {Promise<Fixture | null>} */
  async function loadFixture(id) {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
    const file = join(dir, `${id}.json`);
    let info;
    try {
      info = await stat(file);
    } catch {
      return null;
    }
    const hit = cache.get(id);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit.fixture;
    const fixture = /** @type {Fixture} */ (JSON.parse(await readFile(file, "utf8")));
    cache.set(id, { mtimeMs: info.mtimeMs, fixture });
    return fixture;
  }

  /** The folder's `google.json` (the Cloud project's settings), read again when it changes. @returns {Promise<ProjectSettings>} */
  async function loadSettings() {
    return /** @type {ProjectSettings} */ ((await loadFixture(SETTINGS_FILE)) ?? {});
  }

  /**
   * The next fault of this file's version that applies to this API, if one is left: faults are answered in order,
   * once each, a fault limited to the other API being passed over until one of its calls comes.
   * @param {Fixture} fixture @param {string} id @param {"drive" | "sheets"} api @param {string} call the route's name
   * @param {boolean} write @returns {Fault | null}
   */
  function nextFault(fixture, id, api, call, write) {
    const faults = fixture.faults ?? [];
    for (let i = 0; i < faults.length; i++) {
      const raw = faults[i];
      const fault = typeof raw === "number" ? { status: raw } : raw;
      if (!fault || (fault.api && fault.api !== api)) continue;
      if (fault.call ? call !== `${api}.${fault.call}` : write) continue;
      const key = `${id}@${fixture.version ?? ""}#${i}`;
      if (faultsServed.has(key)) continue;
      faultsServed.set(key, 1);
      return fault;
    }
    return null;
  }

  const server = createServer(async (req, res) => {
    // A caller that drops its connection (a Worker restarting, a cancelled fetch) must not take the stand-in down.
    req.on("error", () => {});
    res.on("error", () => {});
    /** @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://standin");
      const path = decodeURIComponent(url.pathname);
      const api = apiOf(path);
      const project = (await loadSettings()).projectNumber ?? DEFAULT_PROJECT_NUMBER;
      /** @param {number} status @param {string | import("./errors.mjs").ErrorSituation} [situation] @param {Record<string, string>} [headers] */
      const fail = (status, situation, headers) =>
        send(
          status,
          errorBody(api, status, { project, ...(typeof situation === "string" ? { message: situation } : situation) }),
          headers,
        );
      if (options.log) console.log(`[standin] ${req.method} ${url.pathname}${url.search}`);

      if (req.method === "GET" && path === "/__standin/stats") return send(200, stats);
      if (req.method === "POST" && path === "/__standin/reset") {
        for (const k of Object.keys(stats)) delete stats[k];
        faultsServed.clear();
        return send(200, { ok: true });
      }
      const fileRoute = /^\/__standin\/files\/([A-Za-z0-9_-]+)$/.exec(path);
      if (fileRoute && (req.method === "PUT" || req.method === "DELETE")) {
        // Lets a test running inside workerd (which cannot touch the disk) write or remove a spreadsheet file
        // (or the folder's `google.json`, as the file `google`).
        const file = join(dir, `${fileRoute[1]}.json`);
        if (req.method === "DELETE") await rm(file, { force: true });
        else await writeFile(file, JSON.stringify(JSON.parse(await readBody(req))));
        cache.delete(fileRoute[1] ?? "");
        return send(200, { ok: true });
      }
      if (req.method === "POST" && path === "/token") {
        count("token");
        return handleToken(await readBody(req), accounts, tokens, send);
      }

      if (await writeApi(req, url, path, send, fail)) return;
      const route = matchRoute(req.method ?? "GET", path);
      if (!route) return fail(404, `Method not found: ${req.method} ${path}`);
      count(route.name);

      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
      const session = auth ? tokens.get(auth[1] ?? "") : undefined;
      if (!session || session.expires < Date.now()) return fail(401);
      if ((await loadSettings()).disabledApis?.includes(api)) {
        return fail(403, { reason: api === "drive" ? "accessNotConfigured" : "SERVICE_DISABLED" });
      }

      const fixture = route.id === SETTINGS_FILE ? null : await loadFixture(route.id);
      // Drive cannot tell a file not shared with the caller from one that does not exist; Sheets can.
      const shared =
        fixture !== null &&
        fixture.access !== "not_found" &&
        fixture.access !== "forbidden" &&
        mayRead(fixture, session.email);
      // A file in a shared drive is invisible to Drive calls that do not say `supportsAllDrives=true`.
      const hidden =
        api === "drive" && fixture?.driveId !== undefined && url.searchParams.get("supportsAllDrives") !== "true";
      if (!fixture || fixture.access === "not_found" || (api === "drive" && (!shared || hidden)))
        return fail(404, { id: route.id });
      if (!shared) return fail(403);

      const fault = nextFault(fixture, route.id, api, route.name, false);
      if (fault) {
        const retryAfter = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : undefined;
        return fail(fault.status, { reason: fault.reason, message: fault.message, id: route.id }, retryAfter);
      }

      const mimeType = fixture.shortcutTo ? SHORTCUT_MIME : (fixture.mimeType ?? SPREADSHEET_MIME);
      if (route.name === "drive.files.get") {
        /** @type {Record<string, unknown>} */
        const file = {
          kind: "drive#file",
          id: route.id,
          name: fixture.properties.title,
          mimeType,
          modifiedTime: normalTime(fixture.modifiedTime),
          version: String(fixture.version ?? "1"),
          trashed: fixture.trashed === true,
          capabilities: { canEdit: mayEdit(fixture, session.email) },
        };
        if (fixture.shortcutTo) {
          const target = await loadFixture(fixture.shortcutTo);
          file.shortcutDetails = { targetId: fixture.shortcutTo, targetMimeType: target?.mimeType ?? SPREADSHEET_MIME };
        }
        return send(200, pickFields(file, url.searchParams.get("fields") ?? DRIVE_DEFAULT_FIELDS));
      }
      // Sheets knows a shortcut's target, not the shortcut; an Excel file is a Drive file, not a spreadsheet.
      if (fixture.shortcutTo) return fail(404);
      if (mimeType !== SPREADSHEET_MIME) {
        return fail(400, {
          status: "FAILED_PRECONDITION",
          reason: "failedPrecondition",
          message: "This operation is not supported for this document",
        });
      }
      if (route.name === "sheets.spreadsheets.get") {
        return send(200, {
          spreadsheetId: route.id,
          properties: fixture.properties,
          sheets: fixture.sheets.map((s, index) => ({ properties: { index, ...s.properties } })),
        });
      }
      // values:batchGet
      const ranges = url.searchParams.getAll("ranges");
      /** @type {unknown[]} */
      const valueRanges = [];
      for (const range of ranges) {
        const resolved = resolveRange(fixture, range);
        if (!resolved) return fail(400, `Unable to parse range: ${range}`);
        valueRanges.push(resolved);
      }
      return send(200, { spreadsheetId: route.id, valueRanges });
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
    stats,
    resetStats: () => {
      for (const k of Object.keys(stats)) delete stats[k];
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** @param {string} method @param {string} path */
function matchRoute(method, path) {
  if (method !== "GET") return null;
  let m = /^\/v4\/spreadsheets\/([^/]+)\/values:batchGet$/.exec(path);
  if (m) return { name: "sheets.values.batchGet", id: m[1] ?? "" };
  m = /^\/v4\/spreadsheets\/([^/:]+)$/.exec(path);
  if (m) return { name: "sheets.spreadsheets.get", id: m[1] ?? "" };
  m = /^\/drive\/v3\/files\/([^/]+)$/.exec(path);
  if (m) return { name: "drive.files.get", id: m[1] ?? "" };
  return null;
}

/** @param {string | undefined} t */
function normalTime(t) {
  return new Date(t ?? "2026-01-01T00:00:00Z").toISOString();
}

/** Drive's `fields=a,b`: only the fields asked for. @param {Record<string, unknown>} body @param {string | null} fields */
function pickFields(body, fields) {
  if (!fields || fields === "*") return body;
  /** @type {Record<string, unknown>} */
  const out = {};
  // `name`, `name(sub,sub)` or `name/sub`, at the top level, as Drive's partial responses take them.
  for (const m of fields.matchAll(/([A-Za-z]+)(?:\(([^)]*)\)|\/([A-Za-z]+))?/g)) {
    const [, key = "", inner, slash] = m;
    if (!(key in body)) continue;
    const value = /** @type {Record<string, unknown>} */ (body)[key];
    const subs = inner ? inner.split(",").map((x) => x.trim()) : slash ? [slash] : null;
    out[key] =
      subs && value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).filter(([k]) => subs.includes(k)))
        : value;
  }
  return out;
}

/** @param {import("node:http").IncomingMessage} req @returns {Promise<string>} */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The JWT-bearer grant: the assertion's RS256 signature must verify against the service account's public key.
 * @param {string} body @param {Record<string, string>} accounts
 * @param {Map<string, import("./write-api.mjs").Session>} tokens
 * @param {(status: number, body: unknown) => void} send
 */
function handleToken(body, accounts, tokens, send) {
  const form = new URLSearchParams(body);
  const deny = (/** @type {string} */ description) =>
    send(400, { error: "invalid_grant", error_description: description });
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return send(400, {
      error: "unsupported_grant_type",
      error_description: `Invalid grant_type: ${form.get("grant_type")}`,
    });
  }
  const parts = (form.get("assertion") ?? "").split(".");
  if (parts.length !== 3) return deny("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
  const [h = "", c = "", s = ""] = parts;
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
  } catch {
    return deny("Invalid JWT: could not decode");
  }
  if (header.alg !== "RS256") return deny("Invalid JWT signature algorithm.");
  const email = String(claims.iss ?? "");
  const pem = accounts[email];
  if (Object.keys(accounts).length > 0) {
    // A key of a service account that was deleted (or never existed) names an account Google does not know.
    if (!pem) return deny("Invalid grant: account not found");
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${h}.${c}`);
    if (!verifier.verify(createPublicKey(pem), Buffer.from(s, "base64url"))) return deny("Invalid JWT Signature.");
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== TOKEN_AUDIENCE) return deny(`Invalid JWT: audience is not ${TOKEN_AUDIENCE}`);
  if (
    typeof claims.iat !== "number" ||
    typeof claims.exp !== "number" ||
    claims.exp <= now - 30 ||
    claims.exp - claims.iat > 3600 ||
    claims.iat > now + 300
  ) {
    return deny(
      "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
    );
  }
  if (typeof claims.scope !== "string" || !claims.scope.includes("spreadsheets"))
    return deny("Invalid JWT: missing scope");
  const accessToken = `ya29.standin-${randomBytes(24).toString("base64url")}`;
  tokens.set(accessToken, { email, expires: Date.now() + 3599_000, scopes: claims.scope.split(" ") });
  send(200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
}

/** What an unquoted name that A1 notation reads as cells looks like: `T12`, `Q3`, `A:Z`, `B2:C`, `1:5`. */
const CELLS = /^(?:[A-Za-z]{1,3}\d*(?::[A-Za-z]{1,3}\d*)?|\d+:\d+)$/;
const PLAIN_NAME = /^[\p{L}\p{N}_]+$/u;

/** A tab name as Google writes it in a range: quoted unless plain letters and digits that cannot be read as cells. @param {string} title */
function quoteTitle(title) {
  return PLAIN_NAME.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

/**
 * A1 range → the `ValueRange` Google returns: `'Năm 2025'!A1:Z1000`, `'Năm 2025'`, `Sheet1!B2:C`, `A1:B2`.
 * Parsed as Google parses it (GOOGLE.md "A1 ranges"): an unquoted name that reads as cells (`T12`, `Q3`) is cells of
 * the first tab even when a tab has that name; an unquoted name with spaces, or cells before `!`, does not parse.
 * Ragged rows, trailing empty cells and rows trimmed, `values` absent when empty. Null for a range Google refuses.
 * @param {Fixture} fixture @param {string} range
 */
export function resolveRange(fixture, range) {
  const m = /^(?:'((?:[^']|'')+)'|([^!']+?))(?:!(.+))?$/.exec(range.trim());
  if (!m) return null;
  let tabName = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  let cells = m[3];
  if (m[1] === undefined) {
    const bare = m[2] ?? "";
    if (CELLS.test(bare)) {
      if (cells !== undefined) return null;
      cells = bare;
      tabName = fixture.sheets[0]?.properties.title;
    } else if (!PLAIN_NAME.test(bare)) return null;
  }
  const sheet = fixture.sheets.find((s) => s.properties.title.normalize("NFC") === (tabName ?? "").normalize("NFC"));
  if (!sheet) return null;
  const rows = (sheet.values ?? []).map((r) => r.map((v) => (v === null || v === undefined ? "" : v)));
  let box = { r0: 0, c0: 0, r1: Infinity, c1: Infinity };
  if (cells) {
    const b = parseBox(cells);
    if (!b) return null;
    box = b;
  }
  const sliced = rows.slice(box.r0, box.r1 === Infinity ? undefined : box.r1 + 1).map((r) => {
    const cut = r.slice(box.c0, box.c1 === Infinity ? undefined : box.c1 + 1);
    while (cut.length && cut[cut.length - 1] === "") cut.pop();
    return cut;
  });
  while (sliced.length && sliced[sliced.length - 1]?.length === 0) sliced.pop();
  const lastRow = box.r1 === Infinity ? Math.max(rows.length, 1) : box.r1 + 1;
  const width = Math.max(1, ...rows.map((r) => r.length));
  const lastCol = box.c1 === Infinity ? Math.max(width, 1) - 1 : box.c1;
  const a1 = `${quoteTitle(sheet.properties.title)}!${letters(box.c0)}${box.r0 + 1}:${letters(lastCol)}${lastRow}`;
  return sliced.length ? { range: a1, majorDimension: "ROWS", values: sliced } : { range: a1, majorDimension: "ROWS" };
}

/** @param {string} cells */
function parseBox(cells) {
  const m = /^([A-Z]+)?(\d+)?(?::([A-Z]+)?(\d+)?)?$/.exec(cells.toUpperCase());
  if (!m || (!m[1] && !m[2])) return null;
  const col = (/** @type {string | undefined} */ s) =>
    s ? [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 : undefined;
  const single = m[3] === undefined && m[4] === undefined && !cells.includes(":");
  const c0 = col(m[1]) ?? 0;
  const r0 = m[2] ? Number(m[2]) - 1 : 0;
  if (single) return { r0, c0, r1: r0, c1: c0 };
  return { r0, c0, r1: m[4] ? Number(m[4]) - 1 : Infinity, c1: col(m[3]) ?? Infinity };
}

/** @param {number} index */
function letters(index) {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
