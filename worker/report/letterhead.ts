/**
 * What a province's Word report says about who issues it (PRODUCT.md §13): the parent and issuing agencies, the place
 * name before the date, the symbol after “BC-”, the signer and the recipients. Set once by the province's admin; a
 * field left empty is a dotted blank in the document, to be filled by hand.
 */
import { eq } from "drizzle-orm";
import { vietnamToday } from "../../domain/time";
import { NATIONAL } from "../../domain/units";
import { auditStatement } from "../db/audit";
import { runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { reportSettings } from "../db/schema";
import { provinceOf, unitListFor, unitParents } from "../db/units";

export type Letterhead = {
  parentAgency: string;
  agency: string;
  placeName: string;
  symbol: string;
  signerAuthority: string;
  signerTitle: string;
  signerName: string;
  /** One recipient a line, as “Nơi nhận” lists them. */
  recipients: string[];
};

export const EMPTY_LETTERHEAD: Letterhead = {
  parentAgency: "",
  agency: "",
  placeName: "",
  symbol: "",
  signerAuthority: "",
  signerTitle: "",
  signerName: "",
  recipients: [],
};

/** The dotted blank of a short field nobody has set yet (the number, the symbol); a name's is longer, to write on. */
export const BLANK = "……";
export const BLANK_LINE = "……………………";

/**
 * The unit whose letterhead a report uses: the province the unit lies in (in today's list), the province itself, or
 * the country (VN); null for a code not in today's list.
 */
export async function letterheadUnit(db: Db, unitCode: string): Promise<string | null> {
  if (unitCode === NATIONAL) return NATIONAL;
  const listDate = await unitListFor(db, vietnamToday());
  return listDate ? provinceOf(await unitParents(db, listDate), unitCode) : null;
}

/** The letterhead set for the unit (a province or VN), or null when none is set. */
export async function readLetterhead(
  db: Db,
  unitCode: string,
): Promise<(Letterhead & { updatedAt: number; updatedBy: string }) | null> {
  const [row] = await db.select().from(reportSettings).where(eq(reportSettings.unitCode, unitCode));
  if (!row) return null;
  const { unitCode: _, recipients, ...rest } = row;
  return { ...rest, recipients: recipients ? recipients.split("\n") : [] };
}

/** Saves the letterhead (every field trimmed; recipients without blank lines), with its audit entry, in one batch. */
export async function saveLetterhead(db: Db, unitCode: string, l: Letterhead, actor: string): Promise<void> {
  const now = Date.now();
  const row = {
    parentAgency: l.parentAgency.trim(),
    agency: l.agency.trim(),
    placeName: l.placeName.trim(),
    symbol: l.symbol.trim(),
    signerAuthority: l.signerAuthority.trim(),
    signerTitle: l.signerTitle.trim(),
    signerName: l.signerName.trim(),
    recipients: l.recipients
      .map((r) => r.trim())
      .filter(Boolean)
      .join("\n"),
    updatedAt: now,
    updatedBy: actor,
  };
  await runBatch(db, [
    db
      .insert(reportSettings)
      .values({ unitCode, ...row })
      .onConflictDoUpdate({ target: reportSettings.unitCode, set: row }),
    auditStatement(db, { actor, action: "report.letterhead", target: unitCode }, now),
  ]);
}
