// @ts-check
/**
 * The read half of the Google stand-in, what the Worker's sync calls: Drive v3 files.get, Sheets v4 spreadsheets.get
 * and values.batchGet, each answering a file's sharing, kind and `faults` as Google would (GOOGLE.md "Errors").
 */
import { locateRange, resolveRange } from "./a1.mjs";
import { DRIVE_DEFAULT_FIELDS, pickFields } from "./fields.mjs";
import { gridData } from "./grid.mjs";
import { mayEdit, mayRead, SETTINGS_FILE, SPREADSHEET_MIME } from "./store.mjs";
import { sessionOf } from "./token.mjs";

const SHORTCUT_MIME = "application/vnd.google-apps.shortcut";

/**
 * @typedef {import("./http.mjs").Context} Context
 * @typedef {{ id: string, fixture: import("./store.mjs").Fixture, email: string }} ReadTarget  the file, as read for the caller
 * @typedef {(ctx: Context, target: ReadTarget) => Promise<unknown> | unknown} ReadHandler
 */

/** @type {import("./http.mjs").Route[]} */
export const readRoutes = [
  {
    method: "GET",
    pattern: /^\/v4\/spreadsheets\/([^/]+)\/values:batchGet$/,
    name: "sheets.values.batchGet",
    handler: readsFile(spreadsheet(valuesBatchGet)),
  },
  {
    method: "GET",
    pattern: /^\/v4\/spreadsheets\/([^/:]+)$/,
    name: "sheets.spreadsheets.get",
    handler: readsFile(spreadsheet(spreadsheetsGet)),
  },
  { method: "GET", pattern: /^\/drive\/v3\/files\/([^/]+)$/, name: "drive.files.get", handler: readsFile(filesGet) },
];

/**
 * What every read goes through before its handler: the caller's token, the API switched on in the project, the file
 * found and shared with the caller, then the file's next fault for this call.
 * @param {ReadHandler} handler @returns {(ctx: Context) => Promise<unknown>}
 */
function readsFile(handler) {
  return async (ctx) => {
    const { api, url, fail, settings, standin } = ctx;
    const session = sessionOf(ctx);
    if (!session) return fail(401);
    if (settings.disabledApis?.includes(api)) {
      return fail(403, { reason: api === "drive" ? "accessNotConfigured" : "SERVICE_DISABLED" });
    }
    // Sheets' read quota, per caller and per project in each clock minute, when google.json sets one.
    const over = api === "sheets" ? standin.overReadQuota(settings.quota, session.email) : null;
    if (over) {
      standin.stats.quota_exceeded = (standin.stats.quota_exceeded ?? 0) + 1;
      if (over === "user") return fail(429);
      return fail(429, {
        message:
          "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'sheets.googleapis.com' for consumer 'project_number:{project}'.",
      });
    }
    const id = ctx.params[0] ?? "";
    const fixture = id === SETTINGS_FILE ? null : await standin.store.read(id);
    // Drive cannot tell a file not shared with the caller from one that does not exist; Sheets can.
    const shared =
      fixture !== null &&
      fixture.access !== "not_found" &&
      fixture.access !== "forbidden" &&
      mayRead(fixture, session.email);
    // A file in a shared drive is invisible to Drive calls that do not say `supportsAllDrives=true`.
    const hidden =
      api === "drive" && fixture?.driveId !== undefined && url.searchParams.get("supportsAllDrives") !== "true";
    if (!fixture || fixture.access === "not_found" || (api === "drive" && (!shared || hidden))) {
      return fail(404, { id });
    }
    if (!shared) return fail(403);
    if (standin.faults.answer(ctx, fixture, id, false)) return;
    return handler(ctx, { id, fixture, email: session.email });
  };
}

/**
 * Sheets knows a shortcut's target, not the shortcut; an Excel file is a Drive file, not a spreadsheet.
 * @param {ReadHandler} handler @returns {ReadHandler}
 */
