// @ts-check
/**
 * The write half of the Google stand-in, for the provisioning tool (tools/sheets) and the Worker's check results
 * written back into the sheets: Sheets v4 spreadsheets.create, spreadsheets.batchUpdate, values.update and
 * values.batchUpdate; Drive v3 files.list, files.copy, permissions.create and permissions.list — in Google's wire
 * format, over the same folder of `<id>.json` files (PRODUCT.md §8), so the Worker's sync reads what the tool created.
 */
import { createHash } from "node:crypto";
import { writeValues } from "./a1.mjs";
import { applyRequest } from "./batch-update.mjs";
import { DRIVE_DEFAULT_FIELDS, pickFields } from "./fields.mjs";
import { readJsonBody } from "./http.mjs";
import { mayRead, newFileId, roleOf, SPREADSHEET_MIME } from "./store.mjs";
import { sessionOf } from "./token.mjs";

const WRITE_QUOTA_MESSAGE =
  "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.";

/** The scope a write needs: Sheets' full scope (or Drive's) for Sheets writes, Drive's for Drive writes. */
const WRITE_SCOPES = {
  sheets: ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"],
  drive: ["https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.file"],
};

/**
 * @typedef {import("./http.mjs").Context} Context
 * @typedef {import("./store.mjs").Fixture} Fixture
 * @typedef {{ email: string, body: Record<string, any> }} Caller  who calls, and the request's JSON body (`{}` for a GET)
 * @typedef {Caller & { id: string, file: Fixture, mayWrite: boolean }} Edit  a call on one file, as read for it
 */

/** @type {import("./http.mjs").Route[]} */
export const writeRoutes = [
  { method: "POST", pattern: "/v4/spreadsheets", name: "sheets.spreadsheets.create", handler: authorized(create) },
  {
    method: "POST",
    pattern: /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/,
    name: "sheets.spreadsheets.batchUpdate",
    handler: onFile(batchUpdate),
  },
  {
    method: "POST",
    pattern: /^\/v4\/spreadsheets\/([^/:]+)\/values:batchUpdate$/,
    name: "sheets.values.batchUpdate",
    handler: onFile(valuesBatchUpdate),
  },
  {
    method: "PUT",
    pattern: /^\/v4\/spreadsheets\/([^/:]+)\/values\/(.+)$/,
    name: "sheets.values.update",
    handler: onFile(valuesUpdate),
  },
  { method: "GET", pattern: "/drive/v3/files", name: "drive.files.list", handler: authorized(filesList) },
  {
    method: "POST",
    pattern: /^\/drive\/v3\/files\/([^/]+)\/copy$/,
    name: "drive.files.copy",
    handler: onFile(filesCopy),
  },
  {
    method: "POST",
    pattern: /^\/drive\/v3\/files\/([^/]+)\/permissions$/,
    name: "drive.permissions.create",
    handler: onFile(permissionsCreate),
  },
  {
    method: "GET",
    pattern: /^\/drive\/v3\/files\/([^/]+)\/permissions$/,
    name: "drive.permissions.list",
    handler: onFile(permissionsList),
  },
];

/**
 * What every route here goes through before its handler: the caller's token, a scope that allows writing (for a
 * method other than GET), a JSON body, and Sheets' write quota.
 * @param {(ctx: Context, caller: Caller) => Promise<unknown> | unknown} handler
 * @returns {(ctx: Context) => Promise<unknown>}
 */
function authorized(handler) {
  return async (ctx) => {
    const { req, api, fail, standin } = ctx;
    const session = sessionOf(ctx);
    if (!session) return fail(401);
    const writes = req.method !== "GET";
    if (writes && !WRITE_SCOPES[api].some((scope) => session.scopes.includes(scope))) {
      // Sheets says it with an ErrorInfo reason, Drive with its older `errors[].reason`.
      return fail(403, {
        status: "PERMISSION_DENIED",
        reason: api === "sheets" ? "ACCESS_TOKEN_SCOPE_INSUFFICIENT" : "insufficientPermissions",
        message: "Request had insufficient authentication scopes.",
      });
    }
    const body = writes ? await readJsonBody(req) : {};
    if (body === undefined) return fail(400, "Invalid JSON payload received.");
    if (api === "sheets" && standin.overWriteQuota(session.email)) return fail(429, WRITE_QUOTA_MESSAGE);
    return handler(ctx, { email: session.email, body });
  };
}

