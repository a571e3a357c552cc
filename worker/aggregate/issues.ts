/** The data-quality list of a unit: rejected and doubtful cells, and sources that could not be read (PRODUCT.md §5). */

import type { Db } from "../db/client";
import { type IssueRow, issueRows } from "../db/issues";
import { sheetUrl } from "../sheets/text";
import { resolveScope } from "./resolve";

export type IssueItem = Omit<IssueRow, "sourceId" | "spreadsheetId" | "gid" | "sourceTitle"> & {
  source: { id: number; title: string | null; url: string | null };
};

export async function listIssues(db: Db, unitCode: string, period: string): Promise<{ issues: IssueItem[] }> {
  const { scope } = await resolveScope(db, unitCode, period, null);
  const rows = await issueRows(db, scope, period);
  return {
    issues: rows.map((r) => ({
      unitCode: r.unitCode,
      unitName: r.unitName,
      source: { id: r.sourceId, title: r.sourceTitle, url: r.spreadsheetId ? sheetUrl(r.spreadsheetId, r.gid) : null },
      cell: r.cell,
      indicator: r.indicator,
      period: r.period,
      raw: r.raw,
      severity: r.severity,
      code: r.code,
      message: r.message,
    })),
  };
}
