/**
 * The report as a Word document (PRODUCT.md §13): `/api/report.docx` for whoever reads the report, and for a
 * province's admin its letterhead (`/api/admin/report-settings`) and its own template (`/api/admin/report-template`).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { periodLabel, previousYearPeriod } from "../../domain/periods";
import { vietnamToday } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import { requireRole } from "../access/middleware";
import type { Principal } from "../access/principal";
import { assertCanRead } from "../access/scope";
import { buildBreakdown } from "../aggregate/breakdown";
import { buildReport } from "../aggregate/report";
import { buildSummary } from "../aggregate/summary";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { cacheFor } from "../http/cache";
import { aggregateParams, unitOrCountry, valid } from "../http/params";
import { EMPTY_LETTERHEAD, letterheadUnit, readLetterhead, saveLetterhead } from "../report/letterhead";
import { deleteTemplate, readTemplate, saveTemplate, templateInfo } from "../report/store";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;

/**
 * The Word libraries (about half the Worker's code) are loaded by the requests that use them, so that every other
 * request's isolate starts without evaluating them.
 */
const wordTemplates = () => import("../report/template");

/** `attachment` with an ASCII name for old clients and the Vietnamese one (RFC 6266 `filename*`). */
function attachment(ascii: string, name: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const reportDocx = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ ...aggregateParams, form: z.enum(["standard"]).optional() })),
  async (c) => {
    const { unit, period, compare, conference, basis, form } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit, conference);
    const against = compare ?? previousYearPeriod(period);
    const home = await letterheadUnit(db, unit);
    const template = form === "standard" || home === null ? null : await readTemplate(db, home);
    let bytes: ArrayBuffer | Uint8Array;
    let unitName: string;
    let frozen: boolean;
    if (template) {
      const summary = await buildSummary(db, unit, period, against, conference ?? null, basis);
      // Unit by unit, indicator by indicator, as the dashboard's breakdown reads them (a commune has none below it).
      const breakdowns = isCommuneKind(summary.unit.kind)
        ? []
        : await Promise.all(
            summary.indicators.map((i) => buildBreakdown(db, unit, period, i.code, against, conference ?? null, basis)),
          );
      const { fillTemplate, templateData } = await wordTemplates();
      bytes = fillTemplate(template, templateData(summary, breakdowns));
      unitName = summary.unit.name;
      frozen = summary.frozen;
    } else {
      const [report, letterhead] = await Promise.all([
        buildReport(db, unit, period, against, conference ?? null, basis),
        home === null ? null : readLetterhead(db, home),
      ]);
      const { reportDocument } = await import("../report/docx");
      bytes = await reportDocument(report, letterhead ?? EMPTY_LETTERHEAD, vietnamToday());
      unitName = report.unit.name;
      frozen = report.frozen;
    }
    cacheFor(c, frozen ? "frozen" : "live");
    const body = bytes instanceof Uint8Array ? (bytes.slice().buffer as ArrayBuffer) : bytes;
    return c.body(body, 200, {
      "Content-Type": DOCX,
      "Content-Disposition": attachment(
        `bao-cao-${unit}-${period}.docx`,
        `Báo cáo ${unitName} ${periodLabel(period).toLowerCase()}.docx`,
      ),
    });
  },
);

/**
 * The province (or VN) whose document settings are asked for, once the admin may set them: a national admin any, a
 * province's admin its own.
 */
async function settingsUnit(db: Db, principal: Principal, unit: string): Promise<string> {
  const home = await letterheadUnit(db, unit);
  if (home === null) throw new AppError("not_found", `Không có đơn vị hành chính mã “${unit}”`);
  if (home !== unit)
    throw new AppError(
      "bad_request",
      `Mẫu báo cáo đặt cho cả tỉnh: chọn tỉnh, thành phố (mã ${home}) thay cho đơn vị ${unit}`,
      {},
      "unit",
    );
  if (principal.scopeUnitCode !== null && principal.scopeUnitCode !== unit)
    throw new AppError("forbidden", `Quản trị viên chỉ đặt mẫu báo cáo cho tỉnh mình, không phải đơn vị mã ${unit}`);
  return unit;
}

