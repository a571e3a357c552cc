/** What every source of a run (or of one Queue job of it) shares: Google, the catalog, the unit list. */

import { vietnamToday } from "../../domain/time";
import { sourcesBehindApprovals } from "../db/approvals";
import { listIndicators } from "../db/catalog";
import type { Db } from "../db/client";
import { spreadsheetsOfSeveralSources } from "../db/sources";
import { communesUnder, unitListFor } from "../db/units";
import { GoogleAccounts } from "../google/accounts";
import type { GoogleClient, GoogleOptions } from "../google/client";
import type { ModelType } from "../models/catalog";
import { listModelTypes } from "../models/store";
import type { Indicator } from "../reference/catalog";
import type { ReadContext } from "../sheets/types";
import { asSourceError } from "./read-source";

export type SyncContext = {
  db: Db;
  /** The client of the account that reads the sheet at hand (`forSheet`); the first account's otherwise. */
  google: GoogleClient;
  /** Every configured service account, each reading its own share of the sheets. */
  accounts: GoogleAccounts;
  catalog: Indicator[];
  /** The catalog of model kinds the models tabs are matched against (PRODUCT.md §15). */
  modelTypes: ModelType[];
  listDate: string | null;
  communes: Map<string, Promise<ReadContext["communes"]>>;
  /**
   * The catalog and unit list the sheets are read against; stored with the sheet's version, so an unchanged sheet is
   * read again once after either changes.
   */
  readerKey: string;
  /** Periods already recorded in this run: the per-source path stays free of repeated writes. */
  periods: Set<string>;
  /**
   * A refusal no sheet can fix (an API not enabled, a key Google refuses), once found: said on the run, given as the
   * cause on every source left, and no more Google calls are made for them.
   */
  configError: string | null;
  /** Spreadsheets registered for more than one source: their check results would overwrite each other. */
  sharedSpreadsheets: Set<string>;
  runId: number;
  now: () => number;
  /** Read every source, changed or not. */
  force: boolean;
  /**
   * Sources read again though their sheet did not change: their tab is behind a move of an approval made on the
   * dashboard (PRODUCT.md §12: a return's reason reaches the sheet by the next run at the latest).
   */
  behind: Set<number>;
};

/**
 * The Google clients of a run, one per service account, or why there are none (a secret that is not a key, a key
 * list that is not right: said once, naming the key). Pacing protects
 * Google's quota (`GOOGLE_READS_PER_MINUTE`, `GOOGLE_WRITES_PER_MINUTE`, 0 = off; local runs set 0: the stand-in has
 * none); `SHEETS_FEEDBACK=true` writes the check results back.
 */
export function googleFor(
  env: Env,
  now: () => number,
  extra: GoogleOptions = {},
): { ok: true; google: GoogleAccounts } | { ok: false; error: string } {
  const perMinute = (value: string | undefined, fallback = 55) => {
    const configured = Number(value ?? fallback);
    return Number.isFinite(configured) && configured >= 0 ? configured : fallback;
  };
  try {
    const google = new GoogleAccounts(env, {
      now,
      readsPerMinute: perMinute(env.GOOGLE_READS_PER_MINUTE),
      writesPerMinute: perMinute(env.GOOGLE_WRITES_PER_MINUTE),
      projectReadsPerMinute: perMinute(env.GOOGLE_PROJECT_READS_PER_MINUTE, 275),
      writes: env.SHEETS_FEEDBACK === "true",
      ...extra,
    });
    return { ok: true, google };
  } catch (err) {
    return { ok: false, error: asSourceError(err).message };
  }
}

export async function syncContext(
  db: Db,
  accounts: GoogleAccounts,
  run: { runId: number; now: () => number; force?: boolean },
): Promise<SyncContext> {
  const [catalog, listDate, modelTypes] = await Promise.all([
    listIndicators(db),
    unitListFor(db, vietnamToday(run.now())),
    listModelTypes(db),
  ]);
  const readerKey = await fingerprint(JSON.stringify([catalog, listDate, modelTypes]));
  const google = accounts.primary;
  const [shared, behind] = google.writes
    ? await Promise.all([spreadsheetsOfSeveralSources(db), sourcesBehindApprovals(db)])
    : [[], new Set<number>()];
  const sharedSpreadsheets = new Set(shared);
  return {
    ...run,
    force: run.force === true,
    sharedSpreadsheets,
    behind,
    db,
    google,
    accounts,
    catalog,
    modelTypes,
    listDate,
    communes: new Map(),
    periods: new Set(),
    readerKey,
    configError: null,
  };
}

/** The context of one sheet: its own account's client (the run's context itself when there is one account). */
export function forSheet(ctx: SyncContext, spreadsheetId: string): SyncContext {
  const google = ctx.accounts.for(spreadsheetId);
  return google === ctx.google ? ctx : { ...ctx, google };
}

/** The communes a table of `unitCode` lists, looked up once per run. */
export function communesFor(ctx: SyncContext, unitCode: string): Promise<ReadContext["communes"]> {
  let hit = ctx.communes.get(unitCode);
  if (!hit) {
    hit = ctx.listDate ? communesUnder(ctx.db, ctx.listDate, unitCode) : Promise.resolve([]);
    ctx.communes.set(unitCode, hit);
  }
  return hit;
}

async function fingerprint(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
