/**
 * “Nhật ký”: every change an administrator (or the schedule) made, newest first, fifty at a time — each said as a
 * sentence with the communes, sheets, conferences and tokens by name and dates in Vietnam time.
 */
import { useState } from "preact/hooks";
import { formatExact } from "../../../../domain/numbers";
import { periodLabel } from "../../../../domain/periods";
import { endOfDayOrMoment, formatDateTime } from "../../../../domain/time";
import {
  type AdminUnit,
  type AuditEntry,
  type Conference,
  fetchAudit,
  fetchConferences,
  fetchSources,
  fetchTokens,
  type Role,
  type Source,
  type Token,
} from "../../api";
import { useLoad } from "../../state";
import { Status } from "../common";
import { dateText } from "./DateField";
import { ROLE_WORDS } from "./form";
import { scopeName } from "./UsersPage";

/** What the log's sentences name things by: today's units, every sheet, conference and token. */
type Names = { units: AdminUnit[]; sources: Source[]; conferences: Conference[]; tokens: Token[] };

const ACTORS: Record<string, string> = { cron: "Tự động theo lịch", sync: "Đồng bộ tự động" };

type Detail = Record<string, unknown>;
const detailOf = (e: AuditEntry): Detail =>
  typeof e.detail === "object" && e.detail !== null && !Array.isArray(e.detail) ? (e.detail as Detail) : {};
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const count = (v: unknown) => (typeof v === "number" ? formatExact(v) : "");

/** A period inside a sentence: “kỳ năm 2025”, “kỳ quý III/2025”. */
const period = (code: string) => {
  const label = periodLabel(code);
  return `kỳ ${label.charAt(0).toLocaleLowerCase("vi")}${label.slice(1)}`;
};

/** A deadline or expiry: its date, and its time unless it is the end of the day. */
const moment = (iso: string) => {
  const shown = formatDateTime(iso);
  return shown.endsWith("23:59") ? dateText(iso) : shown;
};

function sheetOf(names: Names, id: number): string {
  const s = names.sources.find((x) => x.id === id);
  if (!s) return "một bảng tính";
  const unit = s.unitName ?? scopeName(names.units, s.unitCode);
  return `${s.title ? `bảng tính “${s.title}”` : "bảng tính"} của ${unit}`;
}

const isRole = (v: unknown): v is Role => v === "admin" || v === "leader" || v === "commune";

/** Who and what scope: “Lãnh đạo, Tỉnh Hưng Yên”. */
const roleScope = (names: Names, d: Detail) =>
  `${isRole(d.role) ? ROLE_WORDS[d.role] : ""}, ${scopeName(names.units, text(d.scopeUnitCode))}`;

