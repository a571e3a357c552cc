// @ts-check
/**
 * The write half of the Google stand-in, for the provisioning tool (tools/sheets) and the Worker's check results
 * written back into the sheets: Sheets v4 spreadsheets.create,
 * spreadsheets.batchUpdate, values.update and values.batchUpdate; Drive v3 files.list, files.copy,
 * permissions.create and permissions.list — in Google's wire format, over the same folder of `<id>.json` files
 * (PRODUCT.md §8), so the Worker's sync reads what the tool created.
 *
 * A file created here records its `owner` and `permissions`; the stand-in then lets only the owner and the
 * people it is shared with read or change it, as Drive does. Files without an owner (hand-made fixtures) are open
 * to every authenticated caller as a reader, or as an editor with `"serviceAccount": "writer"`.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { errorBody } from "./errors.mjs";

const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
const WRITE_QUOTA_MESSAGE =
  "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.";

/**
 * @typedef {{ type: string, role: string, emailAddress?: string, id: string }} Permission
 * @typedef {Record<string, any>} AnyProps
 * @typedef {import("./server.mjs").Fixture & { owner?: string, permissions?: Permission[], mimeType?: string,
 *   parents?: string[], createdTime?: string, editedFrom?: string, protectedRanges?: unknown[], dataValidation?: unknown[],
 *   formats?: unknown[], merges?: unknown[], sheets: (import("./server.mjs").FixtureSheet & { properties: Record<string, unknown> })[] }} OwnedFixture
 * @typedef {(status: number, body: unknown, headers?: Record<string, string>) => void} Send
 * @typedef {(status: number, situation?: string | import("./errors.mjs").ErrorSituation, headers?: Record<string, string>) => void} Fail
 * @typedef {{ email: string, expires: number, scopes: string[] }} Session
 * @typedef {{ dir: string, tokens: Map<string, Session>, count: (name: string) => void,
 *   forget: (id: string) => void, writeQuota?: { limit: number, windowMs?: number },
 *   fault: (fixture: OwnedFixture, id: string, api: "drive" | "sheets", call: string) => import("./server.mjs").Fault | null }} WriteApiOptions
 *   `writeQuota`: Sheets write requests allowed per caller per window (Google: 60 a minute), answered 429 beyond.
 */

/** The scope a write needs: Sheets' full scope (or Drive's) for Sheets writes, Drive's for Drive writes. */
const WRITE_SCOPES = {
  sheets: ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"],
  drive: ["https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.file"],
};

/**
 * The version after a caller's edit of a hand-made file (one without an owner): its version as the test wrote it
 * (`editedFrom`) ×1,000,000, plus one per edit. Never a version a test writes by hand, so the test's own next version
 * of the file always reads as a change, whether it rewrites the file or edits what is there.
 * @param {OwnedFixture} f
 */
function editedVersion(f) {
  // A file without a version is at "1", as Drive answers it (server.mjs).
  const version = BigInt(/^\d+$/.test(f.version ?? "1") ? (f.version ?? "1") : "1");
  const from = f.editedFrom === undefined ? null : BigInt(f.editedFrom);
  if (from !== null && version > from * 1000000n) return String(version + 1n);
  f.editedFrom = String(version);
  return String(version * 1000000n + 1n);
}

/** Whether `email` may read a spreadsheet file: its owner, someone it is shared with, or anyone for an unowned fixture. */
export function mayRead(/** @type {OwnedFixture} */ fixture, /** @type {string} */ email) {
  return roleOf(fixture, email) !== null;
}

/** Whether `email` may edit the file (Drive's `capabilities.canEdit`). @param {OwnedFixture} fixture @param {string} email */
export function mayEdit(fixture, email) {
  const role = roleOf(fixture, email);
  return role === "owner" || role === "writer";
}

