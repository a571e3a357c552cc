/**
 * Confirming from the sheet (PRODUCT.md §12): the row (or column) “Chốt số liệu” read against what it said at the
 * previous read, so that a tick is a deliberate act and not a state the sheet keeps saying.
 *
 * - A box ticked now and not at the previous read submits the commune's period, with the same rules as the dashboard:
 *   refused while any cell of the period holds an error (the tab names them; the tick is tried again at every later
 *   read that finds it, so fixing the cells is enough), or when the period has no figures. Recorded as submitted by
 *   Drive's last editor of the file (email, else name), or “bảng tính” when Drive does not say.
 * - A box unticked after being ticked withdraws a submission (not an acceptance: only the province reopens).
 * - A tick that stays while the period's figures change withdraws the submission (the edit after confirming, as on
 *   the dashboard) and no longer counts; a tick also stops counting when the province returns or reopens the period.
 *   It counts again at a later read that finds the box still ticked, the sheet changed and the period's figures as
 *   they were: the clerk unticks and ticks the box again when the edits are done (whether or not a sync saw the box
 *   unticked in between).
 */
import {
  type ApprovalRecord,
  openApproval,
  type SheetTickRecord,
  saveApproval,
  saveSheetTick,
  submissionRefusal,
  UNTICKED,
  withdrawSubmissions,
} from "../db/approvals";
import { auditStatement } from "../db/audit";
import { runBatch, type Statement } from "../db/batch";
import type { Db } from "../db/client";
import { rollupWrite } from "../rollups/write";
import type { SheetTick } from "../sheets/types";

/** Who a sheet's act is recorded as when Drive does not name its last editor. */
export const SHEET_ACTOR = "bảng tính";

/** `unit|period`. */
export const pairKey = (v: { unitCode: string; period: string }) => `${v.unitCode}|${v.period}`;

/** What the tab says of a tick beyond the period's state: why a submission was refused, an untick that cannot act. */
export type TickNote = { refused?: string; uncheckedAccepted?: boolean };

/** The ticks of a reading against the stored ones, before the reading is written. */
export type TickPlan = {
  /** Who the sheet's acts are recorded as. */
  actor: string;
  /** Submissions an untick takes back, with their statements (for the reading's own batch). */
  unticked: Set<string>;
  statements: Statement[];
  /** Finishes the ticks once the reading is written: submissions, stored ticks, notes for the tab. */
  finish: (changed: ReadonlySet<string>) => Promise<Map<string, TickNote>>;
};

/**
 * `approvals`: the communes' approvals before this read; `sheetChanged`: the sheet's version moved since the last read
 * (a read only to bring the tab up to date after a move on the dashboard is not the clerk's act).
 */
export function planTicks(
  db: Db,
  input: {
    sourceId: number;
    ticks: SheetTick[] | undefined;
    stored: SheetTickRecord[];
    approvals: Map<string, ApprovalRecord>;
    sheetChanged: boolean;
    actor: string;
    now: number;
  },
): TickPlan {
  const { sourceId, stored, approvals, sheetChanged, actor, now } = input;
  const before = new Map(stored.map((t) => [pairKey(t), t]));
  // A sheet without the row says nothing about confirming: what was stored stays.
  const ticks = input.ticks ?? [];
  const unticked = new Set<string>();
  const statements: Statement[] = [];
  const notes = new Map<string, TickNote>();
  const stateOf = (key: string) => approvals.get(key)?.state ?? "open";
  for (const t of ticks) {
    const key = pairKey(t);
    if (t.ticked || !before.has(key)) continue;
    if (stateOf(key) === "submitted") {
      unticked.add(key);
      const why = { reason: UNTICKED, actor, detail: { via: "sheet", cell: t.cell } };
      statements.push(...withdrawSubmissions(db, [t], now, why), ...rollupWrite([t.unitCode], [t.period]));
    } else if (stateOf(key) === "accepted") notes.set(key, { uncheckedAccepted: true });
  }

  const finish = async (changed: ReadonlySet<string>) => {
    const writes: Statement[] = [];
    const keep = (t: SheetTick, state: SheetTickRecord["state"] | null) => {
      const old = before.get(pairKey(t));
      if ((old?.state ?? null) === state && (state === null || old?.cell === t.cell)) return;
      writes.push(
        saveSheetTick(db, { sourceId, unitCode: t.unitCode, period: t.period, cell: t.cell, state, updatedAt: now }),
      );
    };
    for (const t of ticks) {
      const key = pairKey(t);
      if (!t.ticked) {
        keep(t, null);
        continue;
      }
      const state = stateOf(key);
      const old = before.get(key)?.state ?? null;
      const held = state === "submitted" || state === "accepted";
      if (old === "counted") {
        // Still standing behind the submission, unless an edit just withdrew it or the province moved it back.
        keep(t, held && !(state === "submitted" && changed.has(key)) ? "counted" : "stale");
        continue;
      }
      if (held) {
        keep(t, "counted");
        continue;
      }
      // A new tick submits; a tick that stopped counting counts again once the clerk ticked it anew after the edits.
      if (old === "stale" && !(sheetChanged && !changed.has(key))) {
        keep(t, "stale");
        continue;
      }
      const refused = await submitFromSheet(db, t, approvals.get(key), actor, now);
      if (refused) notes.set(key, { refused });
      // A refused tick is not stored: it is tried again at the next read that finds it (once the cells are fixed).
      keep(t, refused ? null : "counted");
    }
    if (writes.length) await runBatch(db, writes);
    return notes;
  };
  return { actor, unticked, statements, finish };
}

/** Why a sheet's tick submitted the period, in its audit entry. */
const TICKED_REASON = "Xã đánh dấu “Chốt số liệu” trong bảng tính";

/** The commune's period submitted from its sheet, or why not (the same rules as the dashboard's “Chốt số liệu”). */
async function submitFromSheet(
  db: Db,
  t: SheetTick,
  current: ApprovalRecord | undefined,
  actor: string,
  now: number,
): Promise<string | null> {
  const refusal = await submissionRefusal(db, t.unitCode, t.period);
  if (refusal) return refusal;
  const next: ApprovalRecord = {
    ...(current ?? openApproval(t.unitCode, t.period, now)),
    state: "submitted",
    submittedAt: now,
    submittedBy: actor,
    updatedAt: now,
  };
  await runBatch(db, [
    saveApproval(db, next),
    ...rollupWrite([t.unitCode], [t.period]),
    auditStatement(
      db,
      {
        actor,
        action: "approval.submit",
        target: `${t.unitCode}/${t.period}`,
        detail: { reason: TICKED_REASON, via: "sheet", cell: t.cell },
      },
      now,
    ),
  ]);
  return null;
}