/**
 * A call on one file (the route's first parameter), one at a time per file: found and shared with the caller, then
 * the file's next fault for this call.
 * @param {(ctx: Context, edit: Edit) => Promise<unknown> | unknown} handler
 */
function onFile(handler) {
  return authorized((ctx, caller) => {
    const { fail, standin } = ctx;
    const id = ctx.params[0] ?? "";
    return standin.store.locked(id, async () => {
      const file = await standin.store.readFresh(id);
      const role = file && file.access !== "not_found" ? roleOf(file, caller.email) : null;
      if (!file || !role) return fail(404, { id });
      if (file.access === "forbidden") return fail(403);
      if (standin.faults.answer(ctx, file, id, true)) return;
      return handler(ctx, { ...caller, id, file, mayWrite: role === "owner" || role === "writer" });
    });
  });
}

/**
 * Sheets write requests allowed per caller per window (Google: 60 a minute), answered 429 beyond; none without one.
 * @param {{ limit: number, windowMs?: number } | undefined} quota @returns {(email: string) => boolean} whether a write is over it
 */
export function createWriteQuota(quota) {
  /** @type {Map<string, number[]>} write request times per caller */
  const writes = new Map();
  return (email) => {
    if (!quota || quota.limit <= 0) return false;
    const now = Date.now();
    const recent = (writes.get(email) ?? []).filter((t) => t > now - (quota.windowMs ?? 60_000));
    const over = recent.length >= quota.limit;
    if (!over) recent.push(now);
    writes.set(email, recent);
    return over;
  };
}

/** Sheets spreadsheets.create: a new file owned by the caller. @param {Context} ctx @param {Caller} caller */
async function create({ send, standin }, { email, body }) {
  const id = newFileId();
  const f = newSpreadsheet(body, email);
  await standin.store.save(id, f);
  send(200, spreadsheetBody(id, f));
}

/** Sheets spreadsheets.batchUpdate: every request applied, or none when one is refused. @param {Context} ctx @param {Edit} edit */
async function batchUpdate({ send, fail, standin }, { body, id, file, mayWrite, email }) {
  if (!mayWrite) return fail(403);
  const requests = Array.isArray(body.requests) ? body.requests : [];
  const replies = [];
  for (let i = 0; i < requests.length; i++) {
    const result = applyRequest(file, requests[i]);
    if (typeof result === "string") return fail(400, `Invalid requests[${i}]${result}`);
    replies.push(result);
  }
  editedBy(file, email);
  await standin.store.save(id, file);
  send(200, { spreadsheetId: id, replies });
}

/**
 * Drive's `lastModifyingUser` after a caller's edit: the caller (a service account's name is its email's first part).
 * @param {import("./store.mjs").Fixture} file @param {string} email
 */
function editedBy(file, email) {
  file.lastModifyingUser = { displayName: email.split("@")[0] ?? email, emailAddress: email };
}

/** Sheets values.update: one block at the path's range. @param {Context} ctx @param {Edit} edit */
async function valuesUpdate(ctx, edit) {
  const input = ctx.url.searchParams.get("valueInputOption");
  const responses = await writeBlocks(ctx, edit, input, [{ ...edit.body, range: ctx.params[1] ?? "" }]);
  if (responses) ctx.send(200, responses[0]);
}

/** Sheets values.batchUpdate: each block of `data`, with the totals. @param {Context} ctx @param {Edit} edit */
async function valuesBatchUpdate(ctx, edit) {
  const { body, id } = edit;
  const responses = await writeBlocks(ctx, edit, body.valueInputOption, Array.isArray(body.data) ? body.data : []);
  if (!responses) return;
  const total = (/** @type {"updatedRows" | "updatedColumns" | "updatedCells"} */ k) =>
    responses.reduce((n, r) => n + Number(r[k] ?? 0), 0);
  ctx.send(200, {
    spreadsheetId: id,
    totalUpdatedRows: total("updatedRows"),
    totalUpdatedColumns: total("updatedColumns"),
    totalUpdatedCells: total("updatedCells"),
    totalUpdatedSheets: new Set(responses.map((r) => r.updatedRange.split("!")[0])).size,
    responses,
  });
}

