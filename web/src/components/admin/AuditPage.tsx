/** “Nhật ký”: every change an administrator (or the schedule) made, newest first, fifty at a time. */
import { useState } from "preact/hooks";
import { formatDateTime } from "../../../../domain/time";
import { type AuditEntry, fetchAudit } from "../../api";
import { useLoad } from "../../state";
import { Status } from "../common";

const ACTIONS: Record<string, string> = {
  "boundaries.import": "Tải ranh giới xã cho bản đồ",
  "catalog.import": "Nhập danh mục chỉ tiêu",
  "conference.created": "Tạo hội nghị",
  "conference.frozen": "Chốt số liệu hội nghị",
  "period.deadline": "Đặt hạn báo cáo",
  "sources.deactivate": "Ngừng đọc bảng tính",
  "sources.import": "Nhập danh sách bảng tính",
  "sources.register": "Đăng ký bảng tính",
  "sync.manual": "Đồng bộ ngay",
  "token.create": "Tạo mã truy cập",
  "token.revoke": "Thu hồi mã truy cập",
  "units.import": "Nhập danh sách đơn vị",
  "user.disable": "Khoá người dùng",
  "user.save": "Lưu người dùng",
  "value.removed": "Xoá số liệu không còn trong bảng tính",
};

const detailText = (detail: AuditEntry["detail"]) =>
  detail === null
    ? ""
    : Object.entries(detail as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
        .join(" · ");

export function AuditPage() {
  /** The pages read so far: each starts before the last entry of the one above it. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
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
              <th scope="col">Đối tượng</th>
              <th scope="col">Chi tiết</th>
            </tr>
          </thead>
          {cursors.map((before, i) => (
            <AuditRows
              key={before ?? "first"}
              before={before}
              last={i === cursors.length - 1}
              onMore={(next) => setCursors([...cursors, next])}
            />
          ))}
        </table>
      </div>
    </>
  );
}

function AuditRows({ before, last, onMore }: { before?: number; last: boolean; onMore: (next: number) => void }) {
  const page = useLoad(() => fetchAudit(before), `audit|${before ?? ""}`);
  const entries = page.data?.entries ?? [];
  const oldest = entries[entries.length - 1];
  return (
    <tbody>
      {entries.map((e) => (
        <tr key={e.id}>
          <td data-label="Thời điểm">{formatDateTime(e.at)}</td>
          <td data-label="Người thực hiện">{e.actor}</td>
          <td data-label="Việc">{ACTIONS[e.action] ?? e.action}</td>
          <td data-label="Đối tượng">{e.target ?? ""}</td>
          <td data-label="Chi tiết" class="audit-detail">
            {detailText(e.detail)}
          </td>
        </tr>
      ))}
      {(page.error || (page.loading && !page.data)) && (
        <tr>
          <td colSpan={5}>
            <Status state={page} what="nhật ký" />
          </td>
        </tr>
      )}
      {last && page.data && before === undefined && entries.length === 0 && (
        <tr>
          <td colSpan={5}>Chưa có thay đổi nào.</td>
        </tr>
      )}
      {last && entries.length === 50 && oldest && (
        <tr>
          <td colSpan={5}>
            <button type="button" onClick={() => onMore(oldest.id)}>
              Xem các thay đổi cũ hơn
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
