import { readerLabel } from "../../../domain/indicators";
import { formatFigure, formatFlag, formatIndicator } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { formatDateTime } from "../../../domain/time";
import { fetchApprovals, fetchIssues, fetchSources, fetchSummary, type Scope, submitApproval } from "../api";
import { meta, route, tick, useLoad } from "../state";
import { useSubmit } from "./admin/form";
import { Doubtful, FiguresHead, Link, likeForLike, Status } from "./common";
import { IssueList, sourceUrl } from "./IssueList";
import { StaleNote, SummaryMeta, Timeliness } from "./Overview";

/**
 * The commune's official figures for the period (PRODUCT.md §12): its state in a sentence and, to the commune's own
 * user or an administrator, “Chốt số liệu”; a refusal names the cells still to fix.
 */
function ApprovalState({ commune, period }: { commune: string; period: string }) {
  const state = useLoad(() => fetchApprovals(commune, period), `approval|${commune}|${period}`);
  const { busy, error, run } = useSubmit();
  const a = state.data?.approvals[0];
  if (!a) return null;
  const principal = meta.value?.principal;
  const may = principal?.role === "admin" || (principal?.role === "commune" && principal.scopeUnitCode === commune);
  const at = (t: string | null) => (t ? ` lúc ${formatDateTime(t)}` : "");
  const said = {
    open: "Chưa chốt số liệu",
    submitted: `Xã đã chốt${at(a.submittedAt)}, chờ tỉnh duyệt`,
    accepted: `Tỉnh đã duyệt${at(a.acceptedAt)}`,
    returned: `Tỉnh trả lại: ${a.reason ?? ""}`,
  }[a.state];
  const changes = a.pendingChanges.length;
  return (
    <div class={`approval-state ${a.state}`} data-state={a.state}>
      <p>
        <strong>{said}</strong>
        {a.state === "submitted" && a.onTime === false && <span class="tag late">sau hạn</span>}
        {a.state === "open" && a.reason && <span> — {a.reason}</span>}
      </p>
      {a.state === "returned" && a.returnedAt && (
        <p class="muted">Trả lại lúc {formatDateTime(a.returnedAt)}. Sửa bảng tính rồi chốt lại.</p>
      )}
      {changes > 0 && (
        <p>Bảng tính đã sửa {changes} chỉ tiêu sau khi tỉnh duyệt: số liệu mới chỉ được dùng khi tỉnh mở lại.</p>
      )}
      {may && (a.state === "open" || a.state === "returned") && (
        <p>
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await submitApproval(commune, period);
                tick.value++;
              })
            }
          >
            {busy ? "Đang chốt…" : "Chốt số liệu"}
          </button>
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error.message} <a href="#commune-issues">Xem lỗi cần sửa</a>
        </p>
      )}
    </div>
  );
}

/** One commune: all its figures, its issues, and a link that opens its sheet at the right tab. */
export function CommuneView({ scope }: { scope: Scope }) {
  const commune = route.value.commune;
  const own: Scope | null = commune ? { ...scope, unit: commune } : null;
  const key = JSON.stringify(own);
  const summary = useLoad(own ? () => fetchSummary(own) : null, key);
  const issues = useLoad(own ? () => fetchIssues(own.unit, own.period) : null, key);
  const sources = useLoad(commune ? () => fetchSources(commune) : null, key);
  if (!commune)
    return (
      <p>
        Chưa chọn xã. <Link to={{ view: "overview" }}>Về trang tổng quan</Link>.
      </p>
    );
  const s = summary.data;
  const sheetLinks = sources.data?.sources.filter((x) => x.url) ?? [];
  const fallback = !sources.data ? issues.data?.issues.map(sourceUrl).find((u) => u) : undefined;
  return (
    <section aria-labelledby="commune-title">
      <p class="crumbs">
        <Link to={{ view: "overview", commune: null }}>← Tổng quan</Link>
        {route.value.indicator && (
          <>
            {" · "}
            <Link to={{ view: "indicator", commune: null }}>← Về chỉ tiêu đang xem</Link>
          </>
        )}
      </p>
      <h1 id="commune-title">
        {s ? s.unit.name : `Đơn vị ${commune}`} — {periodLabel(scope.period)}
      </h1>
      <Status state={summary} what="số liệu của xã" />
      {s && (
        <>
          <SummaryMeta summary={s} />
          {s.coverage.rejected > 0 && (
            <p class="stale">
              Xã đã nhập số liệu nhưng các ô đều bị từ chối: <a href="#commune-issues">xem lỗi cần sửa</a>.
            </p>
          )}
          <StaleNote summary={s} />
          <Timeliness summary={s} />
        </>
      )}
      <ApprovalState commune={commune} period={scope.period} />
      <div class="sheet-links">
        {sheetLinks.map((x) => (
          <p key={x.id}>
            <a href={x.url} target="_blank" rel="noopener noreferrer" class="button">
              Mở bảng tính của xã{x.tab ? ` (trang “${x.tab}”)` : ""}
            </a>
            {x.lastError && <span class="source-error"> Lần đọc gần nhất lỗi: {x.lastError}</span>}
          </p>
        ))}
        {sources.data && sheetLinks.length === 0 && <p>Xã này chưa đăng ký bảng tính nào.</p>}
        {fallback && (
          <p>
            <a href={fallback} target="_blank" rel="noopener noreferrer" class="button">
              Mở bảng tính của xã
            </a>
          </p>
        )}
        {sources.error && !fallback && <p class="muted">Chưa lấy được đường dẫn bảng tính của xã ({sources.error}).</p>}
      </div>
      {s && (
        <div class="table-wrap">
          <table class="commune-figures">
            <caption>Tất cả chỉ tiêu của xã</caption>
            <FiguresHead rows="Chỉ tiêu" period={s.period} compare={s.compare} />
            <tbody>
              {s.indicators.map((i) => (
                <tr key={i.code} data-indicator={i.code} class={i.value === null ? "missing" : undefined}>
                  <th scope="row">
                    {readerLabel(i.label)}
                    {i.kind !== "flag" && <span class="muted"> ({i.kind === "ratio" ? "%" : i.unit})</span>}
                  </th>
                  <td class="num value">
                    {formatIndicator(i, true)}
                    {i.doubtful && i.value !== null && <Doubtful />}
                  </td>
                  {s.compare && (
                    <td class="num">
                      {i.kind === "flag"
                        ? formatFlag(i.previous, i.previousReporting, true)
                        : formatFigure(i.previous, i.kind)}
                    </td>
                  )}
                  {/* A yes/no answer has no percentage change: the two columns say it. */}
                  {s.compare && <td class="num wide-only">{(i.kind !== "flag" && likeForLike(i)) || "—"}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="commune-issues">Lỗi và cảnh báo cần sửa</h2>
      <Status state={issues} what="danh sách lỗi" />
      {issues.data &&
        (issues.data.issues.length ? (
          <IssueList issues={issues.data.issues} />
        ) : (
          <p>Không có lỗi nào trong bảng tính của xã cho kỳ này.</p>
        ))}
    </section>
  );
}
