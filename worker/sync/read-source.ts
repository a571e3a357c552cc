/**
 * Reading one registered source from Google: Drive says what the file is (a shortcut is followed, an Excel file or a
 * file in the trash stops here), then one Sheets read gives its locale, its tabs and their cells (GOOGLE.md "One
 * read"), then the layout's reader. Any failure of the whole source is a `SourceError` in Vietnamese, saying what to do.
 */
import {
  type FileVersion,
  type GoogleClient,
  SHORTCUT_MIME,
  SPREADSHEET_MIME,
  type SpreadsheetMeta,
} from "../google/client";
import { GoogleError } from "../google/errors";
import type { ModelType } from "../models/catalog";
import { kindMatcher } from "../models/match";
import { CONVERT_TO_SHEETS } from "../reference/sources";
import { findFormHeader, readForm } from "../sheets/form";
import { findModelsGrid, type ModelList, modelCountIssues, readModels } from "../sheets/models";
import { findTableHeader, readTable } from "../sheets/table";
import { foldText } from "../sheets/text";
import { type Grid, type ReadContext, type SheetReading, SourceError } from "../sheets/types";
import { FEEDBACK_TAB } from "./feedback";

export type SourceRef = {
  spreadsheetId: string;
  gid: number | null;
  tab: string | null;
  layout: "form" | "table";
};

/**
 * A reading, with the spreadsheet's tabs (title → sheetId) for links into it, and the words above a form's header
 * (its title rows, where a clerk writes the commune's name).
 */
export type SourceRead = SheetReading & {
  title: string;
  locale: string | null;
  tabs: Map<string, number>;
  heading: string[];
  /** The communes' lists of models (PRODUCT.md §15) from the spreadsheet's models tab; null when it has none. */
  models: ModelList[] | null;
};

/**
 * Where a source is read from (a shortcut's target), the version that tells whether it changed, (when asked) whether
 * the service account may edit it, and who edited it last as Drive says it (email, else name; null when Drive does
 * not say).
 */
export type LocatedSource = { readId: string; version: FileVersion; canEdit: boolean; editedBy: string | null };

const EXCEL_MIMES = new Set([
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel",
  "application/vnd.ms-excel.sheet.macroEnabled.12",
  "application/vnd.oasis.opendocument.spreadsheet",
  "text/csv",
]);

// Defined with the sources file's messages; admin/sources.ts imports it from here.
export { CONVERT_TO_SHEETS };

/**
 * Drive's word on a registered file (GOOGLE.md "Errors"): a shortcut is followed to its target, whose `version` is
 * the one that moves; a file in the trash or one that is not a Google Sheet is refused before any Sheets call.
 */
export async function locateSource(google: GoogleClient, spreadsheetId: string): Promise<LocatedSource> {
  let file = await driveFile(google, spreadsheetId);
  let readId = spreadsheetId;
  if (file.mimeType === SHORTCUT_MIME) {
    const target = file.shortcutDetails?.targetId;
    if (!target)
      throw new SourceError(
        "not_found",
        "Đường dẫn là một lối tắt (shortcut) không còn trỏ tới bảng tính nào — đăng ký đường dẫn của chính bảng tính",
      );
    readId = target;
    file = await driveFile(google, target);
  }
  if (file.trashed) {
    throw new SourceError(
      "trashed",
      "Bảng tính đang nằm trong thùng rác của Google Drive: mở drive.google.com → Thùng rác, chọn tệp → Khôi phục từ thùng rác. Số liệu cũ được giữ nguyên cho đến khi đọc lại được",
    );
  }
  if (EXCEL_MIMES.has(file.mimeType)) {
    throw new SourceError(
      "excel",
      `Tệp là tệp Excel tải lên Drive, chưa phải Google Trang tính nên không đọc được: ${CONVERT_TO_SHEETS}`,
    );
  }
  if (file.mimeType !== SPREADSHEET_MIME) {
    throw new SourceError(
      "not_a_sheet",
      `Tệp không phải Google Trang tính (loại “${file.mimeType}”): đăng ký đường dẫn của một Google Trang tính`,
    );
  }
  return {
    readId,
    version: { version: file.version, modifiedTime: file.modifiedTime },
    canEdit: file.capabilities?.canEdit === true,
    editedBy: file.lastModifyingUser?.emailAddress || file.lastModifyingUser?.displayName || null,
  };
}

/**
 * Drive's `files.get`; its 404 means either "not shared with the service account" or "does not exist", so one Sheets
 * call tells them apart: Sheets answers 403 to the first, 404 to the second.
 */
async function driveFile(google: GoogleClient, fileId: string) {
  try {
    return await google.file(fileId);
  } catch (err) {
    if (!(err instanceof GoogleError) || err.kind !== "not_found") throw err;
    // Throws Sheets' 403 (not shared) or 404 (not found).
    await google.spreadsheet(fileId, "spreadsheetId");
    // Sheets reads what Drive cannot find: nothing a clerk can fix; said as not found, with Google's words.
    throw err;
  }
}

