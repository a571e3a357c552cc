/**
 * Models by kind (PRODUCT.md §15): `GET /api/models?unit&period` for whoever may read the unit (`&kind=` answers one
 * kind: the units one level down running it and those running none), and the catalog of model kinds for
 * administrators (`/api/admin/model-types`: the kinds with how many communes run each, the file to edit, the upload
 * with `?preview=true`).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { assertCanRead, assertNational } from "../access/scope";
import { resolveScope } from "../aggregate/resolve";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { cacheFor } from "../http/cache";
import { aggregateParams, valid } from "../http/params";
import { checkModelTypes, importModelTypes } from "../models/admin";
import { MODEL_TYPES_FILE, modelTypeRecord } from "../models/catalog";
import { kindOf, modelsOf } from "../models/query";
import { kindsInUse, listModelTypes } from "../models/store";
import { previewJson, referenceDownload, refuseProblems } from "./admin";

const kind = z
  .string()
  .regex(/^(\?[a-z0-9 ]+|[a-z][a-z0-9_]*)$/, "mã loại mô hình")
  .max(200)
  .optional();

export const modelsRoute = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ unit: aggregateParams.unit, period: aggregateParams.period, kind })),
  async (c) => {
    const q = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), q.unit);
    const { scope, unit } = await resolveScope(db, q.unit, q.period, null);
    cacheFor(c, "live");
    if (!q.kind) return c.json({ unit, period: q.period, ...(await modelsOf(db, scope, q.period, unit.kind)) });
    // One kind: who runs it one level down, without the unit's whole answer (the page has it already).
    const chosen = await kindOf(db, scope, q.period, unit.kind, q.kind);
    if (!chosen)
      throw new AppError("not_found", `Đơn vị ${unit.name} không có loại mô hình “${q.kind}” trong kỳ ${q.period}`);
    return c.json({ unit, period: q.period, kind: chosen });
  },
);

const MAX_FILE_BYTES = 1024 * 1024;

export const adminModels = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .get("/", async (c) => {
    const db = getDb(c.env.DB);
    const types = await listModelTypes(db);
    const used = new Map(
      (
        await kindsInUse(
          db,
          types.map((t) => t.code),
        )
      ).map((u) => [u.kind, u.communes]),
    );
    return c.json({ types: types.map((t) => ({ ...t, communes: used.get(t.code) ?? 0 })) });
  })
  .get("/file.csv", async (c) => {
    const rows = (await listModelTypes(getDb(c.env.DB))).map(modelTypeRecord);
    return referenceDownload(
      c,
      MODEL_TYPES_FILE,
      rows.length ? rows : MODEL_TYPES_FILE.examples,
      "danh-muc-loai-mo-hinh",
      "csv",
    );
  })
  .use(
    bodyLimit({
      maxSize: MAX_FILE_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", "Tệp quá lớn (tối đa 1 MB)");
      },
    }),
  )
  .post("/", valid("query", z.object({ preview: z.enum(["true", "false"]).default("false") })), async (c) => {
    // One catalog of model kinds for every province, as the indicator catalog.
    assertNational(c.get("principal"), "nhập danh mục loại mô hình");
    const db = getDb(c.env.DB);
    const checked = await checkModelTypes(db, await c.req.arrayBuffer());
    if (c.req.valid("query").preview === "true") return previewJson(c, checked);
    refuseProblems(checked);
    await importModelTypes(db, checked.rows, {
      actor: c.get("principal").email,
      action: "model_types.import",
      detail: { rows: checked.rows.length },
    });
    return c.json({ preview: false as const, imported: checked.rows.length, warnings: checked.warnings });
  });
