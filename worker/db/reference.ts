/** Reference data: units, the indicator catalog, periods and sources. */
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import type { Indicator } from "../reference/catalog";
import { parsePeriodCode } from "../reference/periods";
import type { SourceRow } from "../reference/sources";
import type { UnitRow } from "../reference/units";
import type { BatchItem } from "drizzle-orm/batch";
import { auditStatement, type AuditEntry } from "./audit";
import { chunk, runBatch } from "./batch";
import type { Db } from "./client";
import { indicators, periods, sources, units } from "./schema";

export async function importUnits(db: Db, validFrom: string, rows: UnitRow[], audit?: AuditEntry): Promise<void> {
  const statements = [db.delete(units).where(eq(units.validFrom, validFrom))];
  for (const part of chunk(rows, 7)) {
    statements.push(db.insert(units).values(part.map((r) => ({ ...r, validFrom }))) as never);
  }
  if (audit) statements.push(auditStatement(db, audit) as never);
  await runBatch(db, statements);
}

/** The date of the unit list in force on `date` (the earliest list when none is older). */
export async function unitListFor(db: Db, date: string): Promise<string | null> {
  const [inForce] = await db
    .select({ validFrom: units.validFrom })
    .from(units)
    .where(lte(units.validFrom, date))
    .orderBy(desc(units.validFrom))
    .limit(1);
  if (inForce) return inForce.validFrom;
  const [earliest] = await db.select({ validFrom: units.validFrom }).from(units).orderBy(units.validFrom).limit(1);
  return earliest?.validFrom ?? null;
}

export async function findUnit(db: Db, listDate: string, code: string) {
  const [unit] = await db
    .select()
    .from(units)
    .where(and(eq(units.validFrom, listDate), eq(units.code, code)));
  return unit ?? null;
}

export async function importCatalog(db: Db, rows: Indicator[], audit?: AuditEntry): Promise<void> {
  const statements = [db.update(indicators).set({ active: false })];
  for (const r of rows) {
    statements.push(
      db
        .insert(indicators)
        .values({ ...r, active: true })
        .onConflictDoUpdate({ target: indicators.code, set: { ...r, active: true } }) as never,
    );
  }
  if (audit) statements.push(auditStatement(db, audit) as never);
  await runBatch(db, statements);
}

export async function listIndicators(db: Db): Promise<Indicator[]> {
  return db
    .select({
      code: indicators.code,
      group: indicators.group,
      label: indicators.label,
      unit: indicators.unit,
      kind: indicators.kind,
      aggregate: indicators.aggregate,
      numerator: indicators.numerator,
      denominator: indicators.denominator,
      integer: indicators.integer,
      required: indicators.required,
      position: indicators.position,
    })
    .from(indicators)
    .where(eq(indicators.active, true))
    .orderBy(indicators.position);
}

/** Records periods seen in sheets or asked for, so deadlines can be attached to them. */
export async function ensurePeriods(db: Db, codes: Iterable<string>): Promise<void> {
  const rows = [...new Set(codes)].map(parsePeriodCode).filter((p) => p !== null);
  if (!rows.length) return;
  await db.insert(periods).values(rows).onConflictDoNothing();
}

export function sourceKey(r: SourceRow): string {
  return [r.unitCode, r.spreadsheetId, r.gid ?? "", r.tab ?? "", r.layout].join("|");
}

/** Registers sources; an existing registration of the same sheet for the same unit is kept (and re-activated). */
export async function importSources(db: Db, rows: SourceRow[], now: number, audit?: AuditEntry): Promise<number[]> {
  const inserts = chunk(rows, 9).map((part) =>
    db
      .insert(sources)
      .values(part.map((r) => ({ ...r, key: sourceKey(r), createdAt: now, active: true })))
      .onConflictDoUpdate({ target: sources.key, set: { active: true } })
      .returning({ id: sources.id }),
  );
  const statements: BatchItem<"sqlite">[] = [...inserts, ...(audit ? [auditStatement(db, audit, now)] : [])];
  if (!statements.length) return [];
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[];
  return results.slice(0, inserts.length).flatMap((inserted) => (inserted as { id: number }[]).map((r) => r.id));
}

export async function unknownUnitCodes(db: Db, listDate: string, codes: string[]): Promise<string[]> {
  const wanted = [...new Set(codes)];
  const known = new Set<string>();
  for (const part of chunk(wanted, 2)) {
    const found = await db
      .select({ code: units.code })
      .from(units)
      .where(and(eq(units.validFrom, listDate), inArray(units.code, part)));
    found.forEach((f) => known.add(f.code));
  }
  return wanted.filter((c) => !known.has(c));
}
