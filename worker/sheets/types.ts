/** What reading a sheet produces: values to store and issues to show, each tied to its cell. */
import type { Indicator } from "../reference/catalog";

export type Grid = { tab: string; rows: unknown[][] };

export type CellValue = {
  unitCode: string;
  indicatorCode: string;
  period: string;
  value: number;
  approximate: boolean;
  raw: string;
  cell: string;
  /** Read from a sheet whose locale is not Vietnamese: Google may have turned “5.000” into 5 (PRODUCT.md §4). */
  doubtful?: boolean;
};

export type CellIssue = {
  unitCode: string | null;
  period: string | null;
  indicatorCode: string | null;
  cell: string | null;
  raw: string | null;
  severity: "error" | "warning";
  code: string;
  message: string;
};

export type SheetReading = {
  values: CellValue[];
  issues: CellIssue[];
  /** Cells the sheet has for a unit × indicator × period (`unit|indicator|period` → A1), filled or not. */
  slots?: Map<string, string>;
  /** The “Chốt số liệu” cells the sheet has, ticked or not (PRODUCT.md §12); none when it has no such row or column. */
  ticks?: SheetTick[];
};

/** A “Chốt số liệu” cell as read (PRODUCT.md §12): whether it is ticked, at which cell. */
export type SheetTick = { unitCode: string; period: string; ticked: boolean; cell: string };

export const slotKey = (unitCode: string, indicatorCode: string, period: string) =>
  `${unitCode}|${indicatorCode}|${period}`;

/** An issue whose cell keeps its last good value: a formula that failed is not the clerk's typing (PRODUCT.md §4). */
export const KEEPS_LAST_GOOD = "formula_error";

/** What a reader needs to know besides the cells. */
export type ReadContext = {
  catalog: Indicator[];
  /** The commune a `form` belongs to, or the province/district a `table` lists. */
  unitCode: string;
  /** Commune codes and names a `table` may list (the units under `unitCode`). */
  communes: { code: string; name: string; fullName?: string }[];
  /** The spreadsheet's title: the last place a `table` may name its period. */
  sheetTitle?: string;
};

/** A whole source that cannot be read: nothing of it is changed (PRODUCT.md §5). */
export class SourceError extends Error {
  constructor(
    readonly code:
      | "forbidden"
      | "not_found"
      | "excel"
      | "not_a_sheet"
      | "trashed"
      | "no_header"
      | "no_tab"
      | "unknown_unit"
      | "rate_limited"
      | "google"
      | "config"
      | "write_failed",
    message: string,
  ) {
    super(message);
  }
}
