/**
 * The check results written back into the commune's own spreadsheet, in a tab “Kiểm tra số liệu” that only the
 * service account edits: when it was checked, a one-line summary, where each period stands in being confirmed
 * (PRODUCT.md §12: not confirmed, confirmed, accepted, returned with the province's reason, to be confirmed again after
 * an edit, later changes waiting for the province), then one row per issue with a link to its cell.
 * One `spreadsheets.batchUpdate` per sheet read: it adds and protects the tab the first time, then rewrites it whole
 * (cells the new rows do not cover are cleared). Nothing else in the spreadsheet is touched.
 * @see https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatecellsrequest
 */

import { periodLabel } from "../../domain/periods";
import { formatDateTime } from "../../domain/time";
import { type ApprovalRecord, UNTICKED, WITHDRAWN } from "../db/approvals";
import type { GoogleClient } from "../google/client";
import type { Indicator } from "../reference/catalog";
import { sheetUrl } from "../sheets/text";
import type { CellIssue, SheetReading } from "../sheets/types";

export const FEEDBACK_TAB = "Kiểm tra số liệu";

/**
 * A sheet's issues beyond this many (less the lines of the periods' states) are counted, not listed: the tab stays
 * under Google's default 1,000 rows.
 */
const MAX_ROWS = 900;
/** The periods' states beyond this many (a table of a large province) are counted, not listed. */
const MAX_STATES = 400;

/** What a clerk does about each kind of issue whose message explains rather than instructs after its dash. */
const FIXES: Record<string, string> = {
  not_a_number: "Nhập một số (có thể kèm đơn vị tính), ví dụ 12 hoặc 1.234",
  not_integer: "Nhập số nguyên, ví dụ 3",
  negative: "Nhập số không âm; không có thì nhập 0",
  not_flag: "Nhập 1 (đạt) hoặc 0 (chưa đạt)",
  unexpected_percent: "Nhập số lượng theo đơn vị tính của chỉ tiêu, không nhập tỷ lệ phần trăm",
  unknown_unit: "Chỉ nhập số theo đơn vị tính của chỉ tiêu",
  unknown_row: "Dùng đúng mã chỉ tiêu của biểu mẫu ở cột Mã",
  unknown_column: "Đặt tên cột là kỳ báo cáo, ví dụ “Năm 2025”",
  unknown_unit_row: "Kiểm tra tên hoặc mã xã của dòng này",
  duplicate: "Xoá dòng trùng, mỗi chỉ tiêu chỉ một dòng",
};

type Cell = {
  userEnteredValue: { stringValue: string };
  textFormatRuns?: { startIndex: number; format: { link: { uri: string } } }[];
};

const text = (value: string | number | null | undefined): Cell => ({
  userEnteredValue: { stringValue: String(value ?? "") },
});

const sentence = (s: string) => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);

/** “Ô E7: ‘3,5’ không phải số nguyên — số tổ phải là số nguyên” → the problem, and what to do. */
function problemAndFix(issue: CellIssue): [string, string] {
  const message = issue.message.replace(/^Ô [^:]+: /, "");
  const dash = message.indexOf(" — ");
  const problem = dash > 0 ? message.slice(0, dash) : message;
  const fix = FIXES[issue.code] ?? (dash > 0 ? message.slice(dash + 3) : "Sửa theo nội dung ở cột Vấn đề");
  return [sentence(problem), sentence(fix)];
}

/** `'Năm 2025'!E7` → a link that opens the sheet at that cell. */
function cellLink(spreadsheetId: string, tabs: Map<string, number>, cell: string | null): Cell {
  if (!cell) return text("");
  const m = /^(?:'((?:[^']|'')+)'!)?([A-Z]+\d+)$/.exec(cell);
  if (!m) return text(cell);
  const gid = tabs.get((m[1] ?? "").replace(/''/g, "'")) ?? null;
  const uri = `${sheetUrl(spreadsheetId, gid)}&range=${m[2]}`;
  return { ...text(cell), textFormatRuns: [{ startIndex: 0, format: { link: { uri } } }] };
}