/**
 * A hand-made fixture (no owner) is shared with every caller as a reader, or as an editor with `"serviceAccount":
 * "writer"` (PRODUCT.md §8).
 * @param {OwnedFixture} fixture @param {string} email @returns {"owner" | "writer" | "reader" | null}
 */
function roleOf(fixture, email) {
  if (!fixture.owner) return fixture.serviceAccount === "writer" ? "writer" : "reader";
  if (fixture.owner === email) return "owner";
  const p = (fixture.permissions ?? []).find(
    (x) => x.type === "anyone" || x.emailAddress?.toLowerCase() === email.toLowerCase(),
  );
  if (!p) return null;
  return p.role === "writer" || p.role === "owner" ? "writer" : "reader";
}

/**
 * Returns a request handler that answers the write routes and returns false for every other request.
 * @param {WriteApiOptions} options
 */
export function createWriteApi(options) {
  /** @type {Map<string, Promise<unknown>>} one write at a time per file */
  const locks = new Map();
  /** @type {Map<string, number[]>} write request times per caller, for the optional write quota */
  const writes = new Map();

  /** @param {string} id @returns {Promise<OwnedFixture | null>} */
  async function load(id) {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
    const file = join(options.dir, `${id}.json`);
    try {
      return JSON.parse(await readFile(file, "utf8"));
    } catch {
      return null;
    }
  }

  /**
   * Saves a changed file with a new `version` and `modifiedTime`, as Drive does on every edit, so what a caller wrote
   * is there for every later read, as in Google.
   * @param {string} id @param {OwnedFixture} f
   */
  async function save(id, f, bump = true) {
    const file = join(options.dir, `${id}.json`);
    if (bump) {
      f.version = f.owner ? String(Number(f.version ?? "0") + 1) : editedVersion(f);
      f.modifiedTime = new Date().toISOString();
    }
    await writeFile(`${file}.tmp`, JSON.stringify(f, null, 1));
    await rename(`${file}.tmp`, file);
    options.forget(id);
  }

  /** @template T @param {string} id @param {() => Promise<T>} work @returns {Promise<T>} */
  function locked(id, work) {
    const run = (locks.get(id) ?? Promise.resolve()).then(work, work);
    locks.set(
      id,
      run.catch(() => {}),
    );
    return run;
  }

  /** @param {string} email */
  function overQuota(email) {
    const quota = options.writeQuota;
    if (!quota || quota.limit <= 0) return false;
    const now = Date.now();
    const recent = (writes.get(email) ?? []).filter((t) => t > now - (quota.windowMs ?? 60_000));
    const over = recent.length >= quota.limit;
    if (!over) recent.push(now);
    writes.set(email, recent);
    return over;
  }

  /**
   * @param {import("node:http").IncomingMessage} req @param {URL} url @param {string} path
   * @param {Send} send @param {Fail} fail @returns {Promise<boolean>}
   */
  return async function handle(req, url, path, send, fail) {
    const route = matchWriteRoute(req.method ?? "GET", path);
    if (!route) return false;
    options.count(route.name);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const session = auth ? options.tokens.get(auth[1] ?? "") : undefined;
    if (!session || session.expires < Date.now()) {
      fail(401);
      return true;
    }
    const email = session.email;
    const api = route.name.startsWith("sheets.") ? "sheets" : "drive";
    if (req.method !== "GET" && !WRITE_SCOPES[api].some((scope) => session.scopes.includes(scope))) {
      // Sheets says it with an ErrorInfo reason, Drive with its older `errors[].reason`.
      fail(403, {
        status: "PERMISSION_DENIED",
        reason: api === "sheets" ? "ACCESS_TOKEN_SCOPE_INSUFFICIENT" : "insufficientPermissions",
        message: "Request had insufficient authentication scopes.",
      });
      return true;
    }
    const body = req.method === "GET" ? {} : parseJson(await readBody(req));
    if (body === undefined) {
      fail(400, "Invalid JSON payload received.");
      return true;
    }
    if (route.name.startsWith("sheets.") && overQuota(email)) {
      fail(429, WRITE_QUOTA_MESSAGE);
      return true;
    }

    if (route.name === "sheets.spreadsheets.create") {
      const id = newId();
      const f = newSpreadsheet(body, email);
      await save(id, f);
      send(200, spreadsheetBody(id, f));
      return true;
    }
    if (route.name === "drive.files.list") {
      await listFiles(options.dir, load, url, email, send);
      return true;
    }

    const id = route.id;
    return locked(id, async () => {
      const f = await load(id);
      const role = f && f.access !== "not_found" ? roleOf(f, email) : null;
      if (!f || !role) {
        fail(404, { id });
        return true;
      }
      if (f.access === "forbidden") {
        fail(403);
        return true;
      }
      const mayWrite = role === "owner" || role === "writer";
      const fault = options.fault(f, id, api, route.name);
      if (fault) {
        const retryAfter = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : undefined;
        fail(fault.status, { reason: fault.reason, message: fault.message, id }, retryAfter);
        return true;
      }

      switch (route.name) {
        case "drive.files.copy": {
          const copyId = newId();
          /** @type {OwnedFixture} */
          const copy = structuredClone(f);
          delete copy.faults;
          copy.owner = email;
          copy.permissions = [];
          copy.version = "0";
          copy.access = "ok";
          copy.createdTime = new Date().toISOString();
          copy.properties.title =
            typeof body.name === "string" && body.name ? body.name : `Copy of ${f.properties.title}`;
          copy.parents = Array.isArray(body.parents) ? body.parents.map(String) : f.parents;
          await save(copyId, copy);
          send(200, pickFields(fileBody(copyId, copy), url.searchParams.get("fields")));
          return true;
        }
        case "drive.permissions.list": {
          send(200, { kind: "drive#permissionList", permissions: permissionsOf(f) });
          return true;
        }
        case "drive.permissions.create": {
          if (!mayWrite) return (fail(403, "The user does not have sufficient permissions for this file."), true);
          const type = String(body.type ?? "");
          const permRole = String(body.role ?? "");
          const emailAddress = typeof body.emailAddress === "string" ? body.emailAddress.trim() : "";
          if (!["user", "group", "anyone"].includes(type)) return (fail(400, "Invalid permission type."), true);
          if (!["reader", "commenter", "writer"].includes(permRole))
            return (fail(400, "Invalid permission role."), true);
          if (type !== "anyone" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(emailAddress)) {
            return (fail(400, "The permission emailAddress field is required or invalid."), true);
          }
          const permission = {
            kind: "drive#permission",
            id: permissionId(type === "anyone" ? "anyone" : emailAddress),
            type,
            role: permRole,
            ...(type === "anyone" ? {} : { emailAddress }),
          };
          const others = (f.permissions ?? []).filter((p) => p.id !== permission.id);
          f.permissions = [...others, permission];
          await save(id, f, false);
          send(200, pickFields(permission, url.searchParams.get("fields")));
          return true;
        }
        case "sheets.spreadsheets.batchUpdate": {
          if (!mayWrite) return (fail(403), true);
          const requests = Array.isArray(body.requests) ? body.requests : [];
          const replies = [];
          for (let i = 0; i < requests.length; i++) {
            const result = applyRequest(f, requests[i]);
            if (typeof result === "string") return (fail(400, `Invalid requests[${i}]${result}`), true);
            replies.push(result);
          }
          await save(id, f);
          send(200, { spreadsheetId: id, replies });
          return true;
        }
        case "sheets.values.update":
        case "sheets.values.batchUpdate": {
          if (!mayWrite) return (fail(403), true);
          const input =
            route.name === "sheets.values.update" ? url.searchParams.get("valueInputOption") : body.valueInputOption;
          if (input !== "RAW" && input !== "USER_ENTERED")
            return (fail(400, "'valueInputOption' is required but not specified"), true);
          const data =
            route.name === "sheets.values.update"
              ? [{ ...body, range: route.range }]
              : Array.isArray(body.data)
                ? body.data
                : [];
          /** @type {{ spreadsheetId: string, updatedRange: string, updatedRows: number, updatedColumns: number, updatedCells: number }[]} */
          const responses = [];
          for (const d of data) {
            const written = writeValues(f, String(d.range ?? ""), d.values, input, f.properties.locale ?? "en_US");
            if (typeof written === "string") return (fail(400, written), true);
            responses.push({ spreadsheetId: id, ...written });
          }
          await save(id, f);
          if (route.name === "sheets.values.update") send(200, responses[0]);
          else {
            const total = (/** @type {string} */ k) =>
              responses.reduce((n, r) => n + Number(/** @type {Record<string, unknown>} */ (r)[k] ?? 0), 0);
            send(200, {
              spreadsheetId: id,
              totalUpdatedRows: total("updatedRows"),
              totalUpdatedColumns: total("updatedColumns"),
              totalUpdatedCells: total("updatedCells"),
              totalUpdatedSheets: new Set(responses.map((r) => r.updatedRange.split("!")[0])).size,
              responses,
            });
          }
          return true;
        }
      }
      return false;
    });
  };
}