/**
 * Writes the blocks into the file and saves it: what Google answers of each, or null once the request was refused.
 * @param {Context} ctx @param {Edit} edit @param {unknown} input the valueInputOption @param {any[]} data
 */
async function writeBlocks({ fail, standin }, { id, file, mayWrite, email }, input, data) {
  if (!mayWrite) {
    fail(403);
    return null;
  }
  if (input !== "RAW" && input !== "USER_ENTERED") {
    fail(400, "'valueInputOption' is required but not specified");
    return null;
  }
  const responses = [];
  for (const d of data) {
    const written = writeValues(file, String(d.range ?? ""), d.values, input, file.properties.locale ?? "en_US");
    if (typeof written === "string") {
      fail(400, written);
      return null;
    }
    responses.push({ spreadsheetId: id, ...written });
  }
  editedBy(file, email);
  await standin.store.save(id, file);
  return responses;
}

/**
 * Drive files.list over the folder, of the files the caller may read: `q` with `name = '…'`, `name contains '…'`,
 * `mimeType = '…'`, `trashed = false`, `'<id>' in parents`, joined by `and`; `pageSize`/`pageToken`;
 * `fields=files(…),nextPageToken`.
 * @param {Context} ctx @param {Caller} caller
 */
async function filesList({ url, send, fail, standin }, { email }) {
  const clauses = parseQuery(url.searchParams.get("q") ?? "");
  if (!clauses) return fail(400, { reason: "invalid", message: "Invalid Value", location: "q" });
  /** @type {DriveFile[]} */
  const found = [];
  for (const id of await standin.store.ids()) {
    const f = await standin.store.readFresh(id);
    if (!f?.properties || f.access === "not_found" || !mayRead(f, email)) continue;
    const file = fileBody(id, f);
    if (clauses.every((c) => c(file))) found.push(file);
  }
  const size = Math.min(Math.max(Number(url.searchParams.get("pageSize") ?? 100) || 100, 1), 1000);
  const start = Number(url.searchParams.get("pageToken") ?? 0) || 0;
  const page = found.slice(start, start + size);
  const fields = url.searchParams.get("fields");
  /** @type {Record<string, unknown>} */
  const body = {
    kind: "drive#fileList",
    incompleteSearch: false,
    files: fields ? page : page.map((f) => pickFields(f, DRIVE_DEFAULT_FIELDS)),
  };
  if (start + size < found.length) body.nextPageToken = String(start + size);
  send(200, pickFields(body, fields));
}

/** Drive files.copy: a copy owned by the caller, named as asked. @param {Context} ctx @param {Edit} edit */
async function filesCopy({ url, send, standin }, { email, body, file }) {
  const copyId = newFileId();
  /** @type {Fixture} */
  const copy = structuredClone(file);
  delete copy.faults;
  copy.owner = email;
  copy.permissions = [];
  copy.version = "0";
  copy.access = "ok";
  copy.createdTime = new Date().toISOString();
  copy.properties.title = typeof body.name === "string" && body.name ? body.name : `Copy of ${file.properties.title}`;
  copy.parents = Array.isArray(body.parents) ? body.parents.map(String) : file.parents;
  await standin.store.save(copyId, copy);
  send(200, pickFields(fileBody(copyId, copy), url.searchParams.get("fields")));
}

/** Drive permissions.list: the owner, then who the file is shared with. @param {Context} ctx @param {Edit} edit */
function permissionsList({ send }, { file }) {
  const owner = file.owner
    ? [
        {
          kind: "drive#permission",
          id: permissionId(file.owner),
          type: "user",
          role: "owner",
          emailAddress: file.owner,
        },
      ]
    : [];
  send(200, { kind: "drive#permissionList", permissions: [...owner, ...(file.permissions ?? [])] });
}

