import { formatFigure } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { isCommuneKind } from "../../../domain/units";
import { type BreakdownRow, fetchBreakdown, type Scope } from "../api";
import { route, useLoad } from "../state";
import { Doubtful, FiguresHead, Link, lazyView, likeForLike, Status } from "./common";

const CommuneMap = lazyView(() => import("./CommuneMap").then((m) => m.CommuneMap));

/** Reported communes from the largest figure down, then the ones that did not report (kept visible, never as 0). */
function sortRows(rows: BreakdownRow[]): BreakdownRow[] {
  return [...rows].sort((a, b) => {
    if (a.value === null || b.value === null)
      return a.value === null ? (b.value === null ? a.unit.name.localeCompare(b.unit.name, "vi") : 1) : -1;
    return b.value - a.value || a.unit.name.localeCompare(b.unit.name, "vi");
  });
}

/** One indicator across the communes: sorted bars (SVG), the communes that did not report, and a table. */
export function IndicatorView({ scope }: { scope: Scope }) {
  const indicator = route.value.indicator;
  const key = JSON.stringify([scope, indicator]);
  const state = useLoad(indicator ? () => fetchBreakdown(scope, indicator) : null, key);
  if (!indicator)
    return (
      <p>
        Chưa chọn chỉ tiêu. <Link to={{ view: "overview" }}>Về trang tổng quan</Link> và chọn một chỉ tiêu.
      </p>
    );
  const data = state.data;
  const rows = data ? sortRows(data.rows) : [];
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const missing = rows.filter((r) => r.status === "missing" || r.value === null);
  const kind = data?.indicator.kind ?? "count";
  return (
    <section aria-labelledby="indicator-title">
      <p class="crumbs">
        <Link to={{ view: "overview", indicator: null }}>← Tổng quan</Link>
      </p>
      <h1 id="indicator-title">
        {data ? data.indicator.label : "Chỉ tiêu"} — {periodLabel(scope.period)}
      </h1>
      <Status state={state} what="số liệu theo xã" />
      {data && (
        <>
          <p class="meta">
            {data.unit.name}
            {data.indicator.kind !== "ratio" && data.indicator.unit ? ` · đơn vị: ${data.indicator.unit}` : ""} ·{" "}
            {rows.length - missing.length}/{rows.length} xã có số liệu
          </p>
          {!isCommuneKind(data.unit.kind) && data.unit.code !== "VN" && (
            <CommuneMap unit={data.unit.code} rows={data.rows} kind={kind} label={data.indicator.label} />
          )}
          {missing.length > 0 && (
            <div class="missing-list" role="note">
              <h2>Chưa có số liệu ({missing.length} xã)</h2>
              <ul>
                {missing.map((r) => (
                  <li key={r.unit.code}>
                    <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h2>Xếp hạng các xã</h2>
          <ol class="bars">
            {rows.map((r) => (
              <li key={r.unit.code} class={r.value === null ? "bar-row missing" : "bar-row"} data-unit={r.unit.code}>
                <Link to={{ view: "commune", commune: r.unit.code }} class="bar-name">
                  {r.unit.name}
                </Link>
                <svg class="bar" aria-hidden="true" focusable="false">
                  {r.value !== null && max > 0 && (
                    <rect
                      class={r.approximate ? "approx" : undefined}
                      x="0"
                      y="2"
                      height="14"
                      width={`${(100 * r.value) / max}%`}
                    />
                  )}
                </svg>
                <span class="bar-value">
                  {r.value === null ? "Chưa báo cáo" : formatFigure(r.value, kind, r.approximate)}
                </span>
              </li>
            ))}
          </ol>
          <h2>Bảng số liệu</h2>
          <div class="table-wrap">
            <table>
              <FiguresHead rows="Xã, phường, đặc khu" period={data.period} compare={data.compare} />
              <tbody>
                {rows.map((r) => (
                  <tr key={r.unit.code} class={r.value === null ? "missing" : undefined}>
                    <th scope="row">
                      <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
                    </th>
                    <td class="num">
                      {r.status === "missing" ? "Chưa báo cáo" : formatFigure(r.value, kind, r.approximate)}
                      {r.doubtful && <Doubtful />}
                    </td>
                    {data.compare && <td class="num">{formatFigure(r.previous, kind)}</td>}
                    {data.compare && <td class="num wide-only">{likeForLike({ ...r, kind }) ?? "—"}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
