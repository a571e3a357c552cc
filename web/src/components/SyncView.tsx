import { useState } from "preact/hooks";
import { formatNumber } from "../../../domain/numbers";
import { formatDateTime } from "../../../domain/time";
import { fetchRuns, type SyncRun, startSync } from "../api";
import { meta, tick, useLoad } from "../state";
import { Status } from "./common";

const STATUS: Record<string, string> = {
  running: "Đang chạy",
  ok: "Thành công",
  partial: "Có bảng tính lỗi",
  failed: "Thất bại",
};
const TRIGGER: Record<string, string> = {
  cron: "Theo lịch",
  manual: "Thủ công",
  conference: "Trước hội nghị",
  startup: "Khi khởi động",
};
const n = (v: unknown) => (typeof v === "number" ? formatNumber(v, "count") : "—");

/** Sync runs, newest first, and “Đồng bộ ngay” for administrators. */
export function SyncView() {
  const runs = useLoad(fetchRuns, "runs");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const isAdmin = meta.value?.principal.role === "admin";
  // A run that failed as a whole (a configuration error) says why once, above the table.
  const latest = runs.data?.runs[0];

  async function syncNow() {
    setBusy(true);
    setMessage(null);
    try {
      const { run } = await startSync();
      setMessage({
        ok: true,
        text:
          run.status === "running"
            ? "Đã bắt đầu đồng bộ, số liệu sẽ cập nhật trong ít phút."
            : `Đồng bộ xong: ${STATUS[run.status] ?? run.status}.`,
      });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
      tick.value++;
    }
  }

  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">Đồng bộ bảng tính</h1>
      {isAdmin && (
        <p>
          <button type="button" onClick={syncNow} disabled={busy}>
            {busy ? "Đang đồng bộ…" : "Đồng bộ ngay"}
          </button>
        </p>
      )}
      {message && (
        <p role={message.ok ? "status" : "alert"} class={message.ok ? "notice" : "error"}>
          {message.text}
        </p>
      )}
      <Status state={runs} what="lịch sử đồng bộ" />
      {latest?.error && (
        <p role="alert" class="error run-error">
          Lần đồng bộ gần nhất ({latest.startedAt ? formatDateTime(latest.startedAt) : "—"}) không đọc được bảng tính
          nào: {latest.error}
        </p>
      )}
      {runs.data && runs.data.runs.length === 0 && <p>Chưa có lần đồng bộ nào.</p>}
      {runs.data && runs.data.runs.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>Các lần đồng bộ gần đây</caption>
            <thead>
              <tr>
                <th scope="col">Bắt đầu</th>
                <th scope="col">Cách chạy</th>
                <th scope="col">Kết quả</th>
                <th scope="col" class="num">
                  Đã đọc
                </th>
                <th scope="col" class="num wide-only">
                  Không đổi
                </th>
                <th scope="col" class="num">
                  Lỗi
                </th>
                <th scope="col" class="num wide-only">
                  Số liệu ghi
                </th>
                <th scope="col" class="num">
                  Vấn đề
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((r: SyncRun) => (
                <tr key={r.id} class={`run ${r.status}`}>
                  <td>{r.startedAt ? formatDateTime(r.startedAt) : "—"}</td>
                  <td>{TRIGGER[r.trigger] ?? r.trigger}</td>
                  <td>
                    {STATUS[r.status] ?? r.status}
                    {r.error ? (r === latest ? " (xem lý do ở trên)" : ` — ${r.error}`) : ""}
                  </td>
                  <td class="num">{n(r.sourcesRead)}</td>
                  <td class="num wide-only">{n(r.sourcesSkipped)}</td>
                  <td class="num">{n(r.sourcesFailed)}</td>
                  <td class="num wide-only">{n(r.valuesWritten)}</td>
                  <td class="num">{n(r.issuesFound)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
