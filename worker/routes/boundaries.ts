/**
 * The map's boundaries: `POST /api/admin/boundaries` (a GeoJSON or TopoJSON whose features carry the commune code,
 * prepared once per province) and `GET /api/boundaries?unit=` (a province's, or a commune's province's).
 */
import type { Geometry } from "geojson";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { isCommuneKind, NATIONAL } from "../../domain/units";
import { requireRole } from "../access/middleware";
import { assertCanRead } from "../access/scope";
import { findBoundaries, saveBoundaries } from "../db/boundaries";
import { getDb } from "../db/client";
import { provinceOf, unitListFor, unitParents } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { BoundaryError, featuresOf, MAX_GZIP_BYTES, provinceTopology, unitCodeOf } from "../geo/boundaries";
import { cacheFor } from "../http/cache";
import { query, unitOrCountry } from "../http/params";

const MAX_UPLOAD_BYTES = 80 * 1024 * 1024;
const today = () => new Date().toISOString().slice(0, 10);

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
    const db = getDb(c.env.DB);
    const listDate = await unitListFor(db, today());
    if (!listDate) throw new AppError("conflict", "Chưa có danh sách đơn vị hành chính: nhập danh sách đơn vị trước");
    const parents = await unitParents(db, listDate);
    let features;
    try {
      features = featuresOf(input);
    } catch (err) {
      if (err instanceof BoundaryError) throw new AppError("bad_request", err.message);
      throw err;
    }
    const byProvince = new Map<string, { code: string; geometry: Geometry }[]>();
    const unmatched: string[] = [];
    let withoutCode = 0;
    for (const f of features) {
      const code = unitCodeOf(f);
      if (!code) {
        withoutCode++;
        continue;
      }
      const unit = parents.get(code);
      const province = unit && isCommuneKind(unit.kind) ? provinceOf(parents, code) : null;
      if (!province || !f.geometry) {
        unmatched.push(code);
        continue;
      }
      byProvince.set(province, [...(byProvince.get(province) ?? []), { code, geometry: f.geometry }]);
    }
    if (byProvince.size === 0) {
      throw new AppError(
        "bad_request",
        `Không có ranh giới nào khớp mã xã trong danh sách đơn vị (${features.length} đối tượng, ${withoutCode} không có mã): mỗi đối tượng cần thuộc tính “code” (hoặc “ma_xa”) là mã xã 5 chữ số`,
      );
    }
    const rows = [];
    for (const [unitCode, communes] of byProvince) {
      const { topology, gzipBytes } = await provinceTopology(communes);
      rows.push({ unitCode, topology: JSON.stringify(topology), communes: communes.length, gzipBytes });
    }
    const actor = c.get("principal").email;
    const summary = rows.map((r) => ({ unitCode: r.unitCode, communes: r.communes, gzipBytes: r.gzipBytes }));
    await saveBoundaries(db, rows, actor, {
      actor,
      action: "boundaries.import",
      detail: { provinces: summary, unmatched: unmatched.length },
    });
    return c.json({ provinces: summary, unmatched, withoutCode, maxGzipBytes: MAX_GZIP_BYTES });
  },
);

export const boundariesRoute = new Hono<AppEnv>().get("/", query(z.object({ unit: unitOrCountry })), async (c) => {
  const { unit } = c.req.valid("query");
  const db = getDb(c.env.DB);
  await assertCanRead(db, c.get("principal"), unit);
  const listDate = await unitListFor(db, today());
  // A commune is drawn within its province; the whole country has no commune map.
  const province = unit === NATIONAL || !listDate ? null : provinceOf(await unitParents(db, listDate), unit);
  const topology = province ? await findBoundaries(db, province) : null;
  cacheFor(c, "live");
  return c.json({ unit: province, topology: topology === null ? null : (JSON.parse(topology) as unknown) });
});
