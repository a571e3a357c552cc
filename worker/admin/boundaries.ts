/**
 * The map's boundaries, uploaded once (a GeoJSON or TopoJSON whose features carry the commune code): each feature
 * placed in its province by today's unit list, each province's communes kept as one TopoJSON.
 */
import type { Geometry } from "geojson";
import { vietnamToday } from "../../domain/time";
import { isCommuneKind } from "../../domain/units";
import { saveBoundaries } from "../db/boundaries";
import type { Db } from "../db/client";
import { provinceOf, unitListFor, unitParents } from "../db/units";
import { AppError } from "../errors";
import { BoundaryError, featuresOf, provinceTopology, unitCodeOf } from "../geo/boundaries";

export type BoundariesImport = {
  provinces: { unitCode: string; communes: number; gzipBytes: number }[];
  /** Codes of features that are no commune of the list (or have no geometry). */
  unmatched: string[];
  withoutCode: number;
};

/** `onlyProvince`: the province of an administrator scoped to one; a file with another province's communes is refused. */
export async function importBoundaries(
  db: Db,
  input: unknown,
  actor: string,
  onlyProvince: string | null = null,
): Promise<BoundariesImport> {
  const listDate = await unitListFor(db, vietnamToday());
  if (!listDate) throw new AppError("conflict", "Chưa có danh sách đơn vị hành chính: nhập danh sách đơn vị trước");
  const parents = await unitParents(db, listDate);
  let features: ReturnType<typeof featuresOf>;
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
  const others = [...byProvince.keys()].filter((p) => onlyProvince !== null && p !== onlyProvince);
  if (others.length) {
    throw new AppError(
      "forbidden",
      `Tệp có ranh giới của xã thuộc tỉnh khác (mã tỉnh ${others.join(", ")}), chưa nhập gì: quản trị viên của tỉnh mã ${onlyProvince} chỉ tải ranh giới các xã trong tỉnh mình`,
    );
  }
  const rows = [];
  for (const [unitCode, communes] of byProvince) {
    const { topology, gzipBytes } = await provinceTopology(communes);
    rows.push({ unitCode, topology: JSON.stringify(topology), communes: communes.length, gzipBytes });
  }
  const provinces = rows.map((r) => ({ unitCode: r.unitCode, communes: r.communes, gzipBytes: r.gzipBytes }));
  await saveBoundaries(db, rows, actor, {
    actor,
    action: "boundaries.import",
    detail: { provinces, unmatched: unmatched.length },
  });
  return { provinces, unmatched, withoutCode };
}