/** A commune's period as it stands in being confirmed after the read, for the tab. */
export type PeriodState = {
  unitCode: string;
  period: string;
  approval: ApprovalRecord | null;
  /** What the sheet's “Chốt số liệu” cell says; null: the sheet has no such cell. */
  ticked: boolean | null;
  /** Values the sheet now gives otherwise than the accepted ones (pending changes). */
  pending: number;
  /** Why the tick could not confirm the period (errors, no figures). */
  refused?: string;
  /** The box was unticked after the province accepted: nothing reopens but the province. */
  uncheckedAccepted?: boolean;
};

const day = (at: number | null) => (at === null ? "" : ` ${formatDateTime(at).slice(0, 10)}`);

/** One period's state in words, and what the clerk does next (`table`: the sheet lists many communes). */
function stateText(s: PeriodState, table = false): string {
  const a = s.approval;
  const tickAgain =
    s.ticked === true
      ? "bỏ đánh dấu rồi đánh dấu lại ô “Chốt số liệu” của kỳ này"
      : "đánh dấu ô “Chốt số liệu” của kỳ này";
  if (s.refused) return `${s.refused}. Sửa xong, kỳ này được chốt ở lần đọc sau nếu ô “Chốt số liệu” vẫn được đánh dấu`;
  switch (a?.state ?? "open") {
    case "accepted": {
      const pending = s.pending
        ? ` — bảng tính có ${s.pending} số liệu khác với số đã duyệt, chờ tỉnh xem xét; số đã duyệt được giữ cho đến khi tỉnh mở lại`
        : "";
      const untick = s.uncheckedAccepted
        ? " — bỏ đánh dấu “Chốt số liệu” không mở lại số liệu đã duyệt: chỉ tỉnh mở lại được"
        : "";
      return `Tỉnh đã duyệt${day(a?.acceptedAt ?? null)}${pending}${untick}`;
    }
    case "submitted":
      return `Xã đã chốt${day(a?.submittedAt ?? null)} — chờ tỉnh duyệt`;
    case "returned":
      return `Tỉnh trả lại: ${a?.reason ?? ""} — sửa xong thì chốt lại: ${tickAgain}`;
    default:
      if (a?.reason === WITHDRAWN) return `${WITHDRAWN} — ${tickAgain}`;
      if (a?.reason === UNTICKED) return "Chưa chốt (đã bỏ đánh dấu “Chốt số liệu”)";
      if (a?.reason) return `Tỉnh mở lại: ${a.reason} — sửa nếu cần rồi chốt lại: ${tickAgain}`;
      return s.ticked === null
        ? `Chưa chốt — để chốt số liệu từ bảng tính, ${table ? "thêm cột “Chốt số liệu” (ô đánh dấu ở dòng của mỗi xã)" : "thêm dòng “Chốt số liệu” (ô đánh dấu ở cột của kỳ)"}`
        : "Chưa chốt — đánh dấu ô “Chốt số liệu” của kỳ này khi số liệu đã đủ và đúng";
  }
}

export type FeedbackInput = {
  spreadsheetId: string;
  reading: Pick<SheetReading, "values" | "issues">;
  catalog: Indicator[];
  /** Tab titles → sheetId, for the links. */
  tabs: Map<string, number>;
  /** A table lists many communes: its rows say whose each issue is. */
  communeNames: Map<string, string> | null;
  checkedAt: number;
  /** Each commune and period the sheet gives, as it stands in being confirmed. */
  states?: PeriodState[];
};

/** “Năm 2025: Xã đã chốt 05/12/2026 — chờ tỉnh duyệt”, with the commune first in a table's tab. */
function stateRows(input: FeedbackInput): Cell[][] {
  const names = input.communeNames;
  const name = (code: string) => names?.get(code) ?? code;
  const states = [...(input.states ?? [])].sort(
    (a, b) => name(a.unitCode).localeCompare(name(b.unitCode), "vi") || b.period.localeCompare(a.period),
  );
  if (!states.length) return [];
  const more = states.length - MAX_STATES;
  return [
    [text("Chốt số liệu")],
    ...states
      .slice(0, MAX_STATES)
      .map((s) => [
        text(`${names ? `${name(s.unitCode)} — ` : ""}${periodLabel(s.period)}: ${stateText(s, names !== null)}`),
      ]),
    ...(more > 0 ? [[text(`… và ${more} xã, kỳ khác — xem trang “Duyệt số liệu” của bảng điều khiển`)]] : []),
    [],
  ];
}

