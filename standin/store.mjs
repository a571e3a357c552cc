// @ts-check
/**
 * The folder the stand-in serves (PRODUCT.md §8): one `<id>.json` file per spreadsheet, and the Cloud project's
 * settings in `google.json`; who may read or edit a file; a file's version after an edit.
 *
 * Files are read again whenever they change on disk, so a test edits a file (and its `version`) between syncs.
 * A file created through the stand-in records its `owner` and `permissions`, and only they may read or change it,
 * as Drive does. Files without an owner (hand-made fixtures) are open to every authenticated caller as a reader,
 * or as an editor with `"serviceAccount": "writer"`.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * @typedef {{ sheetId: number, title: string, index?: number, hidden?: boolean, [field: string]: unknown }} SheetProperties
 * @typedef {{ properties: SheetProperties, values?: unknown[][] }} FixtureSheet
 * @typedef {{ status: number, reason?: string, api?: "drive" | "sheets", call?: string, retryAfter?: number, message?: string }} Fault
 *   `call` names one method as `spreadsheets.batchUpdate`, `values.batchGet`, `files.get`…: the fault then answers
 *   that call only, writes included; a fault without it answers reads.
 * @typedef {{ type: string, role: string, emailAddress?: string, id: string }} Permission
 * @typedef {{ properties: { title: string, locale?: string, timeZone?: string }, modifiedTime?: string, version?: string,
 *   access?: "ok" | "forbidden" | "not_found", mimeType?: string, shortcutTo?: string, trashed?: boolean, driveId?: string,
 *   serviceAccount?: "reader" | "writer", faults?: (number | Fault)[], sheets: FixtureSheet[],
 *   owner?: string, permissions?: Permission[], parents?: string[], createdTime?: string, editedFrom?: string,
 *   protectedRanges?: unknown[], dataValidation?: unknown[], formats?: unknown[], merges?: unknown[],
 *   notes?: { sheetId: number, row: number, column: number, note: string }[],
 *   lastModifyingUser?: { displayName: string, emailAddress?: string, hidesEmail?: boolean } }} Fixture
 *   a spreadsheet file; `owner` and the fields after `owner` are what the stand-in records of a file made or edited
 *   there; `lastModifyingUser` is who Drive says edited it last (`hidesEmail`: that user hides the email from callers)
 * @typedef {{ disabledApis?: ("drive" | "sheets")[], projectNumber?: string, serviceAccounts?: number,
 *   quota?: import("./quota.mjs").ReadQuota }} ProjectSettings  the folder's `google.json`
 * @typedef {ReturnType<typeof createStore>} Store
 */

/** A Google Sheets file's Drive type: a fixture's `mimeType` when it names none. */
export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
/** The folder's project settings live in `google.json`, never a spreadsheet. */
export const SETTINGS_FILE = "google";
const FILE_ID = /^[A-Za-z0-9_-]+$/;

