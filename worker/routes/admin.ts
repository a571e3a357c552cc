/**
 * Reference data for administrators: units, the indicator catalog and sources, each uploaded as a CSV or an Excel
 * (.xlsx) file. `?preview=true` checks the file as the import would and answers its problems by line, saving nothing;
 * without it, a file with any problem is refused whole.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { vietnamToday } from "../../domain/time";
import { requireRole } from "../access/middleware";
import {
  type Checked,
  checkCatalog,
  checkSources,
  checkUnits,
  importCatalog,
  importUnitList,
} from "../admin/reference";
import { getDb } from "../db/client";
import { importSources } from "../db/sources";
import { unitListFor, unitsUnder } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { unitOrCountry, valid } from "../http/params";
import type { ImportProblem } from "../reference/table";

const MAX_FILE_BYTES = 5 * 1024 * 1024;

const at = (p: ImportProblem) => (p.line === null ? p.message : `dòng ${p.line}: ${p.message}`);

function refuseProblems({ problems, conflict }: Checked<unknown>) {
  if (problems.length) {
    const shown = problems.slice(0, 20).map(at).join("; ");
    const more = problems.length > 20 ? ` (và ${problems.length - 20} lỗi khác)` : "";
    throw new AppError("bad_request", `Tệp có ${problems.length} lỗi, chưa nhập gì: ${shown}${more}`);
  }
  if (conflict) throw new AppError("conflict", conflict);
}

const upload = z.object({ preview: z.enum(["true", "false"]).default("false") });

/** The preview's answer: what would be imported, and every problem, the whole-file ones first. */
function previewJson(c: Context<AppEnv>, checked: Checked<unknown>) {
  const fileWide = checked.conflict ? [{ line: null, message: checked.conflict }] : [];
  return c.json({
    preview: true as const,
    rows: checked.rows.length,
    problems: [...fileWide, ...checked.problems],
    warnings: checked.warnings,
  });
}

export const admin = new Hono<AppEnv>()
  .use(requireRole("admin"))
  // The units an administrator picks from: a province (or every province) and its communes, from today's list.
  .get("/units", valid("query", z.object({ unit: unitOrCountry })), async (c) => {
    const db = getDb(c.env.DB);
    const listDate = await unitListFor(db, vietnamToday());
    const { unit } = c.req.valid("query");
    const rows = listDate ? await unitsUnder(db, listDate, unit) : [];
    return c.json({ units: rows });
  })
  .use(
    bodyLimit({
      maxSize: MAX_FILE_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", "Tệp quá lớn (tối đa 5 MB)");
      },
    }),
  )
  .post("/units", valid("query", upload.extend({ validFrom: z.iso.date().optional() })), async (c) => {
    const checked = await checkUnits(await c.req.arrayBuffer());
    const { validFrom, preview } = c.req.valid("query");
    if (preview === "true") return previewJson(c, checked);
    refuseProblems(checked);
    if (!validFrom) {
      throw new AppError(
        "bad_request",
        "Chọn ngày danh sách đơn vị có hiệu lực (validFrom), ví dụ 2025-07-01",
        {},
        "validFrom",
      );
    }
    await importUnitList(getDb(c.env.DB), validFrom, checked.rows, {
      actor: c.get("principal").email,
      action: "units.import",
      target: validFrom,
      detail: { rows: checked.rows.length },
    });
    return c.json({ preview: false as const, imported: checked.rows.length, warnings: [] });
  })
  .post("/catalog", valid("query", upload), async (c) => {
    const db = getDb(c.env.DB);
    const checked = await checkCatalog(db, await c.req.arrayBuffer());
    if (c.req.valid("query").preview === "true") return previewJson(c, checked);
    refuseProblems(checked);
    await importCatalog(db, checked.rows, {
      actor: c.get("principal").email,
      action: "catalog.import",
      detail: { rows: checked.rows.length },
    });
    return c.json({ preview: false as const, imported: checked.rows.length, warnings: [] });
  })
  .post("/sources", valid("query", upload), async (c) => {
    const db = getDb(c.env.DB);
    const checked = await checkSources(db, await c.req.arrayBuffer());
    if (c.req.valid("query").preview === "true") return previewJson(c, checked);
    refuseProblems(checked);
    const ids = await importSources(db, checked.rows, Date.now(), {
      actor: c.get("principal").email,
      action: "sources.import",
      detail: { rows: checked.rows.length },
    });
    // Registered all the same, so the sheet shows with its cause until the commune converts it.
    return c.json({ preview: false as const, imported: ids.length, ids, warnings: checked.warnings });
  });
