/**
 * Reference data for administrators: units, the indicator catalog and sources, each uploaded as a CSV or an Excel
 * (.xlsx) file. `?preview=true` checks the file as the import would and answers its problems by line, saving nothing;
 * without it, a file with any problem is refused whole.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { codesWithValues, importCatalog, listIndicators } from "../db/catalog";
import { type Db, getDb } from "../db/client";
import { importSources } from "../db/sources";
import { importUnits, unitListFor, unitsUnder, unknownUnitCodes } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { query, unitOrCountry } from "../http/params";
import { type Indicator, parseCatalog } from "../reference/catalog";
import { lostZeros, parseSources, type SourceRow } from "../reference/sources";
import { type ImportProblem, readReferenceFile } from "../reference/table";
import { parseUnits } from "../reference/units";

const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** What importing a file would do: its rows, its problems by line, and what refuses it whole (`conflict`). */
type Checked<R> = { rows: R[]; problems: ImportProblem[]; warnings: ImportProblem[]; conflict: string | null };

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

async function checkCatalog(db: Db, body: ArrayBuffer): Promise<Checked<Indicator>> {
  const { rows, problems } = parseCatalog(await readReferenceFile(body));
  // A required indicator that communes already report cannot vanish with an upload: its figures would disappear.
  const kept = new Set(rows.map((r) => r.code));
  const dropped = (await listIndicators(db)).filter((i) => i.required && !kept.has(i.code));
  const reported = rows.length
    ? await codesWithValues(
        db,
        dropped.map((i) => i.code),
      )
    : [];
  const names = dropped.filter((i) => reported.includes(i.code)).map((i) => `${i.code} (${i.label})`);
  const conflict = names.length
    ? `Danh mục mới bỏ ${names.length} chỉ tiêu bắt buộc đã có số liệu: ${names.join("; ")} — chưa nhập gì; giữ các dòng này trong tệp (có thể bỏ đánh dấu bắt buộc) rồi tải lại`
    : null;
  return { rows, problems, warnings: [], conflict };
}

async function checkSources(db: Db, body: ArrayBuffer): Promise<Checked<SourceRow>> {
  const { rows, lines, problems, warnings } = parseSources(await readReferenceFile(body));
  const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
  if (!listDate) {
    const conflict = "Chưa có danh sách đơn vị hành chính: nhập danh sách đơn vị (trang “Danh mục”) trước";
    return { rows, problems, warnings, conflict };
  }
  const unknown = new Set(
    await unknownUnitCodes(
      db,
      listDate,
      rows.map((r) => r.unitCode),
    ),
  );
  const unlisted = rows.flatMap((r, i) =>
    unknown.has(r.unitCode)
      ? [
          {
            line: lines[i]!,
            message: `Mã đơn vị ${r.unitCode} không có trong danh sách đơn vị${lostZeros(r.unitCode)}`,
          },
        ]
      : [],
  );
  return {
    rows,
    problems: [...problems, ...unlisted].sort((a, b) => a.line! - b.line!),
    warnings,
    conflict: null,
  };
}

export const admin = new Hono<AppEnv>()
  .use(requireRole("admin"))
  // The units an administrator picks from: a province (or every province) and its communes, from today's list.
  .get("/units", query(z.object({ unit: unitOrCountry })), async (c) => {
    const db = getDb(c.env.DB);
    const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
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
  .post("/units", query(upload.extend({ validFrom: z.iso.date().optional() })), async (c) => {
    const { rows, problems } = parseUnits(await readReferenceFile(await c.req.arrayBuffer()));
    const checked = { rows, problems, warnings: [], conflict: null };
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
    await importUnits(getDb(c.env.DB), validFrom, rows, {
      actor: c.get("principal").email,
      action: "units.import",
      target: validFrom,
      detail: { rows: rows.length },
    });
    return c.json({ preview: false as const, imported: rows.length, warnings: [] });
  })
  .post("/catalog", query(upload), async (c) => {
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
  .post("/sources", query(upload), async (c) => {
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