/** @param {string} method @param {string} path */
function matchWriteRoute(method, path) {
  let m;
  if (method === "POST" && path === "/v4/spreadsheets")
    return { name: "sheets.spreadsheets.create", id: "", range: "" };
  if (method === "POST" && (m = /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/.exec(path)))
    return { name: "sheets.spreadsheets.batchUpdate", id: m[1] ?? "", range: "" };
  if (method === "POST" && (m = /^\/v4\/spreadsheets\/([^/:]+)\/values:batchUpdate$/.exec(path)))
    return { name: "sheets.values.batchUpdate", id: m[1] ?? "", range: "" };
  if (method === "PUT" && (m = /^\/v4\/spreadsheets\/([^/:]+)\/values\/(.+)$/.exec(path)))
    return { name: "sheets.values.update", id: m[1] ?? "", range: m[2] ?? "" };
  if (method === "GET" && path === "/drive/v3/files") return { name: "drive.files.list", id: "", range: "" };
  if (method === "POST" && (m = /^\/drive\/v3\/files\/([^/]+)\/copy$/.exec(path)))
    return { name: "drive.files.copy", id: m[1] ?? "", range: "" };
  if ((m = /^\/drive\/v3\/files\/([^/]+)\/permissions$/.exec(path))) {
    if (method === "POST") return { name: "drive.permissions.create", id: m[1] ?? "", range: "" };
    if (method === "GET") return { name: "drive.permissions.list", id: m[1] ?? "", range: "" };
  }
  return null;
}