/** Drive permissions.create: shares the file, replacing the grantee's earlier permission. @param {Context} ctx @param {Edit} edit */
async function permissionsCreate({ url, send, fail, standin }, { body, id, file, mayWrite }) {
  if (!mayWrite) return fail(403, "The user does not have sufficient permissions for this file.");
  const type = String(body.type ?? "");
  const role = String(body.role ?? "");
  const emailAddress = typeof body.emailAddress === "string" ? body.emailAddress.trim() : "";
  if (!["user", "group", "anyone"].includes(type)) return fail(400, "Invalid permission type.");
  if (!["reader", "commenter", "writer"].includes(role)) return fail(400, "Invalid permission role.");
  if (type !== "anyone" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(emailAddress)) {
    return fail(400, "The permission emailAddress field is required or invalid.");
  }
  const permission = {
    kind: "drive#permission",
    id: permissionId(type === "anyone" ? "anyone" : emailAddress),
    type,
    role,
    ...(type === "anyone" ? {} : { emailAddress }),
  };
  const others = (file.permissions ?? []).filter((p) => p.id !== permission.id);
  file.permissions = [...others, permission];
  await standin.store.save(id, file, false);
  send(200, pickFields(permission, url.searchParams.get("fields")));
}

/** Google's permission id is stable per grantee. @param {string} who */
function permissionId(who) {
  return BigInt(`0x${createHash("sha256").update(who.toLowerCase()).digest("hex").slice(0, 15)}`).toString();
}

/** A new spreadsheet as spreadsheets.create makes it from its request. @param {Record<string, any>} body @param {string} owner @returns {Fixture} */
function newSpreadsheet(body, owner) {
  const props = body.properties ?? {};
  /** @type {Record<string, any>[]} */
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

/** @param {string} id @param {Fixture} f */
function spreadsheetBody(id, f) {
  return {
    spreadsheetId: id,
    properties: f.properties,
    sheets: f.sheets.map((s, index) => ({ properties: { index, ...s.properties, sheetType: "GRID" } })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
  };
}

/** @typedef {ReturnType<typeof fileBody>} DriveFile  a file as files.list and files.copy give it */

/** @param {string} id @param {Fixture} f */
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

const QUOTED = "'((?:[^'\\\\]|\\\\.)*)'";
/** A quoted value of `q`, its escapes undone. @param {string | undefined} s */
const unquote = (s) => (s ?? "").replace(/\\(.)/g, "$1").normalize("NFC");

/** @typedef {(file: DriveFile) => boolean} Clause */
/** The clauses files.list's `q` understands: a pattern, and the test a match of it makes of a file. @type {[RegExp, (m: RegExpExecArray) => Clause][]} */
const CLAUSES = [
  [
    new RegExp(`^name\\s*(=|!=|contains)\\s*${QUOTED}$`),
    (m) => {
      const op = m[1];
      const v = unquote(m[2]);
      if (op === "=") return (f) => f.name.normalize("NFC") === v;
      if (op === "!=") return (f) => f.name.normalize("NFC") !== v;
      return (f) => f.name.normalize("NFC").toLowerCase().includes(v.toLowerCase());
    },
  ],
  [
    new RegExp(`^mimeType\\s*(=|!=)\\s*${QUOTED}$`),
    (m) => {
      const eq = m[1] === "=";
      const v = unquote(m[2]);
      return (f) => (f.mimeType === v) === eq;
    },
  ],
  [
    /^trashed\s*=\s*(true|false)$/,
    (m) => {
      const v = m[1] === "true";
      return (f) => f.trashed === v;
    },
  ],
  [
    new RegExp(`^${QUOTED}\\s+in\\s+parents$`),
    (m) => {
      const v = unquote(m[1]);
      return (f) => f.parents.includes(v);
    },
  ],
];

/** `q` as the tests it makes of a file, all to pass; null when Drive would refuse it. @param {string} q @returns {Clause[] | null} */
function parseQuery(q) {
  if (!q.trim()) return [];
  /** @type {Clause[]} */
  const out = [];
  for (const part of q.split(/\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)/i)) {
    const p = part.trim();
    const clause = CLAUSES.map(([pattern, make]) => {
      const m = pattern.exec(p);
      return m && make(m);
    }).find((c) => c);
    if (!clause) return null;
    out.push(clause);
  }
  return out;
}
