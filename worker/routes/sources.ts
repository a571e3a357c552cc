/** `GET /api/sources?unit=<code>`: the registered sheets with their last run, last success and last error. */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { isCommuneKind } from "../../domain/units";
import { requireRole } from "../access/middleware";
import { readableUnit } from "../access/scope";
import { sheetUrl } from "../aggregate/issues";
import { getDb } from "../db/client";
import { deactivateSource, type FeedbackStatus, importSources, listSources, type SourceListRow } from "../db/sources";
import { findUnit, unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { jsonBody, query, unitCode, unitOrCountry } from "../http/params";
import { isOfficeFileUrl, parseSheetRef } from "../reference/sources";
import { FEEDBACK_TAB } from "../sync/feedback";
import { CONVERT_TO_SHEETS } from "../sync/read-source";
import { runSync } from "../sync/run";

export const sourcesRoute = new Hono<AppEnv>().get(
  "/",
  query(z.object({ unit: unitOrCountry.optional() })),
  async (c) => {
    const db = getDb(c.env.DB);
    const unit = await readableUnit(db, c.get("principal"), c.req.valid("query").unit);
    const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
    const rows = await listSources(db, listDate, unit);
    return c.json({ sources: rows.map(sourceJson) });
  },
);

/** A source as the API shows it: its sheet's URL, its last read, its last error in plain words. */
function sourceJson(r: SourceListRow) {
  return {
    id: r.id,
    unitCode: r.unitCode,
    unitName: r.unitName,
    spreadsheetId: r.spreadsheetId,
    url: sheetUrl(r.spreadsheetId, r.gid),
    tab: r.tab,
    gid: r.gid,
    layout: r.layout,
    active: Boolean(r.active),
    title: r.title,
    locale: r.locale,
    lastStatus: r.lastStatus,
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

const today = () => new Date().toISOString().slice(0, 10);

/** The source as it stands now, answered after an administrator's change. */
async function answerSource<E extends object>(c: Context<AppEnv>, id: number, extra: E) {
  const db = getDb(c.env.DB);
  const [row] = await listSources(db, await unitListFor(db, today()), null, id);
  if (!row) throw new AppError("not_found", `Không có bảng tính số ${id}`);
  return c.json({ source: sourceJson(row), ...extra });
}

/**
 * An administrator's sheets, one at a time (PRODUCT.md §8, “Bảng tính”): register a sheet from its URL and read it at
 * once, so a wrong link or a missing share is known while the administrator is still there; read one again; stop one.
 */
export const adminSources = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .post(
    "/register",
    jsonBody(
      z.object({
        sheet: z.string().trim().min(1, "dán đường dẫn bảng tính"),
        unitCode,
        layout: z.enum(["form", "table"]).default("form"),
        tab: z.string().trim().nullable().default(null),
      }),
    ),
    async (c) => {
      const input = c.req.valid("json");
      const ref = parseSheetRef(input.sheet);
      if (!ref) {
        throw new AppError(
          "bad_request",
          "Đường dẫn không phải của Google Trang tính: mở bảng tính, sao chép đường dẫn trên thanh địa chỉ rồi dán vào đây",
          {},
          "sheet",
        );
      }
      const db = getDb(c.env.DB);
      const listDate = await unitListFor(db, today());
      const unit = listDate ? await findUnit(db, listDate, input.unitCode) : null;
      if (!unit)
        throw new AppError(
          "bad_request",
          `Mã đơn vị ${input.unitCode} không có trong danh sách đơn vị`,
          {},
          "unitCode",
        );
      if (input.layout === "form" && !isCommuneKind(unit.kind)) {
        throw new AppError(
          "bad_request",
          `Biểu của xã phải gắn với một xã, phường, đặc khu; ${unit.fullName} là cấp trên — chọn “Bảng tổng hợp”`,
          {},
          "unitCode",
        );
      }
      if (input.layout === "table" && isCommuneKind(unit.kind)) {
        throw new AppError(
          "bad_request",
          `Bảng tổng hợp gắn với tỉnh (hoặc huyện) mà nó liệt kê các xã; ${unit.fullName} là cấp xã — chọn “Biểu của xã”`,
          {},
          "unitCode",
        );
      }
      const actor = c.get("principal").email;
      const row = {
        unitCode: input.unitCode,
        ...ref,
        tab: input.tab ? input.tab.normalize("NFC") : null,
        layout: input.layout,
      };
      // The same sheet for the same unit is the same source: a second click registers nothing new.
      const [id] = await importSources(db, [row], Date.now(), {
        actor,
        action: "sources.register",
        target: input.unitCode,
        detail: row,
      });
      const run = await runSync(c.env, { trigger: "manual", actor, sourceIds: [id!], force: true });
      const warnings = isOfficeFileUrl(input.sheet)
        ? [`Đường dẫn là một tệp Excel mở trong Google Trang tính: ${CONVERT_TO_SHEETS}`]
        : [];
      return answerSource(c, id!, { run, warnings });
    },
  )
  .post("/:id/read", async (c) => {
    const id = sourceId(c.req.param("id"));
    const run = await runSync(c.env, {
      trigger: "manual",
      actor: c.get("principal").email,
      sourceIds: [id],
      force: true,
    });
    return answerSource(c, id, { run });
  })
  .delete("/:id", async (c) => {
    const id = sourceId(c.req.param("id"));
    const actor = c.get("principal").email;
    const done = await deactivateSource(getDb(c.env.DB), id, {
      actor,
      action: "sources.deactivate",
      target: String(id),
    });
    if (!done) throw new AppError("not_found", `Không có bảng tính số ${id}`);
    return answerSource(c, id, {});
  });

function sourceId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new AppError("bad_request", `“${raw}” không phải số của một bảng tính`);
  return id;
}