/** Drive-like ids: 44 URL-safe characters. */
function newId() {
  return `1${randomBytes(32).toString("base64url").slice(0, 43)}`;
}

/** Google's permission id is stable per grantee. @param {string} who */
function permissionId(who) {
  return BigInt(`0x${createHash("sha256").update(who.toLowerCase()).digest("hex").slice(0, 15)}`).toString();
}

/** @param {Record<string, any>} body @param {string} owner @returns {OwnedFixture} */
function newSpreadsheet(body, owner) {
  const props = body.properties ?? {};
  /** @type {any[]} */
  const wanted = Array.isArray(body.sheets) && body.sheets.length ? body.sheets : [{ properties: { title: "Sheet1" } }];
  return {
    properties: {
      title: String(props.title ?? "Untitled spreadsheet"),
      locale: String(props.locale ?? "en_US"),
      timeZone: String(props.timeZone ?? "America/Los_Angeles"),
    },
    mimeType: SPREADSHEET_MIME,
    owner,
    permissions: [],
    access: "ok",
    createdTime: new Date().toISOString(),
    version: "0",
    sheets: wanted.map((s, i) => ({
      properties: {
        sheetId: i === 0 ? 0 : Number(s.properties?.sheetId ?? 100000 + i),
        title: String(s.properties?.title ?? `Sheet${i + 1}`),
        index: i,
        ...(s.properties?.gridProperties ? { gridProperties: s.properties.gridProperties } : {}),
      },
      values: [],
    })),
  };
}

