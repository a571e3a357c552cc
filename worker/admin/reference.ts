/**
 * Reference files an administrator imports — the unit list, the indicator catalog, the sources — each checked as a
 * whole before anything is saved, then saved with every roll-up it changes, in one batch (PRODUCT.md §2, §8).
 */
import { vietnamToday } from "../../domain/time";
import { type AuditEntry, auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import { codesWithValues, listIndicators, replaceCatalog } from "../db/catalog";
import type { Db } from "../db/client";
import { activeSourcesOf } from "../db/sources";
import { replaceUnitList, unitListFor, unitsNamed, unknownUnitCodes } from "../db/units";
import { modelRollupRebuild } from "../models/rollup";
import { CATALOG_FILE, type Indicator, parseCatalog } from "../reference/catalog";
import { lostZeros, otherUnitsUse, parseSources, SOURCES_FILE, type SourceRow } from "../reference/sources";
import { type ImportProblem, type ReferenceFormat, type ReferenceTable, readReferenceFile } from "../reference/table";
import { parseUnits, UNIT_FILE, type UnitRow } from "../reference/units";
import { rebuildEverything } from "../rollups/write";
import { belongsTo } from "./sources";

/** What importing a file would do: its rows, its problems by line, and what refuses it whole (`conflict`). */
export type Checked<R> = { rows: R[]; problems: ImportProblem[]; warnings: ImportProblem[]; conflict: string | null };

const FORMATS = [UNIT_FILE, CATALOG_FILE, SOURCES_FILE];

/** The file read as `format`, its header checked against it (a file meant for another page is named as such). */
const readAs = (body: ArrayBuffer, format: ReferenceFormat) =>
  readReferenceFile(
    body,
    format,
    FORMATS.filter((f) => f !== format),
  );

/** A file whose header does not fit: its header's problems alone, since none of its rows could be read right. */
const refusedHeader = ({ problems }: ReferenceTable) => ({ rows: [], problems, warnings: [], conflict: null });

export async function checkUnits(body: ArrayBuffer): Promise<Checked<UnitRow>> {
  const file = await readAs(body, UNIT_FILE);
  if (file.problems.length) return refusedHeader(file);
  const { rows, problems } = parseUnits(file.records);
  return { rows, problems, warnings: file.warnings, conflict: null };
}

/** A catalog file, refused whole when it drops a required indicator that communes already report. */
export async function checkCatalog(db: Db, body: ArrayBuffer): Promise<Checked<Indicator>> {
  const file = await readAs(body, CATALOG_FILE);
  if (file.problems.length) return refusedHeader(file);
  const { rows, problems, warnings } = parseCatalog(file.records);
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
  return { rows, problems, warnings: [...file.warnings, ...warnings], conflict };
}

/** A sources file, each row's unit looked up in today's unit list. */
export async function checkSources(db: Db, body: ArrayBuffer): Promise<Checked<SourceRow>> {
  const file = await readAs(body, SOURCES_FILE);
  if (file.problems.length) return refusedHeader(file);
  const { rows, lines, problems, warnings: rowWarnings } = parseSources(file.records);
  const warnings = [...file.warnings, ...rowWarnings];
  const listDate = await unitListFor(db, vietnamToday());
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
            line: lines[i] ?? null,
            message: `Mã đơn vị ${r.unitCode} không có trong danh sách đơn vị${lostZeros(r.unitCode)}`,
          },
        ]
      : [],
  );
  // A sheet already read for another unit, or given to two units in the file, belongs to one of them only.
  const owners = await activeSourcesOf(
    db,
    rows.map((r) => r.spreadsheetId),
    listDate,
  );
  const names = new Map(
    (
      await unitsNamed(
        db,
        listDate,
        rows.map((r) => r.unitCode),
      )
    ).map((u) => [u.code, u.fullName]),
  );
  const taken = rows.flatMap((r, i) => {
    const earlier = rows.slice(0, i).map((e) => ({ ...e, unitName: names.get(e.unitCode) ?? null }));
    const owner = otherUnitsUse(r, [...owners, ...earlier]);
    return owner ? [{ line: lines[i] ?? null, message: belongsTo(owner) }] : [];
  });
  const byLine = (a: ImportProblem, b: ImportProblem) => (a.line ?? 0) - (b.line ?? 0);
  return { rows, problems: [...problems, ...unlisted, ...taken].sort(byLine), warnings, conflict: null };
}

/**
 * Replaces the list of that date and rebuilds every roll-up, the models' too (a list decides which communes each
 * unit sums).
 */
export async function importUnitList(db: Db, validFrom: string, rows: UnitRow[], audit: AuditEntry): Promise<void> {
  await runBatch(db, [
    ...replaceUnitList(db, validFrom, rows),
    auditStatement(db, audit),
    ...(await rebuildEverything(db)),
    ...(await modelRollupRebuild(db)),
  ]);
}

/** Replaces the catalog and rebuilds every roll-up (ratios and required indicators are the catalog's). */
export async function importCatalog(db: Db, rows: Indicator[], audit: AuditEntry): Promise<void> {
  await runBatch(db, [...replaceCatalog(db, rows), auditStatement(db, audit), ...(await rebuildEverything(db))]);
}