/** @param {string} dir */
export function createStore(dir) {
  /** @type {Map<string, { mtimeMs: number, fixture: Fixture }>} */
  const cache = new Map();
  /** @type {Map<string, Promise<unknown>>} one write at a time per file */
  const locks = new Map();
  const fileOf = (/** @type {string} */ id) => join(dir, `${id}.json`);

  /**
   * The file as last read, read again when it changed on disk; null when there is none. A file that is not JSON
   * throws.
   * @param {string} id @returns {Promise<Fixture | null>}
   */
  async function read(id) {
    if (!FILE_ID.test(id)) return null;
    let info;
    try {
      info = await stat(fileOf(id));
    } catch {
      return null;
    }
    const hit = cache.get(id);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit.fixture;
    const fixture = /** @type {Fixture} */ (JSON.parse(await readFile(fileOf(id), "utf8")));
    cache.set(id, { mtimeMs: info.mtimeMs, fixture });
    return fixture;
  }

  return {
    read,

    /** The Cloud project's settings, read again when they change. @returns {Promise<ProjectSettings>} */
    async settings() {
      return /** @type {ProjectSettings} */ ((await read(SETTINGS_FILE)) ?? {});
    },

    /** A copy of the file read from disk now, for a caller to change; null when there is none or it is not JSON. @param {string} id @returns {Promise<Fixture | null>} */
    async readFresh(id) {
      if (!FILE_ID.test(id)) return null;
      try {
        return JSON.parse(await readFile(fileOf(id), "utf8"));
      } catch {
        return null;
      }
    },

    /** The ids of the folder's files, in order. */
    async ids() {
      return (await readdir(dir))
        .filter((n) => n.endsWith(".json"))
        .map((n) => n.slice(0, -5))
        .sort();
    },

    /**
     * Saves a changed file with a new `version` and `modifiedTime`, as Drive does on every edit (`bump`), so what a
     * caller wrote is there for every later read, as in Google.
     * @param {string} id @param {Fixture} f
     */
    async save(id, f, bump = true) {
      if (bump) {
        f.version = f.owner ? String(Number(f.version ?? "0") + 1) : editedVersion(f);
        f.modifiedTime = new Date().toISOString();
      }
      await writeFile(`${fileOf(id)}.tmp`, JSON.stringify(f, null, 1));
      await rename(`${fileOf(id)}.tmp`, fileOf(id));
      cache.delete(id);
    },

    /** Writes a file as a test gives it (JSON text, checked), or removes it with null. @param {string} id @param {string | null} text */
    async replace(id, text) {
      if (text === null) await rm(fileOf(id), { force: true });
      else await writeFile(fileOf(id), JSON.stringify(JSON.parse(text)));
      cache.delete(id);
    },

    /** Runs `work` once the file's earlier writes are done. @template T @param {string} id @param {() => Promise<T>} work @returns {Promise<T>} */
    locked(id, work) {
      const run = (locks.get(id) ?? Promise.resolve()).then(work, work);
      locks.set(
        id,
        run.catch(() => {}),
      );
      return run;
    },
  };
}

/**
 * The version after a caller's edit of a hand-made file (one without an owner): its version as the test wrote it
 * (`editedFrom`) ×1,000,000, plus one per edit. Never a version a test writes by hand, so the test's own next version
 * of the file always reads as a change, whether it rewrites the file or edits what is there.
 * @param {Fixture} f
 */
function editedVersion(f) {
  // A file without a version is at "1", as Drive answers it.
  const version = BigInt(/^\d+$/.test(f.version ?? "1") ? (f.version ?? "1") : "1");
  const from = f.editedFrom === undefined ? null : BigInt(f.editedFrom);
  if (from !== null && version > from * 1000000n) return String(version + 1n);
  f.editedFrom = String(version);
  return String(version * 1000000n + 1n);
}

/** A new file's id, as Drive's look: 44 URL-safe characters. */
export function newFileId() {
  return `1${randomBytes(32).toString("base64url").slice(0, 43)}`;
}

/**
 * What `email` may do with a file. A hand-made fixture (no owner) is shared with every caller as a reader, or as an
 * editor with `"serviceAccount": "writer"` (PRODUCT.md §8).
 * @param {Fixture} fixture @param {string} email @returns {"owner" | "writer" | "reader" | null}
 */
export function roleOf(fixture, email) {
  if (!fixture.owner) return fixture.serviceAccount === "writer" ? "writer" : "reader";
  if (fixture.owner === email) return "owner";
  const p = (fixture.permissions ?? []).find(
    (x) => x.type === "anyone" || x.emailAddress?.toLowerCase() === email.toLowerCase(),
  );
  if (!p) return null;
  return p.role === "writer" || p.role === "owner" ? "writer" : "reader";
}

/** Whether `email` may read the file: its owner, someone it is shared with, or anyone for an unowned fixture. @param {Fixture} fixture @param {string} email */
export function mayRead(fixture, email) {
  return roleOf(fixture, email) !== null;
}

/** Whether `email` may edit the file (Drive's `capabilities.canEdit`). @param {Fixture} fixture @param {string} email */
export function mayEdit(fixture, email) {
  const role = roleOf(fixture, email);
  return role === "owner" || role === "writer";
}