/** @param {string} id @param {OwnedFixture} f */
function spreadsheetBody(id, f) {
  return {
    spreadsheetId: id,
    properties: f.properties,
    sheets: f.sheets.map((s, index) => ({ properties: { index, ...s.properties, sheetType: "GRID" } })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
  };
}

/** @param {string} id @param {OwnedFixture} f */
function fileBody(id, f) {
  return {
    kind: "drive#file",
    id,
    name: f.properties.title,
    mimeType: f.mimeType ?? SPREADSHEET_MIME,
    parents: f.parents ?? ["root"],
    createdTime: f.createdTime ?? new Date(f.modifiedTime ?? "2026-01-01T00:00:00Z").toISOString(),
    modifiedTime: new Date(f.modifiedTime ?? "2026-01-01T00:00:00Z").toISOString(),
    version: String(f.version ?? "1"),
    webViewLink: `https://docs.google.com/spreadsheets/d/${id}/edit`,
    trashed: false,
  };
}

/** @param {OwnedFixture} f */
function permissionsOf(f) {
  const owner = f.owner
    ? [{ kind: "drive#permission", id: permissionId(f.owner), type: "user", role: "owner", emailAddress: f.owner }]
    : [];
  return [...owner, ...(f.permissions ?? [])];
}

/**
 * Drive's files.list over the folder: `q` with `name = '…'`, `name contains '…'`, `mimeType = '…'`,
 * `trashed = false`, `'<id>' in parents`, joined by `and`; `pageSize`/`pageToken`; `fields=files(…),nextPageToken`.
 * @param {string} dir @param {(id: string) => Promise<OwnedFixture | null>} load @param {URL} url @param {string} email
 * @param {Send} send
 */
async function listFiles(dir, load, url, email, send) {
  const clauses = parseQuery(url.searchParams.get("q") ?? "");
  if (!clauses) {
    send(400, errorBody("drive", 400, { reason: "invalid", message: "Invalid Value", location: "q" }));
    return;
  }
  const ids = (await readdir(dir))
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -5))
    .sort();
  /** @type {ReturnType<typeof fileBody>[]} */
  const found = [];
  for (const id of ids) {
    const f = await load(id);
    if (!f?.properties || f.access === "not_found" || !mayRead(f, email)) continue;
    const file = fileBody(id, f);
    if (clauses.every((c) => c(file))) found.push(file);
  }
  const size = Math.min(Math.max(Number(url.searchParams.get("pageSize") ?? 100) || 100, 1), 1000);
  const start = Number(url.searchParams.get("pageToken") ?? 0) || 0;
  const page = found.slice(start, start + size);
  const fields = url.searchParams.get("fields");
  const inner = fields ? (/files\(([^)]*)\)/.exec(fields)?.[1] ?? null) : "kind,id,name,mimeType";
  /** @type {Record<string, unknown>} */
  const body = { kind: "drive#fileList", incompleteSearch: false, files: page.map((f) => pickFields(f, inner)) };
  if (start + size < found.length) body.nextPageToken = String(start + size);
  send(200, fields ? pickFields(body, fields.replace(/\([^)]*\)/g, "")) : body);
}

