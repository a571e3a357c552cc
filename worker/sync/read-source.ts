/**
 * Reading one registered source from Google: its tabs and locale, then every range it needs in one
 * `values:batchGet`, then the layout's reader. Any failure of the whole source is a `SourceError`.
 */
import type { GoogleClient, SpreadsheetMeta } from "../google/client";
import { GoogleError } from "../google/errors";
import { findFormHeader, readForm } from "../sheets/form";
import { findTableHeader, readTable } from "../sheets/table";
import { quoteTab } from "../sheets/text";
import { SourceError, type Grid, type ReadContext, type SheetReading } from "../sheets/types";

export type SourceRef = {
  spreadsheetId: string;
  gid: number | null;
  tab: string | null;
  layout: "form" | "table";
};

export type SourceRead = SheetReading & { title: string; locale: string | null };

export async function readSource(google: GoogleClient, source: SourceRef, ctx: ReadContext): Promise<SourceRead> {
  try {
    const meta = await google.spreadsheet(source.spreadsheetId);
    const tabs = pickTabs(meta, source);
    const ranges = await google.batchGet(source.spreadsheetId, tabs.map(quoteTab));
    const grids: Grid[] = tabs.map((tab, i) => ({ tab, rows: ranges[i]?.values ?? [] }));
    const grid = source.tab !== null || source.gid !== null ? grids[0]! : (grids.find((g) => hasHeader(source.layout, g, ctx)) ?? grids[0]);
    if (!grid) throw new SourceError("no_tab", "Bảng tính không có trang nào");
    const reading = readLayout(source.layout, grid, { ...ctx, sheetTitle: meta.properties.title });
    const locale = meta.properties.locale ?? null;
    if (locale !== "vi_VN") {
      reading.issues.push({
        unitCode: ctx.unitCode,
        period: null,
        indicatorCode: null,
        cell: null,
        raw: locale,
        severity: "warning",
        code: "locale",
        message: `Bảng tính đang đặt ngôn ngữ “${locale ?? "không rõ"}”, không phải Tiếng Việt (vi_VN): số gõ như “33.100” có thể bị hiểu sai — vào Tệp › Cài đặt để chọn Việt Nam`,
      });
    }
    return { ...reading, title: meta.properties.title, locale };
  } catch (err) {
    throw asSourceError(err);
  }
}

function readLayout(layout: SourceRef["layout"], grid: Grid, ctx: ReadContext): SheetReading {
  return layout === "form" ? readForm(grid, ctx) : readTable(grid, ctx);
}

function hasHeader(layout: SourceRef["layout"], grid: Grid, ctx: ReadContext): boolean {
  return layout === "form" ? findFormHeader(grid.rows, grid.tab) !== null : findTableHeader(grid.rows, ctx.catalog) !== null;
}

function pickTabs(meta: SpreadsheetMeta, source: SourceRef): string[] {
  const sheets = meta.sheets.map((s) => s.properties);
  if (source.tab !== null) {
    const wanted = source.tab.normalize("NFC");
    const found = sheets.find((s) => s.title.normalize("NFC") === wanted);
    if (!found) throw new SourceError("no_tab", `Không có trang “${source.tab}” trong bảng tính`);
    return [found.title];
  }
  if (source.gid !== null) {
    const found = sheets.find((s) => s.sheetId === source.gid);
    if (!found) throw new SourceError("no_tab", `Không có trang có gid=${source.gid} trong bảng tính`);
    return [found.title];
  }
  return sheets.filter((s) => !s.hidden).map((s) => s.title);
}

export function asSourceError(err: unknown): SourceError {
  if (err instanceof SourceError) return err;
  if (err instanceof GoogleError) {
    switch (err.kind) {
      case "forbidden":
        return new SourceError("forbidden", "Không có quyền đọc bảng tính: hãy chia sẻ bảng tính (quyền Người xem) với email tài khoản dịch vụ");
      case "not_found":
        return new SourceError("not_found", "Không tìm thấy bảng tính: đường dẫn sai hoặc bảng tính đã bị xóa");
      case "bad_request":
        return new SourceError("no_tab", `Google không đọc được vùng dữ liệu: ${err.message}`);
      case "config":
      case "unauthenticated":
        return new SourceError("config", err.message);
      default:
        return new SourceError("google", `Google tạm thời không trả lời (${err.message}); sẽ thử lại ở lần đồng bộ sau`);
    }
  }
  console.error("unexpected error while reading a source", err);
  return new SourceError("google", "Lỗi không xác định khi đọc bảng tính");
}
