/**
 * Importing the catalog of model kinds (PRODUCT.md §15), checked whole before anything is saved like the other
 * reference files (worker/admin/reference.ts): problems by line, and a file dropping a kind that communes' lists
 * use refused whole. A new catalog is read against at the next sync (every sheet is read again once).
 */

import type { Checked } from "../admin/reference";
import { type AuditEntry, auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { CATALOG_FILE } from "../reference/catalog";
import { SOURCES_FILE } from "../reference/sources";
import { readReferenceFile } from "../reference/table";
import { UNIT_FILE } from "../reference/units";
import { MODEL_TYPES_FILE, type ModelType, parseModelTypes } from "./catalog";
import { sharedNames } from "./match";
import { kindsInUse, listModelTypes, replaceModelTypes } from "./store";

export async function checkModelTypes(db: Db, body: ArrayBuffer): Promise<Checked<ModelType>> {
  const file = await readReferenceFile(body, MODEL_TYPES_FILE, [UNIT_FILE, CATALOG_FILE, SOURCES_FILE]);
  if (file.problems.length) return { rows: [], problems: file.problems, warnings: [], conflict: null };
  const { rows, problems } = parseModelTypes(file.records);
  const lineOf = new Map(file.records.map((r) => [r.fields.code?.trim(), r.line]));
  for (const { code, other, name } of sharedNames(rows)) {
    problems.push({
      line: lineOf.get(code) ?? null,
      message: `Tên “${name}” của loại ${code} trùng với một tên của loại ${other} (không kể hoa thường, dấu) — mỗi tên chỉ thuộc một loại`,
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const kept = new Set(rows.map((r) => r.code));
  const dropped = (await listModelTypes(db)).filter((t) => !kept.has(t.code));
  const used = rows.length
    ? await kindsInUse(
        db,
        dropped.map((t) => t.code),
      )
    : [];
  const label = new Map(dropped.map((t) => [t.code, t.label]));
  const conflict = used.length
    ? `Danh mục mới bỏ ${used.length} loại mô hình đang có xã báo cáo: ${used.map((u) => `${u.kind} (${label.get(u.kind)}, ${u.communes} xã)`).join("; ")} — chưa nhập gì; giữ các dòng này trong tệp rồi tải lại`
    : null;
  return { rows, problems, warnings: file.warnings, conflict };
}

export async function importModelTypes(db: Db, rows: ModelType[], audit: AuditEntry): Promise<void> {
  await runBatch(db, [...replaceModelTypes(rows), auditStatement(db, audit)]);
}