/** Throws a `SourceError` for what is wrong in the sheet, a `GoogleError` for what Google refused. */
export async function readSource(
  google: GoogleClient,
  source: SourceRef,
  ctx: ReadContext & { modelTypes?: ModelType[] },
  readId = source.spreadsheetId,
): Promise<SourceRead> {
  // Every tab's cells come with the tabs: the models tabs (PRODUCT.md §15) are found by name among them.
  const meta = await google.read(readId);
  const picked = pickTabs(meta, source);
  // A registered tab brings the models tabs along (PRODUCT.md §15).
  const extra = source.tab !== null || source.gid !== null ? modelsTabs(meta, picked) : [];
  const grids: Grid[] = [...picked, ...extra].map((tab) => ({ tab, rows: meta.rows.get(tab) ?? [] }));
  const grid =
    source.tab !== null || source.gid !== null
      ? grids[0]
      : (grids.find((g) => hasHeader(source.layout, g, ctx)) ?? grids[0]);
  if (!grid) throw new SourceError("no_tab", "Bảng tính không có trang nào");
  const reading = readLayout(source.layout, grid, { ...ctx, sheetTitle: meta.properties.title });
  const models = readModelsTab(
    grids.filter((g) => g !== grid),
    source.layout,
    reading,
    { ...ctx, sheetTitle: meta.properties.title },
  );
  const locale = meta.properties.locale ?? null;
  if (!isVietnamese(locale)) {
    // Google turned what the clerk typed into numbers by the sheet's locale: “5.000” may now be 5 (GOOGLE.md "Values").
    for (const v of reading.values) v.doubtful = true;
    reading.issues.push({
      unitCode: ctx.unitCode,
      period: null,
      indicatorCode: null,
      cell: null,
      raw: locale,
      severity: "warning",
      code: "locale",
      message: `Bảng tính đang đặt ngôn ngữ “${locale ?? "không rõ"}”, không phải Việt Nam: Google có thể đã lưu “5.000” thành 5, “33.100” thành 33,1 — vào Tệp → Cài đặt → Ngôn ngữ: Việt Nam, rồi kiểm tra lại các số đã nhập. Số liệu của bảng tính này được đánh dấu “có thể đọc sai”`,
    });
  }
  const tabs = new Map(meta.sheets.map((x) => [x.properties.title, x.properties.sheetId]));
  return { ...reading, title: meta.properties.title, locale, tabs, heading: headingOf(source.layout, grid), models };
}

/** Tabs beside a registered one whose name says models (“Mô hình”, “Mô hình 2025”): read in the same request. */
function modelsTabs(meta: SpreadsheetMeta, picked: string[]): string[] {
  return meta.sheets
    .map((s) => s.properties)
    .filter((s) => !s.hidden && !picked.includes(s.title) && ` ${foldText(s.title)} `.includes(" mo hinh "))
    .map((s) => s.title);
}

/**
 * The models tab among the other tabs read (found by its header words), its problems added to the reading's and
 * its lists checked against the typed count of models (PRODUCT.md §15); null when no tab has a models header.
 */
function readModelsTab(
  grids: Grid[],
  layout: SourceRef["layout"],
  reading: SheetReading,
  ctx: ReadContext & { modelTypes?: ModelType[] },
): ModelList[] | null {
  const grid = findModelsGrid(grids);
  if (!grid) return null;
  const latest = reading.values.reduce<string | null>((p, v) => (p === null || v.period > p ? v.period : p), null);
  const { lists, issues } = readModels(grid, {
    ...ctx,
    layout,
    match: kindMatcher(ctx.modelTypes ?? []),
    fallbackPeriod: layout === "form" ? latest : null,
  });
  reading.issues.push(...issues, ...modelCountIssues(lists, reading.values));
  return lists;
}

/** `vi_VN`, `vi`: the locales whose number formats are the clerks' (GOOGLE.md "Values"). */
function isVietnamese(locale: string | null): boolean {
  return locale?.toLowerCase().startsWith("vi") ?? false;
}

/** The text of a form's rows above its header (at most its first five rows); a table's names many communes: none. */
function headingOf(layout: SourceRef["layout"], grid: Grid): string[] {
  if (layout !== "form") return [];
  const header = findFormHeader(grid.rows, grid.tab)?.row ?? 0;
  return grid.rows
    .slice(0, Math.min(header, 5))
    .flat()
    .filter((cell): cell is string => typeof cell === "string" && cell.trim() !== "");
}

function readLayout(layout: SourceRef["layout"], grid: Grid, ctx: ReadContext): SheetReading {
  return layout === "form" ? readForm(grid, ctx) : readTable(grid, ctx);
}

function hasHeader(layout: SourceRef["layout"], grid: Grid, ctx: ReadContext): boolean {
  return layout === "form"
    ? findFormHeader(grid.rows, grid.tab) !== null
    : findTableHeader(grid.rows, ctx.catalog) !== null;
}

