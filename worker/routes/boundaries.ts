/**
 * The map's boundaries: `POST /api/admin/boundaries` (a GeoJSON or TopoJSON whose features carry the commune code,
 * prepared once per province) and `GET /api/boundaries?unit=` (a province's, or a commune's province's).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { vietnamToday } from "../../domain/time";
import { NATIONAL } from "../../domain/units";
import { requireRole } from "../access/middleware";
import { assertCanRead } from "../access/scope";
import { importBoundaries } from "../admin/boundaries";
import { findBoundaries } from "../db/boundaries";
import { getDb } from "../db/client";
import { provinceOf, unitListFor, unitParents } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { MAX_GZIP_BYTES } from "../geo/boundaries";
import { cacheFor } from "../http/cache";
import { unitOrCountry, valid } from "../http/params";

const MAX_UPLOAD_BYTES = 80 * 1024 * 1024;

export const adminBoundaries = new Hono<AppEnv>().use(requireRole("admin")).post(
  "/",
  bodyLimit({
    maxSize: MAX_UPLOAD_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", "Tệp ranh giới quá lớn (tối đa 80 MB): tách theo tỉnh rồi tải từng tệp");
    },
  }),
  async (c) => {
    let input: unknown;
    try {
      input = JSON.parse(await c.req.text());
    } catch {
      throw new AppError("bad_request", "Tệp ranh giới không phải JSON hợp lệ (cần GeoJSON hoặc TopoJSON)");
    }
    const { email, scopeUnitCode } = c.get("principal");
    const result = await importBoundaries(getDb(c.env.DB), input, email, scopeUnitCode);
    return c.json({ ...result, maxGzipBytes: MAX_GZIP_BYTES });
  },
);

export const boundariesRoute = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ unit: unitOrCountry })),
  async (c) => {
    const { unit } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await assertCanRead(db, c.get("principal"), unit);
    const listDate = await unitListFor(db, vietnamToday());
    // A commune is drawn within its province; the whole country has no commune map.
    const province = unit === NATIONAL || !listDate ? null : provinceOf(await unitParents(db, listDate), unit);
    const topology = province ? await findBoundaries(db, province) : null;
    cacheFor(c, "live");
    return c.json({ unit: province, topology: topology === null ? null : (JSON.parse(topology) as unknown) });
  },
);