/** @param {string} q @returns {((file: Record<string, any>) => boolean)[] | null} */
function parseQuery(q) {
  if (!q.trim()) return [];
  const str = "'((?:[^'\\\\]|\\\\.)*)'";
  /** @type {((file: Record<string, any>) => boolean)[]} */
  const out = [];
  for (const part of q.split(/\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)/i)) {
    const p = part.trim();
    let m;
    const unescape = (/** @type {string} */ s) => s.replace(/\\(.)/g, "$1").normalize("NFC");
    if ((m = new RegExp(`^name\\s*(=|!=|contains)\\s*${str}$`).exec(p))) {
      const op = m[1];
      const v = unescape(m[2] ?? "");
      out.push((f) =>
        op === "="
          ? f.name.normalize("NFC") === v
          : op === "!="
            ? f.name.normalize("NFC") !== v
            : f.name.normalize("NFC").toLowerCase().includes(v.toLowerCase()),
      );
    } else if ((m = new RegExp(`^mimeType\\s*(=|!=)\\s*${str}$`).exec(p))) {
      const eq = m[1] === "=";
      const v = unescape(m[2] ?? "");
      out.push((f) => (f.mimeType === v) === eq);
    } else if ((m = /^trashed\s*=\s*(true|false)$/.exec(p))) {
      const v = m[1] === "true";
      out.push((f) => f.trashed === v);
    } else if ((m = new RegExp(`^${str}\\s+in\\s+parents$`).exec(p))) {
      const v = unescape(m[1] ?? "");
      out.push((f) => f.parents.includes(v));
    } else return null;
  }
  return out;
}

/**
 * One batchUpdate request applied to the file; returns its reply, or an error suffix for
 * “Invalid requests[i]…” when Google would refuse it.
 * @param {OwnedFixture} f @param {any} request @returns {Record<string, unknown> | string}
 */