/** One entry as a sentence. */
function said(e: AuditEntry, names: Names): string {
  const d = detailOf(e);
  const target = e.target ?? "";
  const unit = (code: string | null) => (code ? scopeName(names.units, code) : "");
  switch (e.action) {
    case "sources.register": {
      const title =
        text(d.title) ?? names.sources.find((s) => s.spreadsheetId === text(d.spreadsheetId))?.title ?? null;
      const what = d.layout === "table" ? "bảng tổng hợp" : "bảng tính";
      const confirmed = d.confirmed === true ? " (đã xác nhận dù bảng tính ghi tên xã khác)" : "";
      return `Đăng ký ${what}${title ? ` “${title}”` : ""} cho ${unit(text(d.unitCode) ?? target)}${confirmed}`;
    }
    case "sources.deactivate":
      return `Ngừng đọc ${sheetOf(names, Number(target))}`;
    case "sources.reactivate":
      return `Đọc lại ${sheetOf(names, Number(target))} đã ngừng đọc`;
    case "sources.import":
      return `Nhập ${count(d.rows)} bảng tính từ tệp`;
    case "sync.manual":
      return "Đồng bộ ngay tất cả bảng tính";
    case "period.deadline": {
      const deadline = text(d.deadline);
      return deadline
        ? `Đặt hạn báo cáo ${period(target)}: ${moment(deadline)}`
        : `Trả hạn báo cáo ${period(target)} về hạn mặc định`;
    }
    case "conference.created": {
      const startsAt = text(d.startsAt);
      const code = text(d.period);
      return [
        `Tạo hội nghị “${text(d.title) ?? ""}”`,
        unit(text(d.unitCode)),
        code ? period(code) : "",
        startsAt ? `bắt đầu ${formatDateTime(startsAt)}` : "",
      ]
        .filter(Boolean)
        .join(", ");
    }
    case "conference.frozen": {
      const c = names.conferences.find((x) => x.id === Number(target));
      return c
        ? `Chốt số liệu hội nghị “${c.title}”, ${unit(c.unitCode)}, ${period(c.period)}`
        : `Chốt số liệu hội nghị của ${unit(text(d.unitCode))}`;
    }
    case "token.create": {
      const expiresAt = text(d.expiresAt);
      return `Tạo mã truy cập “${target}”: ${roleScope(names, d)}, ${expiresAt ? `hết hạn ${moment(expiresAt)}` : "không hết hạn"}`;
    }
    case "token.revoke": {
      const t = names.tokens.find((x) => x.id === Number(target));
      return `Thu hồi mã truy cập${t ? ` “${t.name}”` : ""}`;
    }
    case "user.save":
      return `Lưu quyền của ${target}: ${roleScope(names, d)}`;
    case "user.disable":
      return `Khoá người dùng ${target}`;
    case "units.import":
      return `Nhập danh sách ${count(d.rows)} đơn vị hành chính, có hiệu lực từ ${dateText(endOfDayOrMoment(target))}`;
    case "catalog.import":
      return `Nhập danh mục ${count(d.rows)} chỉ tiêu`;
    case "boundaries.import": {
      const provinces = Array.isArray(d.provinces) ? (d.provinces as Detail[]) : [];
      const communes = provinces.reduce((n, p) => n + (typeof p.communes === "number" ? p.communes : 0), 0);
      const where = provinces.map((p) => unit(text(p.unitCode))).join(", ");
      const unmatched =
        typeof d.unmatched === "number" && d.unmatched > 0
          ? `; ${count(d.unmatched)} mã xã không có trong danh sách đơn vị`
          : "";
      return `Tải ranh giới ${formatExact(communes)} xã cho bản đồ${where ? ` (${where})` : ""}${unmatched}`;
    }
    case "value.removed": {
      const [code = "", , periodCode = ""] = target.split("/");
      const raw = text(d.raw) ?? (typeof d.value === "number" ? formatExact(d.value) : null);
      return `Bỏ số liệu ${raw ? `“${raw}” ` : ""}ở ô ${text(d.cell) ?? ""} của ${unit(code)}, ${period(periodCode)}: ô đã để trống hoặc không còn trong bảng tính`;
    }
    default:
      return e.action;
  }
}

export function AuditPage({ units }: { units: AdminUnit[] }) {
  /** The pages read so far: each starts before the last entry of the one above it. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const sources = useLoad(() => fetchSources("VN"), "audit-sources");
  const conferences = useLoad(() => fetchConferences("VN"), "audit-conferences");
  const tokens = useLoad(fetchTokens, "audit-tokens");
  const names: Names = {
    units,
    sources: sources.data?.sources ?? [],
    conferences: conferences.data?.conferences ?? [],
    tokens: tokens.data?.tokens ?? [],
  };
  return (
    <>
      <h2>Nhật ký thay đổi</h2>
      <div class="table-wrap">
        <table class="admin-audit cards">
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Việc</th>
            </tr>
          </thead>
          {cursors.map((before, i) => (
            <AuditRows
              key={before ?? "first"}
              before={before}
              names={names}
              last={i === cursors.length - 1}
              onMore={(next) => setCursors([...cursors, next])}
            />
          ))}
        </table>
      </div>
    </>
  );
}

function AuditRows(props: { before?: number; names: Names; last: boolean; onMore: (next: number) => void }) {
  const { before, names, last, onMore } = props;
  const page = useLoad(() => fetchAudit(before), `audit|${before ?? ""}`);
  const entries = page.data?.entries ?? [];
  const oldest = entries[entries.length - 1];
  return (
    <tbody>
      {entries.map((e) => (
        <tr key={e.id} data-action={e.action}>
          <td data-label="Thời điểm">{formatDateTime(e.at)}</td>
          <td data-label="Người thực hiện">{ACTORS[e.actor] ?? e.actor}</td>
          <td data-label="Việc" class="audit-what">
            {said(e, names)}
          </td>
        </tr>
      ))}
      {(page.error || (page.loading && !page.data)) && (
        <tr>
          <td colSpan={3}>
            <Status state={page} what="nhật ký" />
          </td>
        </tr>
      )}
      {last && page.data && before === undefined && entries.length === 0 && (
        <tr>
          <td colSpan={3}>Chưa có thay đổi nào.</td>
        </tr>
      )}
      {last && entries.length === 50 && oldest && (
        <tr>
          <td colSpan={3}>
            <button type="button" onClick={() => onMore(oldest.id)}>
              Xem các thay đổi cũ hơn
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