/** The tab's rows: the header lines, then the errors and the warnings, each with its cell. */
function feedbackRows(input: FeedbackInput): Cell[][] {
  const { reading, catalog, communeNames } = input;
  const label = new Map(catalog.map((i) => [i.code, i.label]));
  const errors = reading.issues.filter((i) => i.severity === "error");
  const warnings = reading.issues.filter((i) => i.severity === "warning");
  const distinct = (key: (v: SheetReading["values"][number]) => string) => new Set(reading.values.map(key)).size;
  const periods = distinct((v) => v.period);
  const received = [
    `Đã nhận ${distinct((v) => v.indicatorCode)} chỉ tiêu`,
    periods > 1 ? ` của ${periods} kỳ` : "",
    communeNames ? ` cho ${distinct((v) => v.unitCode)} xã` : "",
  ].join("");
  const summary = [
    received,
    `${errors.length} lỗi cần sửa`,
    ...(warnings.length ? [`${warnings.length} cảnh báo`] : []),
  ].join(" · ");
  const rows: Cell[][] = [
    [text("Kết quả kiểm tra số liệu — hệ thống tự ghi sau mỗi lần đọc bảng tính; không sửa trang này")],
    [text(`Kiểm tra lúc ${formatDateTime(input.checkedAt)} (giờ Việt Nam)`)],
    [text(summary)],
    [],
    ...stateRows(input),
  ];
  // No error: said first, whatever warnings follow (they ask for a second look, not a fix).
  if (!errors.length) {
    const more = warnings.length ? ` Có ${warnings.length} cảnh báo bên dưới, nên xem lại.` : "";
    rows.push([text(`Không có lỗi. Số liệu của bảng tính đã được ghi nhận.${more}`)]);
    if (!warnings.length) return rows;
    rows.push([]);
  }
  const head = ["Ô", "Chỉ tiêu", "Đã nhập", "Vấn đề", "Cách sửa"];
  rows.push((communeNames ? ["Xã", ...head] : head).map(text));
  const listed = [...errors, ...warnings];
  // The states of a table's many communes take some of the room.
  const room = MAX_ROWS - Math.min(MAX_STATES, input.states?.length ?? 0);
  for (const issue of listed.slice(0, room)) {
    const [problem, fix] = problemAndFix(issue);
    const row = [
      cellLink(input.spreadsheetId, input.tabs, issue.cell),
      text(issue.indicatorCode ? (label.get(issue.indicatorCode) ?? issue.indicatorCode) : ""),
      text(issue.raw),
      text(issue.severity === "warning" ? `Cảnh báo: ${problem}` : problem),
      text(fix),
    ];
    rows.push(
      communeNames ? [text(issue.unitCode ? (communeNames.get(issue.unitCode) ?? issue.unitCode) : ""), ...row] : row,
    );
  }
  if (listed.length > room) rows.push([text(`… và ${listed.length - room} vấn đề khác`)]);
  return rows;
}

/** A sheetId for the new tab that the spreadsheet does not use yet. */
function freeSheetId(tabs: Map<string, number>): number {
  const used = new Set(tabs.values());
  let id = 770_077_000;
  while (used.has(id)) id++;
  return id;
}

/** Writes the tab: created and protected (only `editor` may change it) the first time, rewritten whole after. */
export async function writeFeedback(google: GoogleClient, input: FeedbackInput): Promise<void> {
  const existing = input.tabs.get(FEEDBACK_TAB);
  const sheetId = existing ?? freeSheetId(input.tabs);
  const create =
    existing === undefined
      ? [
          { addSheet: { properties: { sheetId, title: FEEDBACK_TAB, index: input.tabs.size } } },
          {
            addProtectedRange: {
              protectedRange: {
                range: { sheetId },
                description: "Kết quả kiểm tra do hệ thống ghi: chỉ tài khoản đồng bộ được sửa",
                warningOnly: false,
                editors: { users: [google.email] },
              },
            },
          },
        ]
      : [];
  await google.batchUpdate(input.spreadsheetId, [
    ...create,
    {
      updateCells: {
        range: { sheetId },
        rows: feedbackRows(input).map((values) => ({ values })),
        fields: "userEnteredValue,textFormatRuns",
      },
    },
  ]);
}