function applyRequest(f, request) {
  const kinds = Object.keys(request ?? {});
  if (kinds.length !== 1) return ": request must set exactly one kind";
  const kind = kinds[0] ?? "";
  const r = request[kind];
  const sheet = (/** @type {unknown} */ sheetId) => f.sheets.find((s) => s.properties.sheetId === Number(sheetId ?? 0));
  const noGrid = (/** @type {unknown} */ sheetId) => `.${kind}: No grid with id: ${Number(sheetId ?? 0)}`;
  switch (kind) {
    case "updateSpreadsheetProperties": {
      for (const field of fieldList(r.fields, r.properties)) {
        if (!["title", "locale", "timeZone", "autoRecalc", "defaultFormat"].includes(field))
          return `.${kind}: unknown field ${field}`;
        /** @type {Record<string, unknown>} */ (f.properties)[field] = r.properties?.[field];
      }
      return {};
    }
    case "updateSheetProperties": {
      const s = sheet(r.properties?.sheetId);
      if (!s) return noGrid(r.properties?.sheetId);
      const props = /** @type {AnyProps} */ (s.properties);
      for (const field of fieldList(r.fields, r.properties)) {
        const [head = "", sub] = field.split(".");
        if (sub) props[head] = { ...(props[head] ?? {}), [sub]: r.properties?.[head]?.[sub] };
        else props[head] = r.properties?.[head];
      }
      return {};
    }
    case "addSheet": {
      const props = r.properties ?? {};
      const title = String(props.title ?? `Sheet${f.sheets.length + 1}`);
      if (f.sheets.some((x) => x.properties.title.normalize("NFC") === title.normalize("NFC")))
        return `.${kind}: A sheet with the name "${title}" already exists. Please enter another name.`;
      const sheetId = props.sheetId === undefined ? 100000 + f.sheets.length : Number(props.sheetId);
      if (f.sheets.some((x) => x.properties.sheetId === sheetId)) return `.${kind}: Duplicate sheet ID: ${sheetId}`;
      const added = {
        sheetId,
        title,
        index: Math.min(Number(props.index ?? f.sheets.length), f.sheets.length),
        sheetType: "GRID",
        gridProperties: { rowCount: 1000, columnCount: 26, ...(props.gridProperties ?? {}) },
      };
      f.sheets.splice(added.index, 0, { properties: added, values: [] });
      f.sheets.forEach((x, i) => (x.properties.index = i));
      return { addSheet: { properties: added } };
    }
    case "updateCells": {
      const target = r.start ?? r.range;
      const s = sheet(target?.sheetId);
      if (!s) return noGrid(target?.sheetId);
      const row0 = Number(target?.rowIndex ?? target?.startRowIndex ?? 0);
      const col0 = Number(target?.columnIndex ?? target?.startColumnIndex ?? 0);
      const fields = String(r.fields ?? "");
      if (!fields) return `.${kind}: At least one field must be specified in 'fields'.`;
      // With a `range`, what the rows do not cover inside it is cleared (of the fields named), as Google does.
      if (r.range && (fields.includes("userEnteredValue") || fields === "*")) {
        const rowEnd = r.range.endRowIndex ?? Number.POSITIVE_INFINITY;
        const colEnd = r.range.endColumnIndex ?? Number.POSITIVE_INFINITY;
        s.values = (s.values ?? []).map((row, i) =>
          i < row0 || i >= rowEnd ? row : row.map((v, j) => (j < col0 || j >= colEnd ? v : "")),
        );
      }
      (r.rows ?? []).forEach((/** @type {any} */ row, /** @type {number} */ i) => {
        (row.values ?? []).forEach((/** @type {any} */ cell, /** @type {number} */ j) => {
          if (fields.includes("userEnteredValue") || fields === "*")
            setCell(s, row0 + i, col0 + j, cellValue(cell.userEnteredValue));
        });
      });
      if (fields.includes("userEnteredFormat"))
        (f.formats ??= []).push({
          range: { sheetId: s.properties.sheetId, startRowIndex: row0, startColumnIndex: col0 },
          rows: r.rows,
          fields,
        });
      return {};
    }
    case "repeatCell": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      (f.formats ??= []).push({ range: r.range, cell: r.cell, fields: r.fields });
      return {};
    }
    case "mergeCells": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      (f.merges ??= []).push({ range: r.range, mergeType: r.mergeType ?? "MERGE_ALL" });
      return {};
    }
    case "updateDimensionProperties": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      return {};
    }
    case "setDataValidation": {
      if (!sheet(r.range?.sheetId)) return noGrid(r.range?.sheetId);
      const type = r.rule?.condition?.type;
      if (
        r.rule &&
        ![
          "NUMBER_GREATER_THAN_EQ",
          "NUMBER_BETWEEN",
          "ONE_OF_LIST",
          "CUSTOM_FORMULA",
          "NUMBER_GREATER",
          "TEXT_CONTAINS",
        ].includes(type)
      ) {
        return `.${kind}.rule.condition.type: invalid value ${type}`;
      }
      (f.dataValidation ??= []).push({ range: r.range, rule: r.rule ?? null });
      return {};
    }
    case "addProtectedRange": {
      const pr = r.protectedRange ?? {};
      if (!sheet(pr.range?.sheetId)) return noGrid(pr.range?.sheetId);
      const protectedRangeId = ((f.protectedRanges ?? []).length + 1) * 1000 + Math.floor(Math.random() * 1000);
      const stored = { ...pr, protectedRangeId, editors: pr.editors ?? { users: f.owner ? [f.owner] : [] } };
      (f.protectedRanges ??= []).push(stored);
      return { addProtectedRange: { protectedRange: stored } };
    }
    default:
      return `: Unknown name "${kind}" at 'requests[0]': Cannot find field.`;
  }
}

/** `fields` of an update request: a comma list, or `*` for every field given. @param {unknown} fields @param {Record<string, unknown> | undefined} given */
function fieldList(fields, given) {
  const s = String(fields ?? "");
  return s === "*"
    ? Object.keys(given ?? {})
    : s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
}

/** @param {any} v @returns {unknown} */
function cellValue(v) {
  if (!v) return "";
  if ("numberValue" in v) return Number(v.numberValue);
  if ("boolValue" in v) return Boolean(v.boolValue);
  if ("formulaValue" in v) return String(v.formulaValue);
  return String(v.stringValue ?? "");
}

