/**
 * The row (a form) or column (a table) “Chốt số liệu” by which a commune confirms a period from its own sheet
 * (PRODUCT.md §12): a checkbox, or a cell the clerk marks. It is never an indicator and never a value.
 */
import { foldText } from "./text";
import type { CellIssue, SheetTick } from "./types";

const TICK_HEADING = /^chot so lieu\b/;

/** Whether a row's code or label (or a column's heading) is the “Chốt số liệu” row: `chot_so_lieu`, “Chốt số liệu:”… */
export function isTickHeading(...texts: unknown[]): boolean {
  return texts.some((t) => TICK_HEADING.test(foldText(t)));
}

const TICKED = new Set(["x", "v", "co", "1", "true", "dung", "chot", "da chot", "yes"]);
const UNTICKED = new Set(["", "0", "false", "khong", "chua", "chua chot", "no", "sai"]);

/**
 * A cell of that row: a checkbox gives `true`/`false`; a clerk may also type “x”, “có”, 1 or “đã chốt”. Anything else
 * counts as not ticked and is said as a warning at its cell.
 */
export function readTick(
  raw: unknown,
  at: { unitCode: string; period: string; cell: string; cellName: string },
): { tick: SheetTick; issue: CellIssue | null } {
  const { unitCode, period, cell, cellName } = at;
  const folded = typeof raw === "boolean" ? String(raw) : foldText(raw);
  const ticked = TICKED.has(folded);
  const issue: CellIssue | null =
    ticked || UNTICKED.has(folded)
      ? null
      : {
          unitCode,
          period,
          indicatorCode: null,
          cell,
          raw: String(raw),
          severity: "warning",
          code: "unknown_tick",
          message: `Ô ${cellName}: “${String(raw)}” không rõ là đã chốt hay chưa, nên kỳ này chưa được chốt — đánh dấu ô (hoặc ghi “x”) để chốt số liệu, để trống nếu chưa chốt`,
        };
  return { tick: { unitCode, period, ticked, cell }, issue };
}
