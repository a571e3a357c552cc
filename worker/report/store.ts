/**
 * A province's own Word template, kept in D1: a row for its name and size, and the file as base64 in parts, since D1
 * holds at most 2,000,000 bytes in one value. Saved and removed in one batch, so a template is whole or absent.
 */
import { eq } from "drizzle-orm";
import { auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { reportTemplateParts, reportTemplates } from "../db/schema";

/** Characters of base64 a part holds: 1 MB of text, half D1's limit for a value. */
const PART_CHARS = 1_000_000;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export type TemplateInfo = { fileName: string; bytes: number; uploadedAt: number; uploadedBy: string };

/** The template's name and size, or null when the unit has none. */
export async function templateInfo(db: Db, unitCode: string): Promise<TemplateInfo | null> {
  const [row] = await db
    .select({
      fileName: reportTemplates.fileName,
      bytes: reportTemplates.bytes,
      uploadedAt: reportTemplates.uploadedAt,
      uploadedBy: reportTemplates.uploadedBy,
    })
    .from(reportTemplates)
    .where(eq(reportTemplates.unitCode, unitCode));
  return row ?? null;
}

/** The template file, or null when the unit has none. */
export async function readTemplate(db: Db, unitCode: string): Promise<Uint8Array | null> {
  const parts = await db
    .select({ data: reportTemplateParts.data })
    .from(reportTemplateParts)
    .where(eq(reportTemplateParts.unitCode, unitCode))
    .orderBy(reportTemplateParts.part);
  return parts.length ? fromBase64(parts.map((p) => p.data).join("")) : null;
}

/** Replaces the unit's template (one batch: the old parts go, the new ones come, with the audit entry). */
export async function saveTemplate(
  db: Db,
  unitCode: string,
  file: Uint8Array,
  fileName: string,
  actor: string,
): Promise<void> {
  const text = toBase64(file);
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += PART_CHARS) parts.push(text.slice(i, i + PART_CHARS));
  const now = Date.now();
  await runBatch(db, [
    db.delete(reportTemplateParts).where(eq(reportTemplateParts.unitCode, unitCode)),
    db.delete(reportTemplates).where(eq(reportTemplates.unitCode, unitCode)),
    db
      .insert(reportTemplates)
      .values({ unitCode, fileName, bytes: file.length, parts: parts.length, uploadedAt: now, uploadedBy: actor }),
    ...parts.map((data, part) => db.insert(reportTemplateParts).values({ unitCode, part, data })),
    auditStatement(
      db,
      { actor, action: "report.template", target: unitCode, detail: { fileName, bytes: file.length } },
      now,
    ),
  ]);
}

/** Removes the unit's template; true when there was one. */
export async function deleteTemplate(db: Db, unitCode: string, actor: string): Promise<boolean> {
  if (!(await templateInfo(db, unitCode))) return false;
  await runBatch(db, [
    db.delete(reportTemplateParts).where(eq(reportTemplateParts.unitCode, unitCode)),
    db.delete(reportTemplates).where(eq(reportTemplates.unitCode, unitCode)),
    auditStatement(db, { actor, action: "report.template.delete", target: unitCode }),
  ]);
  return true;
}
