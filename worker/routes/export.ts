import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { buildExportTable, csvText } from "../aggregate/export";
import { xlsxWorkbook } from "../aggregate/xlsx";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { cacheFor } from "../http/cache";
import { basis, periodCode, unitOrCountry, valid } from "../http/params";

const params = valid("query", z.object({ unit: unitOrCountry, period: periodCode, basis: basis.default("latest") }));

/** `/api/export.csv` and `/api/export.xlsx`: the same commune table. */
export const exportCsv = new Hono<AppEnv>().get("/", params, async (c) => {
  const { unit, period, basis } = c.req.valid("query");
  const db = getDb(c.env.DB);
  await assertCanRead(db, c.get("principal"), unit);
  const table = await buildExportTable(db, unit, period, basis);
  cacheFor(c, "live");
  return c.body(csvText(table), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${table.name}.csv"`,
  });
});

export const exportXlsx = new Hono<AppEnv>().get("/", params, async (c) => {
  const { unit, period, basis } = c.req.valid("query");
  const db = getDb(c.env.DB);
  await assertCanRead(db, c.get("principal"), unit);
  const table = await buildExportTable(db, unit, period, basis);
  cacheFor(c, "live");
  const bytes = xlsxWorkbook(`Số liệu ${period}`, [table.heading, ...table.rows]);
  return c.body(bytes.buffer as ArrayBuffer, 200, {
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": `attachment; filename="${table.name}.xlsx"`,
  });
});