/** @param {{ values?: unknown[][] }} s @param {number} r @param {number} c @param {unknown} value */
function setCell(s, r, c, value) {
  const rows = (s.values ??= []);
  while (rows.length <= r) rows.push([]);
  const row = /** @type {unknown[]} */ (rows[r]);
  while (row.length <= c) row.push("");
  row[c] = value;
}

/**
 * values.update: writes a block at an A1 range. USER_ENTERED reads a number typed as text by the sheet's locale,
 * as the Sheets UI does (“33.100” is 33100 in vi_VN, 33.1 in en_US); anything else stays text.
 * @param {OwnedFixture} f @param {string} range @param {unknown} values @param {string} input @param {string} locale
 */
function writeValues(f, range, values, input, locale) {
  const m =
    /^(?:'((?:[^']|'')+)'|([^!']+?))!([A-Z]+)(\d+)(?::[A-Z]+\d*)?$/.exec(range.trim()) ??
    /^()()([A-Z]+)(\d+)(?::[A-Z]+\d*)?$/.exec(range.trim());
  if (!m) return `Unable to parse range: ${range}`;
  const title = m[1] ? m[1].replace(/''/g, "'") : m[2] || f.sheets[0]?.properties.title;
  const s = f.sheets.find((x) => x.properties.title.normalize("NFC") === String(title).normalize("NFC"));
  if (!s) return `Unable to parse range: ${range}`;
  if (!Array.isArray(values)) return "Invalid values: expected a list of rows";
  const col0 = [...(m[3] ?? "A")].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const row0 = Number(m[4]) - 1;
  let cells = 0;
  let width = 0;
  values.forEach((row, i) => {
    if (!Array.isArray(row)) return;
    width = Math.max(width, row.length);
    row.forEach((v, j) => {
      if (v === null || v === undefined) return;
      const typed = input === "USER_ENTERED" && typeof v === "string" ? (typedNumber(v, locale) ?? v) : v;
      setCell(s, row0 + i, col0 + j, typed);
      cells++;
    });
  });
  const quoted = /^[A-Za-z0-9_]+$/.test(s.properties.title)
    ? s.properties.title
    : `'${s.properties.title.replace(/'/g, "''")}'`;
  const letter = (/** @type {number} */ i) => {
    let out = "";
    for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    return out;
  };
  return {
    updatedRange: `${quoted}!${letter(col0)}${row0 + 1}:${letter(col0 + Math.max(width, 1) - 1)}${row0 + Math.max(values.length, 1)}`,
    updatedRows: values.length,
    updatedColumns: width,
    updatedCells: cells,
  };
}

/** A plain number as typed in a sheet of that locale, or null. @param {string} text @param {string} locale */
function typedNumber(text, locale) {
  const s = text.trim();
  const comma = /^(vi|de|fr|es|it|pt|ru|id|nl)/.test(locale);
  const [group, decimal] = comma ? [".", ","] : [",", "."];
  const esc = (/** @type {string} */ c) => (c === "." ? "\\." : c);
  const re = new RegExp(`^-?(?:\\d{1,3}(?:${esc(group)}\\d{3})+|\\d+)(?:${esc(decimal)}\\d+)?$`);
  if (!re.test(s)) return null;
  return Number(s.split(group).join("").replace(decimal, "."));
}

/** @param {Record<string, unknown>} body @param {string | null} fields */
function pickFields(body, fields) {
  if (!fields || fields === "*") return body;
  const wanted = fields.split(",").map((f) => f.trim());
  return Object.fromEntries(Object.entries(body).filter(([k]) => wanted.includes(k)));
}

/** @param {string} text @returns {Record<string, any> | undefined} */
function parseJson(text) {
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** @param {import("node:http").IncomingMessage} req @returns {Promise<string>} */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
