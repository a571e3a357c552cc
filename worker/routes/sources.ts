/**
 * `GET /api/sources?unit=<code>`: the registered sheets with their last run, last success and last error;
 * `GET /api/sources/missing?unit=<code>`: the communes no sheet reads yet; and an administrator's sheets one at a
 * time (`/api/admin/sources`): register, read again, stop.
 */

import { type Context, Hono } from "hono";
import { z } from "zod";
import { vietnamToday } from "../../domain/time";
import { NATIONAL } from "../../domain/units";
import { requireRole } from "../access/middleware";
import type { Principal } from "../access/principal";
import { assertAdministers, readableUnit } from "../access/scope";
import { readAgain, registerSource, stopSource } from "../admin/sources";
import { type Db, getDb } from "../db/client";
import { communesWithoutSource, type FeedbackStatus, listSources, type SourceListRow } from "../db/sources";
import { unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { accountEmailFor, accountEmails } from "../google/accounts";
import { iso } from "../http/json";
import { idParam, unitCode, unitOrCountry, valid } from "../http/params";
import { sheetUrl } from "../sheets/text";
import { FEEDBACK_TAB } from "../sync/feedback";

const unitQuery = valid("query", z.object({ unit: unitOrCountry.optional() }));

export const sourcesRoute = new Hono<AppEnv>()
  .get("/", unitQuery, async (c) => {
    const db = getDb(c.env.DB);
    const unit = await readableUnit(db, c.get("principal"), c.req.valid("query").unit);
    const listDate = await unitListFor(db, vietnamToday());
    const rows = await listSources(db, listDate, unit);
    const emails = accountEmails(c.env);
    return c.json({ sources: rows.map((r) => sourceJson(r, emails)) });
  })
  .get("/missing", unitQuery, async (c) => {
    const db = getDb(c.env.DB);
    const unit = (await readableUnit(db, c.get("principal"), c.req.valid("query").unit)) ?? NATIONAL;
    const listDate = await unitListFor(db, vietnamToday());
    return c.json({ communes: listDate ? await communesWithoutSource(db, listDate, unit) : [] });
  });

/**
 * A source as the API shows it: its sheet's URL, the service account its sheet must be shared with (null when the
 * keys are not configured right), its last read, its last error in plain words.
 */
function sourceJson(r: SourceListRow, emails: string[] | null) {
  return {
    id: r.id,
    unitCode: r.unitCode,
    unitName: r.unitName,
    spreadsheetId: r.spreadsheetId,
    url: sheetUrl(r.spreadsheetId, r.gid),
    tab: r.tab,
    gid: r.gid,
    layout: r.layout,
    serviceAccount: accountEmailFor(emails, r.spreadsheetId),
    active: Boolean(r.active),
    title: r.title,
    locale: r.locale,
    lastStatus: r.lastStatus,
    lastRunId: r.lastRunId,
    lastCheckedAt: iso(r.lastCheckedAt),
    lastSuccessAt: iso(r.lastSuccessAt),
    lastErrorCode: r.lastErrorCode,
    lastError: r.lastError,
    // The check results in the sheet's tab “Kiểm tra số liệu”, when the deployment writes them (SHEETS_FEEDBACK).
    feedback: r.feedbackStatus && {
      status: r.feedbackStatus,
      at: iso(r.feedbackAt),
      message: feedbackMessage(r.feedbackStatus, r.feedbackError),
    },
  };
}

/** The feedback's state in words: the sync stored why it could not write (or was not allowed to). */
function feedbackMessage(status: FeedbackStatus, error: string | null): string {
  return status === "written" ? `Đã ghi kết quả kiểm tra vào trang “${FEEDBACK_TAB}” của bảng tính` : (error ?? "");
}

/** The source as it stands now, answered after an administrator's change. */
async function answerSource<E extends object>(c: Context<AppEnv>, id: number, extra: E) {
  const db = getDb(c.env.DB);
  const [row] = await listSources(db, await unitListFor(db, vietnamToday()), null, id);
  if (!row) throw new AppError("not_found", `Không có bảng tính số ${id}`);
  return c.json({ source: sourceJson(row, accountEmails(c.env)), ...extra });
}

const registration = z.object({
  sheet: z.string().trim().min(1, "dán đường dẫn bảng tính"),
  unitCode,
  layout: z.enum(["form", "table"]).default("form"),
  tab: z.string().trim().nullable().default(null),
  confirm: z.boolean().default(false),
});

/**
 * A source an administrator changes must be of a unit it administers (a form's commune, a table's province or
 * district); one that does not exist is 404.
 */
async function assertAdministersSource(db: Db, principal: Principal, id: number): Promise<void> {
  const [row] = await listSources(db, null, null, id);
  if (!row) throw new AppError("not_found", `Không có bảng tính số ${id}`);
  await assertAdministers(db, principal, row.unitCode, "bảng tính", `bảng tính số ${id} của đơn vị mã ${row.unitCode}`);
}

export const adminSources = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .post("/register", valid("json", registration), async (c) => {
    const db = getDb(c.env.DB);
    await assertAdministers(db, c.get("principal"), c.req.valid("json").unitCode, "bảng tính");
    const { id, run, warnings } = await registerSource(c.env, db, c.req.valid("json"), c.get("principal").email);
    return answerSource(c, id, { run, warnings });
  })
  .post("/:id/read", valid("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const db = getDb(c.env.DB);
    await assertAdministersSource(db, c.get("principal"), id);
    const run = await readAgain(c.env, db, id, c.get("principal").email);
    return answerSource(c, id, { run });
  })
  .delete("/:id", valid("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const db = getDb(c.env.DB);
    await assertAdministersSource(db, c.get("principal"), id);
    await stopSource(db, id, c.get("principal").email);
    return answerSource(c, id, {});
  });
