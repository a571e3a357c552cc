import { useState } from "preact/hooks";
import { formatNumber } from "../../../domain/numbers";
import { formatDateTime } from "../../../domain/time";
import { fetchRuns, fetchSources, type Source, type SyncRun, startSync } from "../api";
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
  sheet: "Đọc một bảng tính",
};
const n = (v: number) => formatNumber(v, "count");

type Counts = Pick<SyncRun, "sourcesRead" | "sourcesSkipped" | "sourcesFailed">;

/** What a run did with the sheets, all three counts always (a phone too): “Đã đọc 3 · Không đổi 143 · Lỗi 2”. */
const countsText = (r: Counts) =>
  `Đã đọc ${n(r.sourcesRead)} · Không đổi ${n(r.sourcesSkipped)} · Lỗi ${n(r.sourcesFailed)}`;

/** The sheets a run could not read, as their last read says (a sheet read again by a later run is that run's). */
const failedIn = (sources: Source[], runId: number) =>
  sources.filter((s) => s.lastRunId === runId && s.lastStatus === "error");

/**
 * The sheets a run failed, by commune and cause. Those a later run read again (or outside what the viewer may see)
 * are counted, not named.
 */
function FailedSheets({ failed, total, later }: { failed: Source[]; total: number; later: boolean }) {
  const others = total - failed.length;
  if (total === 0) return null;
  return (
    <ul class="run-failed">
      {failed.map((s) => (
        <li key={s.id}>
          <strong>{s.unitName ?? s.unitCode}</strong>: {s.lastError ?? "không đọc được bảng tính"}
        </li>
      ))}
      {others > 0 && (
        <li>
          {failed.length > 0 ? "và " : ""}
          {n(others)} bảng tính {later ? "đã được đọc lại ở lần đồng bộ sau" : "khác"}
        </li>
      )}
    </ul>
  );
}

/** Sync runs, newest first, each with what it read, left unchanged and failed (and which), and “Đồng bộ ngay”. */
export function SyncView() {
  const runs = useLoad(fetchRuns, "runs");
  const principal = meta.value?.principal;
  const scope = principal?.scopeUnitCode ?? "VN";
  const sources = useLoad(principal ? () => fetchSources(scope) : null, `sync-sources|${scope}`);
  const all = sources.data?.sources ?? [];
  const [busy, setBusy] = useState(false);
  /** The run “Đồng bộ ngay” started, or why it could not start. */
  const [started, setStarted] = useState<
    { run: Awaited<ReturnType<typeof startSync>>["run"]; error: null } | { run: null; error: string } | null
  >(null);
  const isAdmin = principal?.role === "admin";
  // A run that failed as a whole (a configuration error) says why once, above the table.
  const latest = runs.data?.runs[0];
  // The run as listed (finished since) rather than as it started.
  const startedRun = started?.run ? (runs.data?.runs.find((r) => r.id === started.run?.runId) ?? null) : null;

  async function syncNow() {
    setBusy(true);
    setStarted(null);
    try {
      setStarted({ run: (await startSync()).run, error: null });
    } catch (e) {
      setStarted({ run: null, error: (e as Error).message });
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
      {started && <SyncOutcome started={started} listed={startedRun} sources={all} />}
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
          <table class="sync-runs cards">
            <caption>Các lần đồng bộ gần đây</caption>
            <thead>
              <tr>
                <th scope="col">Bắt đầu</th>
                <th scope="col">Cách chạy</th>
                <th scope="col">Kết quả</th>
                <th scope="col">Bảng tính</th>
                <th scope="col" class="num">
                  Số liệu ghi
                </th>
                <th scope="col" class="num">
                  Vấn đề
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((r: SyncRun) => {
                const failed = failedIn(all, r.id);
                // A one-sheet read names its sheet: the one whose last read it was.
                const sheet = r.trigger === "sheet" ? all.find((s) => s.lastRunId === r.id) : undefined;
                return (
                  <tr key={r.id} class={`run ${r.status}`}>
                    <td data-label="Bắt đầu">{r.startedAt ? formatDateTime(r.startedAt) : "—"}</td>
                    <td data-label="Cách chạy">
                      {TRIGGER[r.trigger] ?? r.trigger}
                      {sheet && <span class="muted"> — {sheet.unitName ?? sheet.unitCode}</span>}
                    </td>
                    <td data-label="Kết quả">
                      <span class="run-status">{STATUS[r.status] ?? r.status}</span>
                      {r.error ? (r === latest ? " (xem lý do ở trên)" : ` — ${r.error}`) : ""}
                      {!r.error && r.status !== "running" && sources.data && (
                        <FailedSheets failed={failed} total={r.sourcesFailed} later={r !== latest} />
                      )}
                    </td>
                    <td data-label="Bảng tính" class="run-counts">
                      {countsText(r)}
                    </td>
                    <td data-label="Số liệu ghi" class="num">
                      {n(r.valuesWritten)}
                    </td>
                    <td data-label="Vấn đề" class="num">
                      {n(r.issuesFound)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * What came of “Đồng bộ ngay”: still running, done with every sheet read, or done with sheets that failed — named
 * with their cause, and never said in green.
 */
function SyncOutcome(props: {
  started: { run: Awaited<ReturnType<typeof startSync>>["run"]; error: null } | { run: null; error: string };
  listed: SyncRun | null;
  sources: Source[];
}) {
  const { started, listed, sources } = props;
  if (!started.run)
    return (
      <p role="alert" class="error">
        {started.error}
      </p>
    );
  const status = listed?.status ?? started.run.status;
  const counts = listed ?? started.run;
  if (status === "running")
    return (
      <p role="status" class="notice">
        Đã bắt đầu đồng bộ, số liệu sẽ cập nhật trong ít phút.
      </p>
    );
  if (status === "ok")
    return (
      <p role="status" class="notice">
        Đồng bộ xong, không có bảng tính lỗi: {countsText(counts)}.
      </p>
    );
  const failed = failedIn(sources, started.run.runId);
  return (
    <div role="alert" class="error sync-outcome">
      <p>
        {status === "failed"
          ? "Đồng bộ không thành công"
          : `Đồng bộ xong nhưng có ${n(counts.sourcesFailed)} bảng tính lỗi`}
        : {countsText(counts)}.{listed?.error ? ` ${listed.error}` : ""}
      </p>
      {!listed?.error && <FailedSheets failed={failed} total={counts.sourcesFailed} later={false} />}
    </div>
  );
}
