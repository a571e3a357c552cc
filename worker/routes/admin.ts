/**
 * Reference data for administrators: units, the indicator catalog and sources, each uploaded as a CSV or an Excel
 * (.xlsx) file. `?preview=true` checks the file as the import would and answers its problems by line, saving nothing;
 * without it, a file with any problem is refused whole. Each file has a template to download, written from the same
 * column definitions the upload is checked against, and the catalog in use can be downloaded to be edited.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { vietnamToday } from "../../domain/time";
import { requireRole } from "../access/middleware";
import { administeredTest, administeredUnit, assertNational } from "../access/scope";
import {
  type Checked,
  checkCatalog,
  checkSources,
  checkUnits,
  importCatalog,
  importUnitList,
} from "../admin/reference";
import { csvText } from "../aggregate/export";
import { xlsxWorkbook } from "../aggregate/xlsx";
import { listIndicators } from "../db/catalog";
import { getDb } from "../db/client";
import { importSources } from "../db/sources";
import { unitListFor, unitsUnder } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { unitOrCountry, valid } from "../http/params";
import { MODEL_TYPES_FILE } from "../models/catalog";
import { CATALOG_FILE, catalogRecord } from "../reference/catalog";
import { SOURCES_FILE } from "../reference/sources";
import type { ImportProblem, ReferenceFormat } from "../reference/table";
import { UNIT_FILE } from "../reference/units";

const MAX_FILE_BYTES = 5 * 1024 * 1024;

const at = (p: ImportProblem) => (p.line === null ? p.message : `dòng ${p.line}: ${p.message}`);

export function refuseProblems({ problems, conflict }: Checked<unknown>) {
  if (problems.length) {
    const shown = problems.slice(0, 20).map(at).join("; ");
    const more = problems.length > 20 ? ` (và ${problems.length - 20} lỗi khác)` : "";
    throw new AppError("bad_request", `Tệp có ${problems.length} lỗi, chưa nhập gì: ${shown}${more}`);
  }
  if (conflict) throw new AppError("conflict", conflict);
}

const upload = z.object({ preview: z.enum(["true", "false"]).default("false") });

/** The preview's answer: what would be imported, and every problem, the whole-file ones first. */
export function previewJson(c: Context<AppEnv>, checked: Checked<unknown>) {
  const fileWide = checked.conflict ? [{ line: null, message: checked.conflict }] : [];
  return c.json({
    preview: true as const,
    rows: checked.rows.length,
    problems: [...fileWide, ...checked.problems],
    warnings: checked.warnings,
  });
}

const TEMPLATES = {
  units: { format: UNIT_FILE, name: "mau-danh-sach-don-vi" },
  catalog: { format: CATALOG_FILE, name: "mau-danh-muc-chi-tieu" },
  sources: { format: SOURCES_FILE, name: "mau-danh-sach-bang-tinh" },
  models: { format: MODEL_TYPES_FILE, name: "mau-danh-muc-loai-mo-hinh" },
};
const templateKind = z.enum(["units", "catalog", "sources", "models"]);
const fileType = z.enum(["csv", "xlsx"]);
/** `catalog.csv`, `units.xlsx`…: which file, in which type. */
const templateFile = z
  .templateLiteral([templateKind, ".", fileType])
  .transform((file) => {
    const [kind, type] = file.split(".");
    return { kind, type };
  })
  .pipe(z.object({ kind: templateKind, type: fileType }));

/**
 * A reference file to download: its columns in order, then `records`. CSV in UTF-8 with a BOM, so that Excel reads
 * the accents right; or a workbook, whose cells stay text (codes keep their leading zeros).
 */
export function referenceDownload(
  c: Context<AppEnv>,
  format: ReferenceFormat,
  records: readonly Readonly<Partial<Record<string, string>>>[],
  name: string,
  type: "csv" | "xlsx",
) {
  const heading = format.columns.map((col) => col.name);
  const rows = records.map((r) => heading.map((h) => r[h] ?? ""));
  const headers = { "Content-Disposition": `attachment; filename="${name}.${type}"` };
  if (type === "csv") {
    return c.body(csvText({ name, heading, rows }), 200, {
      ...headers,
      "Content-Type": "text/csv; charset=utf-8",
    });
  }
  return c.body(xlsxWorkbook(name, [heading, ...rows]).buffer as ArrayBuffer, 200, {
    ...headers,
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}

export const admin = new Hono<AppEnv>()
  .use(requireRole("admin"))
  // The units an administrator picks from: a province (or every province) and its communes, from today's list; a
  // province's admin asking for the whole country gets its province.
  .get("/units", valid("query", z.object({ unit: unitOrCountry })), async (c) => {
    const db = getDb(c.env.DB);
    const unit = await administeredUnit(db, c.get("principal"), c.req.valid("query").unit);
    const listDate = await unitListFor(db, vietnamToday());
    const rows = listDate ? await unitsUnder(db, listDate, unit) : [];
    return c.json({ units: rows });
  })
  // The header and example rows of each reference file, from the columns its upload is checked against.
  .get("/templates/:file", valid("param", z.object({ file: templateFile })), (c) => {
    const { kind, type } = c.req.valid("param").file;
    const { format, name } = TEMPLATES[kind];
    return referenceDownload(c, format, format.examples, name, type);
  })
  // The catalog in use, as a file that imports back unchanged: to add an indicator, add its row and upload it.
  .get("/catalog.csv", async (c) => {
    const rows = (await listIndicators(getDb(c.env.DB))).map(catalogRecord);
    return referenceDownload(c, CATALOG_FILE, rows, "danh-muc-chi-tieu", "csv");
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
    assertNational(c.get("principal"), "nhập danh sách đơn vị hành chính");
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
    return c.json({ preview: false as const, imported: checked.rows.length, warnings: checked.warnings });
  })
  .post("/catalog", valid("query", upload), async (c) => {
    assertNational(c.get("principal"), "nhập danh mục chỉ tiêu");
    const db = getDb(c.env.DB);
    const checked = await checkCatalog(db, await c.req.arrayBuffer());
    if (c.req.valid("query").preview === "true") return previewJson(c, checked);
    refuseProblems(checked);
    await importCatalog(db, checked.rows, {
      actor: c.get("principal").email,
      action: "catalog.import",
      detail: { rows: checked.rows.length },
    });
    return c.json({ preview: false as const, imported: checked.rows.length, warnings: checked.warnings });
  })
  .post("/sources", valid("query", upload), async (c) => {
    const db = getDb(c.env.DB);
    const checked = await checkSources(db, await c.req.arrayBuffer());
    // A province's admin registers its own province's sheets only: a file naming another unit is refused whole.
    const administered = await administeredTest(db, c.get("principal"));
    const outside = [...new Set(checked.rows.map((r) => r.unitCode).filter((code) => !administered(code)))];
    if (outside.length) {
      throw new AppError(
        "forbidden",
        `Tệp có bảng tính của ${outside.length} đơn vị ngoài tỉnh của quản trị viên (mã ${outside.slice(0, 10).join(", ")}${outside.length > 10 ? "…" : ""}), chưa nhập gì: bỏ các dòng đó rồi tải lại`,
      );
    }
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