const line = (max: number) => z.string().max(max, `tối đa ${max} ký tự`);
const letterhead = z.object({
  parentAgency: line(200),
  agency: line(200),
  placeName: line(100),
  symbol: line(50),
  signerAuthority: line(100),
  signerTitle: line(100),
  signerName: line(100),
  recipients: z.array(line(200)).max(40, "tối đa 40 nơi nhận"),
});
const unitQuery = valid("query", z.object({ unit: unitOrCountry }));

const admin = requireRole("admin");

export const adminReportDocument = new Hono<AppEnv>()
  .get("/report-settings", admin, unitQuery, async (c) => {
    const db = getDb(c.env.DB);
    const unit = await settingsUnit(db, c.get("principal"), c.req.valid("query").unit);
    const [saved, template] = await Promise.all([readLetterhead(db, unit), templateInfo(db, unit)]);
    const { updatedAt, updatedBy, ...fields } = saved ?? { ...EMPTY_LETTERHEAD, updatedAt: null, updatedBy: null };
    return c.json({ unit, letterhead: fields, updatedAt, updatedBy, template });
  })
  .put("/report-settings", admin, unitQuery, valid("json", letterhead), async (c) => {
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    const unit = await settingsUnit(db, principal, c.req.valid("query").unit);
    await saveLetterhead(db, unit, c.req.valid("json"), principal.email);
    const saved = await readLetterhead(db, unit);
    return c.json({ unit, letterhead: saved });
  })
  .get("/report-template", admin, unitQuery, async (c) => {
    const db = getDb(c.env.DB);
    const unit = await settingsUnit(db, c.get("principal"), c.req.valid("query").unit);
    const [info, file] = await Promise.all([templateInfo(db, unit), readTemplate(db, unit)]);
    if (!info || !file) throw new AppError("not_found", "Tỉnh chưa tải lên mẫu báo cáo riêng");
    return c.body(file.slice().buffer as ArrayBuffer, 200, {
      "Content-Type": DOCX,
      "Content-Disposition": attachment(`mau-bao-cao-${unit}.docx`, info.fileName),
    });
  })
  .on(
    ["PUT", "POST"],
    "/report-template",
    admin,
    bodyLimit({
      maxSize: MAX_TEMPLATE_BYTES,
      onError: () => {
        throw new AppError("bad_request", "Mẫu báo cáo quá lớn (tối đa 2 MB): bớt hình ảnh trong mẫu rồi tải lên lại");
      },
    }),
    valid("query", z.object({ unit: unitOrCountry, name: line(200).optional() })),
    async (c) => {
      const db = getDb(c.env.DB);
      const principal = c.get("principal");
      const { unit: asked, name } = c.req.valid("query");
      const unit = await settingsUnit(db, principal, asked);
      const file = new Uint8Array(await c.req.arrayBuffer());
      if (file.length === 0) throw new AppError("bad_request", "Chưa có tệp mẫu: gửi tệp .docx làm nội dung yêu cầu");
      if (file.length > MAX_TEMPLATE_BYTES)
        throw new AppError("bad_request", "Mẫu báo cáo quá lớn (tối đa 2 MB): bớt hình ảnh trong mẫu rồi tải lên lại");
      const [catalog, { checkTemplate }] = await Promise.all([listIndicators(db), wordTemplates()]);
      const problems = checkTemplate(
        file,
        catalog.map((i) => i.code),
      );
      if (problems.length)
        throw new AppError("bad_request", `Mẫu báo cáo chưa dùng được, chưa lưu gì: ${problems.join("; ")}`);
      const fileName = name?.trim() || "mau-bao-cao.docx";
      await saveTemplate(db, unit, file, fileName, principal.email);
      return c.json({ unit, template: await templateInfo(db, unit) });
    },
  )
  .delete("/report-template", admin, unitQuery, async (c) => {
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    const unit = await settingsUnit(db, principal, c.req.valid("query").unit);
    if (!(await deleteTemplate(db, unit, principal.email)))
      throw new AppError("not_found", "Tỉnh chưa tải lên mẫu báo cáo riêng");
    return c.json({ unit, template: null });
  });