function spreadsheet(handler) {
  return (ctx, target) => {
    const { fixture } = target;
    if (fixture.shortcutTo) return ctx.fail(404);
    if ((fixture.mimeType ?? SPREADSHEET_MIME) !== SPREADSHEET_MIME) {
      return ctx.fail(400, {
        status: "FAILED_PRECONDITION",
        reason: "failedPrecondition",
        message: "This operation is not supported for this document",
      });
    }
    return handler(ctx, target);
  };
}

/** Drive files.get: the file's metadata, as `fields` asks (GOOGLE.md "Change detection"). @param {Context} ctx @param {ReadTarget} target */
async function filesGet({ url, send, standin }, { id, fixture, email }) {
  /** @type {Record<string, unknown>} */
  const file = {
    kind: "drive#file",
    id,
    name: fixture.properties.title,
    mimeType: fixture.shortcutTo ? SHORTCUT_MIME : (fixture.mimeType ?? SPREADSHEET_MIME),
    modifiedTime: new Date(fixture.modifiedTime ?? "2026-01-01T00:00:00Z").toISOString(),
    version: String(fixture.version ?? "1"),
    trashed: fixture.trashed === true,
    capabilities: { canEdit: mayEdit(fixture, email) },
  };
  const editor = fixture.lastModifyingUser;
  if (editor) {
    // Drive leaves the email out when that user hides it from the caller (GOOGLE.md "One read").
    file.lastModifyingUser = {
      kind: "drive#user",
      displayName: editor.displayName,
      ...(editor.hidesEmail || !editor.emailAddress ? {} : { emailAddress: editor.emailAddress }),
    };
  }
  if (fixture.shortcutTo) {
    const target = await standin.store.read(fixture.shortcutTo);
    file.shortcutDetails = { targetId: fixture.shortcutTo, targetMimeType: target?.mimeType ?? SPREADSHEET_MIME };
  }
  send(200, pickFields(file, url.searchParams.get("fields") ?? DRIVE_DEFAULT_FIELDS));
}

/**
 * Sheets spreadsheets.get: the properties and the tabs, each with its index, as `fields` asks (GOOGLE.md "One read").
 * Grid data comes with a `fields` mask (that then says which of it) or `includeGridData=true`: the cells of the
 * tabs `ranges` touch, one `GridData` per range, or of every tab without `ranges`; an unknown range is 400.
 * @param {Context} ctx @param {ReadTarget} target
 */
function spreadsheetsGet({ url, send, fail }, { id, fixture }) {
  const fields = url.searchParams.get("fields");
  const ranges = url.searchParams.getAll("ranges");
  const withGrid = fields !== null || url.searchParams.get("includeGridData") === "true";
  /** @type {Map<import("./store.mjs").FixtureSheet, unknown[]>} */
  const data = new Map();
  const whole = { r0: 0, c0: 0, r1: Infinity, c1: Infinity };
  for (const range of ranges) {
    const located = locateRange(fixture, range);
    if (!located) return fail(400, `Unable to parse range: ${range}`);
    data.set(located.sheet, [...(data.get(located.sheet) ?? []), gridData(located.sheet, located.box)]);
  }
  const sheets = fixture.sheets
    .map((s, index) => {
      /** @type {Record<string, unknown>} */
      const sheet = { properties: { index, ...s.properties } };
      if (withGrid && (ranges.length === 0 || data.has(s)))
        sheet.data = ranges.length ? data.get(s) : [gridData(s, whole)];
      return sheet;
    })
    // With ranges and grid data, only the tabs they touch (as the reference reads).
    .filter((sheet) => !(withGrid && ranges.length) || sheet.data);
  send(200, pickFields({ spreadsheetId: id, properties: fixture.properties, sheets }, fields));
}

/** Sheets values.batchGet: the `ranges` in request order, or 400 for the first one Google would refuse. @param {Context} ctx @param {ReadTarget} target */
function valuesBatchGet({ url, send, fail }, { id, fixture }) {
  /** @type {unknown[]} */
  const valueRanges = [];
  for (const range of url.searchParams.getAll("ranges")) {
    const resolved = resolveRange(fixture, range);
    if (!resolved) return fail(400, `Unable to parse range: ${range}`);
    valueRanges.push(resolved);
  }
  send(200, { spreadsheetId: id, valueRanges });
}