function pickTabs(meta: SpreadsheetMeta, source: SourceRef): string[] {
  const sheets = meta.sheets.map((s) => s.properties);
  if (source.tab !== null) {
    const wanted = source.tab.normalize("NFC");
    const found = sheets.find((s) => s.title.normalize("NFC") === wanted);
    if (!found)
      throw new SourceError(
        "no_tab",
        `Không có trang “${source.tab}” trong bảng tính — kiểm tra tên trang (kể cả dấu và khoảng trắng) hoặc để trống cột tab khi đăng ký`,
      );
    return [found.title];
  }
  if (source.gid !== null) {
    const found = sheets.find((s) => s.sheetId === source.gid);
    if (!found)
      throw new SourceError(
        "no_tab",
        `Không có trang có gid=${source.gid} trong bảng tính — trang đã bị xóa; đăng ký lại đường dẫn của trang cần đọc`,
      );
    return [found.title];
  }
  // The tab the sync writes its check results into is never data.
  return sheets.filter((s) => !s.hidden && s.title !== FEEDBACK_TAB).map((s) => s.title);
}

/** Google's own words, kept after the Vietnamese for whoever has to ask Google. */
const inBrackets = (err: GoogleError) => ` (Google: ${err.message})`;

/**
 * A source's failure in words a clerk or an administrator can act on. `email` is the service account's, which a
 * sheet must be shared with.
 */
export function asSourceError(err: unknown, email?: string): SourceError {
  if (err instanceof SourceError) return err;
  if (err instanceof GoogleError) {
    switch (err.kind) {
      case "forbidden":
        return new SourceError(
          "forbidden",
          `Bảng tính chưa được chia sẻ cho tài khoản dịch vụ: mở bảng tính, bấm “Chia sẻ”, thêm ${email ?? "email tài khoản dịch vụ"} với quyền “Người xem” rồi bấm “Gửi”`,
        );
      case "not_found":
        return new SourceError(
          "not_found",
          `Không tìm thấy bảng tính: đường dẫn sai hoặc bảng tính đã bị xóa hẳn — mở đường dẫn đã đăng ký để kiểm tra, rồi đăng ký lại đường dẫn đúng${inBrackets(err)}`,
        );
      case "not_a_sheet":
        return new SourceError(
          "excel",
          `Tệp không phải Google Trang tính (có thể là tệp Excel tải lên Drive) nên không đọc được: ${CONVERT_TO_SHEETS}${inBrackets(err)}`,
        );
      case "bad_request":
        return new SourceError(
          "no_tab",
          `Google không đọc được vùng dữ liệu của bảng tính — kiểm tra tên trang đã đăng ký${inBrackets(err)}`,
        );
      case "rate_limited":
        return new SourceError(
          "rate_limited",
          `Google đang giới hạn số lần đọc mỗi phút của tài khoản dịch vụ; bảng tính sẽ được đọc lại ở lần đồng bộ sau${inBrackets(err)}`,
        );
      case "config":
      case "unauthenticated":
        return new SourceError("config", err.message);
      default:
        return new SourceError(
          "google",
          `Google tạm thời không trả lời; sẽ thử lại ở lần đồng bộ sau${inBrackets(err)}`,
        );
    }
  }
  console.error("unexpected error while reading a source", err);
  return new SourceError("google", "Lỗi không xác định khi đọc bảng tính; sẽ thử lại ở lần đồng bộ sau");
}

/**
 * A refusal that no sheet can fix — an API not enabled in the Cloud project, a key Google refuses — said once for
 * the run: which API, which project, what an administrator must do (PRODUCT.md §5 "configuration error").
 */
export function configurationProblem(err: unknown, google: Pick<GoogleClient, "email" | "projectId">): string | null {
  if (!(err instanceof GoogleError)) return null;
  if (err.kind === "config" && (err.reason === "accessNotConfigured" || err.reason === "SERVICE_DISABLED")) {
    const apiName = err.api === "drive" ? "Google Drive API" : "Google Sheets API";
    const project = google.projectId ?? /project (\d+)/.exec(err.message)?.[1] ?? "của tài khoản dịch vụ";
    return `${apiName} chưa được bật cho dự án Google Cloud “${project}” (tài khoản dịch vụ ${google.email}): quản trị viên vào Google Cloud Console → API và dịch vụ → Thư viện, tìm “${apiName}”, bấm “Bật” (Enable) cho dự án này, đợi vài phút rồi đồng bộ lại. Không phải lỗi của các bảng tính${inBrackets(err)}`;
  }
  if (err.kind === "config") return err.message;
  if (err.kind === "unauthenticated") {
    return `Google không chấp nhận quyền truy cập của tài khoản dịch vụ ${google.email} (token bị từ chối): kiểm tra khóa GOOGLE_SERVICE_ACCOUNT rồi đồng bộ lại${inBrackets(err)}`;
  }
  return null;
}
