import type { ComponentChild } from "preact";
import { type IndicatorKind, readerLabel } from "../../../domain/indicators";
import { formatFigure, formatFlag, formatIndicator } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { isCommuneKind } from "../../../domain/units";
import { type BreakdownRow, fetchBreakdown, fetchIssues, fetchSummary, type Issue, type Scope } from "../api";
import { route, useLoad } from "../state";
import { Doubtful, FiguresHead, Link, lazyView, likeForLike, NO_FIGURE, Status } from "./common";
import { IndicatorFigure } from "./IndicatorFigure";
import { IssueList } from "./IssueList";
import { TrendChart } from "./TrendChart";

const CommuneMap = lazyView(() => import("./CommuneMap").then((m) => m.CommuneMap));

/** The list of communes whose figure was rejected; each commune's entry is `#${ERRORS}-<code>`. */
const ERRORS = "xa-co-so-lieu-loi";

const byName = (a: BreakdownRow, b: BreakdownRow) => a.unit.name.localeCompare(b.unit.name, "vi");
const rank = (r: BreakdownRow) => (r.value !== null ? 0 : r.status === "error" ? 1 : 2);

/** Communes with a figure from the largest down, then those whose figure was rejected, then those that sent nothing. */
function sortRows(rows: BreakdownRow[]): BreakdownRow[] {
  return [...rows].sort((a, b) => rank(a) - rank(b) || (b.value ?? 0) - (a.value ?? 0) || byName(a, b));
}

/** Why a row has no figure; a rejected one links to its cells in the list of communes to fix. */
function noFigure(row: BreakdownRow): ComponentChild {
  return row.status === "error" ? (
    <a href={`#${ERRORS}-${row.unit.code}`} class="needs-fixing">
      {NO_FIGURE.error}
    </a>
  ) : (
    NO_FIGURE.missing
  );
}

/** A commune's yes/no answer against the comparison period. */
function flagChange(r: BreakdownRow): string {
  if (r.value === null || r.previous === null) return "—";
  if (r.value === r.previous) return "Không đổi";
  return r.value > r.previous ? "Mới đạt" : "Không còn đạt";
}

