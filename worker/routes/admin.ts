/** Reference data for administrators: units, the indicator catalog and sources, each uploaded as CSV. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { codesWithValues, importCatalog, listIndicators } from "../db/catalog";
import { getDb } from "../db/client";
import { importSources } from "../db/sources";
import { importUnits, unitListFor, unitsUnder, unknownUnitCodes } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { query, unitOrCountry } from "../http/params";
import { parseCatalogCsv } from "../reference/catalog";
import { parseSourcesCsv } from "../reference/sources";
import { type ImportProblem, parseUnitsCsv } from "../reference/units";

const MAX_CSV_BYTES = 5 * 1024 * 1024;

async function csvBody(req: Request): Promise<string> {
  const text = await req.text();
  if (!text.trim()) throw new AppError("bad_request", "Tệp CSV trống");
  return text;
}

function rejectProblems(problems: ImportProblem[]) {
  if (!problems.length) return;
  const shown = problems
    .slice(0, 20)
    .map((p) => `dòng ${p.line}: ${p.message}`)
    .join("; ");
  const more = problems.length > 20 ? ` (và ${problems.length - 20} lỗi khác)` : "";
  throw new AppError("bad_request", `Tệp CSV có ${problems.length} lỗi, chưa nhập gì: ${shown}${more}`);
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
      maxSize: MAX_CSV_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", "Tệp CSV quá lớn (tối đa 5 MB)");
      },
    }),
  )
  .post("/units", query(z.object({ validFrom: z.iso.date() })), async (c) => {
    const { rows, problems } = parseUnitsCsv(await csvBody(c.req.raw));
    rejectProblems(problems);
    const { validFrom } = c.req.valid("query");
    await importUnits(getDb(c.env.DB), validFrom, rows, {
      actor: c.get("principal").email,
      action: "units.import",
      target: validFrom,
      detail: { rows: rows.length },
    });
    return c.json({ imported: rows.length });
  })
  .post("/catalog", async (c) => {
    const { rows, problems } = parseCatalogCsv(await csvBody(c.req.raw));
    rejectProblems(problems);
    // A required indicator that communes already report cannot vanish with an upload: its figures would disappear.
    const db = getDb(c.env.DB);
    const kept = new Set(rows.map((r) => r.code));
    const dropped = (await listIndicators(db)).filter((i) => i.required && !kept.has(i.code));
    const reported = await codesWithValues(
      db,
      dropped.map((i) => i.code),
    );
    if (reported.length) {
      const names = dropped.filter((i) => reported.includes(i.code)).map((i) => `${i.code} (${i.label})`);
      throw new AppError(
        "conflict",
        `Danh mục mới bỏ ${names.length} chỉ tiêu bắt buộc đã có số liệu: ${names.join("; ")} — chưa nhập gì; giữ các dòng này trong tệp (có thể bỏ đánh dấu bắt buộc) rồi tải lại`,
      );
    }
    await importCatalog(db, rows, {
      actor: c.get("principal").email,
      action: "catalog.import",
      detail: { rows: rows.length },
    });
    return c.json({ imported: rows.length });
  })
  .post("/sources", async (c) => {
    const db = getDb(c.env.DB);
    const { rows, problems, warnings } = parseSourcesCsv(await csvBody(c.req.raw));
    rejectProblems(problems);
    const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
    if (!listDate) throw new AppError("conflict", "Chưa có danh sách đơn vị hành chính: nhập danh sách đơn vị trước");
    const unknown = await unknownUnitCodes(
      db,
      listDate,
      rows.map((r) => r.unitCode),
    );
    rejectProblems(
      rows.flatMap((r, i) =>
        unknown.includes(r.unitCode)
          ? [{ line: i + 2, message: `Mã đơn vị ${r.unitCode} không có trong danh sách đơn vị` }]
          : [],
      ),
    );
    const ids = await importSources(db, rows, Date.now(), {
      actor: c.get("principal").email,
      action: "sources.import",
      detail: { rows: rows.length },
    });
    // Registered all the same, so the sheet shows with its cause until the commune converts it.
    return c.json({ imported: ids.length, ids, warnings: warnings.map((w) => `Dòng ${w.line}: ${w.message}`) });
  });
