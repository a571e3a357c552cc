/**
 * Phases (`2021-2025`, PRODUCT.md §14): a phase's figures are built from its years once somebody asks for it, with
 * those of the phase it is compared with, and from then on kept by every write like any other period's.
 */
import { parsePeriodCode, previousYearPeriod } from "../../domain/periods";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { LIVE, periods } from "../db/schema";
import { livePairs, rollupRebuild } from "../rollups/write";
import { builtStatements, registeredPhases } from "./built";

/** Registers the phase and the one before it (its comparison) when they are not yet, building their figures. */
export async function ensurePhase(db: Db, code: string): Promise<void> {
  const before = previousYearPeriod(code);
  const known = new Set(await registeredPhases(db));
  const missing = [code, ...(before ? [before] : [])].filter((p) => !known.has(p));
  const rows = missing.map(parsePeriodCode).filter((p) => p !== null);
  if (!rows.length) return;
  await runBatch(db, [
    db.insert(periods).values(rows).onConflictDoNothing(),
    ...builtStatements(null, missing),
    ...(await rollupRebuild(db, LIVE, livePairs(missing))),
  ]);
}