/** The communes whose every cell of the indicator was rejected, each with the cell to fix and what was typed. */
function RejectedCommunes({ rows, issues, indicator }: { rows: BreakdownRow[]; issues: Issue[]; indicator: string }) {
  return (
    <section id={ERRORS} class="error-list" aria-labelledby={`${ERRORS}-title`}>
      <h2 id={`${ERRORS}-title`}>
        {NO_FIGURE.error} ({rows.length} xã)
      </h2>
      <p class="muted">Xã đã nhập nhưng số liệu không được nhận vì nhập sai: sửa đúng ô trong bảng tính của xã.</p>
      <ul>
        {rows.map((r) => {
          const own = issues.filter(
            (i) => i.unitCode === r.unit.code && i.indicator === indicator && i.severity === "error",
          );
          return (
            <li key={r.unit.code} id={`${ERRORS}-${r.unit.code}`} data-unit={r.unit.code}>
              <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
              {own.length > 0 && <IssueList issues={own} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A yes/no indicator: which communes have not yet met the standard, and (one tap away) which have. */
function FlagLists({ rows }: { rows: BreakdownRow[] }) {
  const names = (list: BreakdownRow[]) => (
    <ul class="name-list">
      {list.map((r) => (
        <li key={r.unit.code}>
          <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
        </li>
      ))}
    </ul>
  );
  const no = rows.filter((r) => r.value !== null && r.value <= 0).sort(byName);
  const yes = rows.filter((r) => r.value !== null && r.value > 0).sort(byName);
  return (
    <>
      <section class="flag-list no" aria-labelledby="flag-no">
        <h2 id="flag-no">Chưa đạt ({no.length} xã)</h2>
        {no.length ? names(no) : <p>Không có xã nào chưa đạt.</p>}
      </section>
      {yes.length > 0 && (
        <details class="flag-list yes">
          <summary>
            <h2>Đạt ({yes.length} xã)</h2>
          </summary>
          {names(yes)}
        </details>
      )}
    </>
  );
}

/** Communes ranked as bars; those without a figure stay in the ranking, said as what they are, never as 0. */
function Ranking({ rows, kind }: { rows: BreakdownRow[]; kind: IndicatorKind }) {
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  return (
    <>
      <h2>Xếp hạng các xã</h2>
      <ol class="bars">
        {rows.map((r) => (
          <li
            key={r.unit.code}
            class={r.value === null ? `bar-row ${r.status === "error" ? "rejected" : "missing"}` : "bar-row"}
            data-unit={r.unit.code}
          >
            <Link to={{ view: "commune", commune: r.unit.code }} class="bar-name">
              {r.unit.name}
            </Link>
            {r.value === null ? (
              <span class="bar-value bar-status">{noFigure(r)}</span>
            ) : (
              <>
                <svg class="bar" aria-hidden="true" focusable="false">
                  {max > 0 && (
                    <rect
                      class={r.approximate ? "approx" : undefined}
                      x="0"
                      y="2"
                      height="14"
                      width={`${(100 * r.value) / max}%`}
                    />
                  )}
                </svg>
                <span class="bar-value">{formatFigure(r.value, kind, r.approximate)}</span>
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/**
 * One indicator across the communes: the unit's figure and its change first, the map, the communes to fix and those
 * that sent nothing, then the ranking (for a yes/no indicator, who has and has not met the standard) and a table.
 */
export function IndicatorView({ scope }: { scope: Scope }) {
  const indicator = route.value.indicator;
  const key = JSON.stringify([scope, indicator]);
  const state = useLoad(indicator ? () => fetchBreakdown(scope, indicator) : null, key);
  const summary = useLoad(indicator ? () => fetchSummary(scope) : null, JSON.stringify(scope));
  const rejectedRows = state.data?.rows.filter((r) => r.status === "error") ?? [];
  // The cells to fix are asked for only when some commune's figure was rejected.
  const issues = useLoad(
    rejectedRows.length ? () => fetchIssues(scope.unit, scope.period) : null,
    `${scope.unit}|${scope.period}|${rejectedRows.length > 0}`,
  );
  if (!indicator)
    return (
      <p>
        Chưa chọn chỉ tiêu. <Link to={{ view: "overview" }}>Về trang tổng quan</Link> và chọn một chỉ tiêu.
      </p>
    );
  const data = state.data;
  const rows = data ? sortRows(data.rows) : [];
  const missing = rows.filter((r) => r.value === null && r.status !== "error").sort(byName);
  const kind = data?.indicator.kind ?? "count";
  // A yes/no indicator whose rows are single communes reads as Đạt / Chưa đạt; over larger units, as counts.
  const yesNo = kind === "flag" && rows.every((r) => r.reporting <= 1);
  // A yes/no table is looked up by name; a figure's table follows the ranking.
  const tableRows = yesNo ? [...rows].sort(byName) : rows;
  const figure = summary.data?.indicators.find((i) => i.code === indicator);
  const national = data?.unit.kind === "country";
  const mapped = data !== null && !isCommuneKind(data.unit.kind) && !national;
  return (
    <section aria-labelledby="indicator-title" class="indicator-page">
      <p class="crumbs">
        <Link to={{ view: "overview", indicator: null }}>← Tổng quan</Link>
      </p>
      <h1 id="indicator-title">
        {data ? readerLabel(data.indicator.label) : "Chỉ tiêu"} — {periodLabel(scope.period)}
      </h1>
      <Status state={state} what="số liệu theo xã" />
      {data && (
        <>
          <p class="meta">
            {data.unit.name}
            {kind !== "ratio" && kind !== "flag" && data.indicator.unit ? ` · đơn vị: ${data.indicator.unit}` : ""}
          </p>
          <div class={mapped ? "indicator-top" : "indicator-top no-map"}>
            <div class="indicator-top-figure">
              {summary.data && figure ? (
                <IndicatorFigure
                  summary={summary.data}
                  figure={figure}
                  rejected={rows.reduce((n, r) => n + r.rejected, 0)}
                  oneCommune={isCommuneKind(data.unit.kind)}
                  errorsAnchor={ERRORS}
                />
              ) : (
                <Status state={summary} what={`số liệu của ${data.unit.name}`} />
              )}
            </div>
            {mapped && (
              <div class="indicator-top-map">
                <CommuneMap unit={data.unit.code} rows={data.rows} kind={kind} label={data.indicator.label} />
              </div>
            )}
            <div class="indicator-top-lists">
              {rejectedRows.length > 0 && (
                <RejectedCommunes rows={rejectedRows} issues={issues.data?.issues ?? []} indicator={indicator} />
              )}
              {missing.length > 0 && (
                <div class="missing-list" role="note">
                  <h2>
                    {NO_FIGURE.missing} ({missing.length} xã)
                  </h2>
                  <ul>
                    {missing.map((r) => (
                      <li key={r.unit.code}>
                        <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          </div>
          <TrendChart
            unit={scope.unit}
            indicator={indicator}
            period={scope.period}
            kind={kind}
            label={readerLabel(data.indicator.label)}
          />
          {yesNo ? <FlagLists rows={rows} /> : <Ranking rows={rows} kind={kind} />}
          <h2>Bảng số liệu</h2>
          <div class="table-wrap">
            <table class="indicator-table">
              <FiguresHead
                rows={national ? "Tỉnh, thành phố" : "Xã, phường, đặc khu"}
                period={data.period}
                compare={data.compare}
              />
              <tbody>
                {tableRows.map((r) => (
                  <tr
                    key={r.unit.code}
                    data-unit={r.unit.code}
                    class={r.value === null ? (r.status === "error" ? "rejected" : "missing") : undefined}
                  >
                    <th scope="row">
                      <Link to={{ view: "commune", commune: r.unit.code }}>{r.unit.name}</Link>
                    </th>
                    <td class="num">
                      {r.value === null ? noFigure(r) : formatIndicator({ ...r, kind }, yesNo)}
                      {r.doubtful && <Doubtful />}
                      {r.value !== null && r.rejected > 0 && (
                        <span class="tag needs-fixing">{r.rejected} xã có số liệu lỗi</span>
                      )}
                    </td>
                    {data.compare && (
                      <td class="num">{yesNo ? formatFlag(r.previous, 1, true) : formatFigure(r.previous, kind)}</td>
                    )}
                    {data.compare && (
                      <td class="num wide-only">{yesNo ? flagChange(r) : (likeForLike({ ...r, kind }) ?? "—")}</td>
                    )}
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
