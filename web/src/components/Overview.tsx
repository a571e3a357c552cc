import type { ComponentChild } from "preact";
import { useState } from "preact/hooks";
import { GROUP_TITLES, readerLabel } from "../../../domain/indicators";
import { formatChange, formatExact, formatFlag, formatIndicator } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { formatDateTime } from "../../../domain/time";
import { isCommuneKind } from "../../../domain/units";
import {
  exportCsvUrl,
  fetchBreakdown,
  fetchSilent,
  fetchSummary,
  type Scope,
  type Summary,
  type SummaryIndicator,
} from "../api";
import { meta, useLoad } from "../state";
import { Comparison, Doubtful, Link, lazyView, NO_FIGURE, Status } from "./common";
import { Sparkline } from "./Sparkline";

const CommuneMap = lazyView(() => import("./CommuneMap").then((m) => m.CommuneMap));

/** The communes' map of the first headline figure, for a province (its own chunk, with the boundaries it needs). */
function HeadlineMap({ scope, indicator }: { scope: Scope; indicator: SummaryIndicator }) {
  const rows = useLoad(() => fetchBreakdown(scope, indicator.code), `${JSON.stringify(scope)}|${indicator.code}`);
  if (!rows.data) return null;
  return <CommuneMap unit={scope.unit} rows={rows.data.rows} kind={indicator.kind} label={indicator.label} />;
}

/**
 * The comparison of a figure: a yes/no indicator as communes meeting the standard then (“Năm 2024: 118/140 xã đạt”),
 * every other kind like for like.
 */
export function FigureComparison({
  figure,
  compare,
  oneCommune,
}: {
  figure: SummaryIndicator;
  compare: string;
  oneCommune: boolean;
}) {
  if (figure.kind !== "flag") return <Comparison figure={figure} compare={compare} />;
  return (
    <span class="figure-compare">
      {periodLabel(compare)}: {formatFlag(figure.previous, figure.previousReporting, oneCommune)}
    </span>
  );
}

function Figure({
  indicator,
  compare,
  drill,
  reported,
  spark,
}: {
  indicator: SummaryIndicator;
  compare: string | null;
  drill: boolean;
  reported: number;
  /** A headline figure's last five years. */
  spark?: ComponentChild;
}) {
  const { value, approximate, kind, unit, reporting } = indicator;
  const label = readerLabel(indicator.label);
  const title = drill ? <Link to={{ view: "indicator", indicator: indicator.code }}>{label}</Link> : label;
  return (
    <li class={value === null ? "figure missing" : "figure"} data-indicator={indicator.code}>
      <span class="figure-label">{title}</span>
      <strong class="figure-value">{formatIndicator(indicator, !drill)}</strong>
      {spark}
      {value !== null && kind !== "ratio" && kind !== "flag" && <span class="figure-unit">{unit}</span>}
      {value !== null && kind !== "flag" && reporting < reported && (
        <span class="figure-cover">
          Mới có số liệu của {reporting}/{reported} xã
        </span>
      )}
      {approximate && value !== null && <span class="tag approx">Có số ước tính</span>}
      {indicator.doubtful && value !== null && <Doubtful />}
      {compare && <FigureComparison figure={indicator} compare={compare} oneCommune={!drill} />}
    </li>
  );
}

/**
 * Whether a unit's communes reported, and freshness: “145/148 xã đã báo cáo · Cập nhật lúc 23/11/2026 07:30”; for one
 * commune its own status. How complete and how timely stand elsewhere (the coverage bar, `Timeliness`).
 */
export function SummaryMeta({ summary }: { summary: Summary }) {
  const { coverage } = summary;
  const commune = isCommuneKind(summary.unit.kind);
  return (
    <p class="meta summary-meta">
      {commune ? (
        <span class="coverage">
          {coverage.reported
            ? `Đã báo cáo · ${coverage.complete ? "đủ các chỉ tiêu bắt buộc" : "chưa đủ các chỉ tiêu bắt buộc"}`
            : coverage.rejected
              ? NO_FIGURE.error
              : NO_FIGURE.missing}
        </span>
      ) : (
        <span class="coverage">
          {coverage.reported}/{coverage.expected} xã đã báo cáo
        </span>
      )}
      {" · "}
      <span class="as-of">
        {summary.asOf
          ? `${summary.frozen ? "Số liệu chốt lúc" : "Cập nhật lúc"} ${formatDateTime(summary.asOf)}`
          : "Chưa đồng bộ lần nào"}
      </span>
    </p>
  );
}

/**
 * Figures that rest on sheets the last sync could not read, said beside them: “28 xã dùng số liệu đọc lúc
 * 05/12/2026 06:00: bảng tính lỗi”, the error a tap away on the data-quality page.
 */
export function StaleNote({ summary }: { summary: Summary }) {
  const { stale } = summary;
  if (!stale) return null;
  const read = stale.since ? `đọc lúc ${formatDateTime(stale.since)}` : "của lần đọc trước";
  const who = isCommuneKind(summary.unit.kind) ? "Đang" : `${stale.communes} xã`;
  return (
    <p class="stale">
      {who} dùng số liệu {read}: <Link to={{ view: "quality", commune: null, conference: null }}>bảng tính lỗi</Link>
    </p>
  );
}

/**
 * Timeliness where it is known, in plain words: who reported after the deadline, and for how many it cannot be
 * known because their sheet was registered only after the deadline (history imported later).
 */
export function Timeliness({ summary }: { summary: Summary }) {
  const { late, timelinessUnknown: unknown } = summary.coverage;
  const deadline = formatDateTime(summary.deadline);
  const commune = isCommuneKind(summary.unit.kind);
  const parts = [
    ...(late ? [commune ? "báo cáo sau hạn" : `${late} xã báo cáo sau hạn`] : []),
    ...(unknown
      ? [`chưa rõ ${commune ? "" : `${unknown} xã `}có báo cáo đúng hạn hay không, vì bảng tính được đăng ký sau hạn`]
      : []),
  ];
  return parts.length ? (
    <p class="timeliness">
      Hạn báo cáo {deadline}: {parts.join("; ")}.
    </p>
  ) : null;
}

/**
 * Official figures (PRODUCT.md §12): how many communes confirmed their figures and how many the province accepted,
 * with those confirmed after the deadline; an administrator is one tap from “Duyệt số liệu”.
 */
function ApprovalCoverage({ summary }: { summary: Summary }) {
  const { expected, submitted, accepted, submittedOnTime } = summary.coverage;
  const late = submitted - submittedOnTime;
  return (
    <p class="approval-coverage">
      {submitted
        ? `${formatExact(submitted)}/${formatExact(expected)} xã đã chốt số liệu, ${formatExact(accepted)} xã đã được tỉnh duyệt${late > 0 ? ` (${formatExact(late)} xã chốt sau hạn)` : ""}`
        : "Chưa xã nào chốt số liệu"}
      {meta.value?.principal.role === "admin" && (
        <>
          {" · "}
          <Link to={{ view: "admin", task: "approvals", commune: null }}>Duyệt số liệu</Link>
        </>
      )}
    </p>
  );
}

/**
 * Coverage as a picture: complete, reported but incomplete, reported with every cell rejected (their sheet needs
 * fixing), not reported at all; the communes without figures one tap away, each said as what it is.
 */
function CoverageBar({ summary, scope }: { summary: Summary; scope: Scope }) {
  const { expected, reported, complete, rejected } = summary.coverage;
  const missing = Math.max(expected - reported - rejected, 0);
  const [open, setOpen] = useState(false);
  const silent = useLoad(open ? () => fetchSilent(scope) : null, `${JSON.stringify(scope)}|${open}`);
  if (!expected) return null;
  const parts = [
    { key: "complete", n: complete, label: "đủ chỉ tiêu bắt buộc" },
    { key: "partial", n: reported - complete, label: "đã báo cáo, chưa đủ" },
    { key: "rejected", n: rejected, label: NO_FIGURE.error.toLowerCase() },
    { key: "silent", n: missing, label: NO_FIGURE.missing.toLowerCase() },
  ].filter((p) => p.n > 0);
  const lists = [
    { status: "missing", n: missing, title: NO_FIGURE.missing },
    { status: "error", n: rejected, title: `${NO_FIGURE.error} bảng tính` },
  ].filter((l) => l.n > 0);
  let x = 0;
  return (
    <div class="coverage-bar">
      <svg
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Tình hình báo cáo: ${parts.map((p) => `${p.n} xã ${p.label}`).join(", ")}`}
      >
        {parts.map((p) => {
          const width = (100 * p.n) / expected;
          const rect = <rect key={p.key} class={p.key} x={x} y="0" width={width} height="6" />;
          x += width;
          return rect;
        })}
      </svg>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <span class={`swatch ${p.key}`} aria-hidden="true" /> {p.n} {p.label}
          </li>
        ))}
      </ul>
      <ApprovalCoverage summary={summary} />
      {lists.length > 0 && (
        <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>
            Xem{" "}
            {[
              ...(missing ? [`${missing} xã chưa báo cáo`] : []),
              ...(rejected ? [`${rejected} xã có số liệu lỗi`] : []),
            ].join(" và ")}
          </summary>
          <Status state={silent} what="danh sách xã chưa có số liệu" />
          {silent.data &&
            lists.map((l) => {
              const communes = silent.data?.communes.filter((c) => c.status === l.status) ?? [];
              return (
                communes.length > 0 && (
                  <section key={l.status} class="silent-group" data-status={l.status} aria-label={l.title}>
                    <h3 class="silent-head">{l.title}</h3>
                    <ul class="silent-list">
                      {communes.map((c) => (
                        <li key={c.code}>
                          <Link to={{ view: "commune", commune: c.code }}>{c.name}</Link>
                          {c.parentName && scope.unit === "VN" ? ` (${c.parentName})` : ""}
                        </li>
                      ))}
                    </ul>
                  </section>
                )
              );
            })}
        </details>
      )}
    </div>
  );
}

/**
 * One of the speech's figures on one compact row: its value, how many communes it covers when not all that reported,
 * and its like-for-like change — so the first phone screen holds them all.
 */
function Headline({
  indicator,
  compare,
  reported,
  spark,
}: {
  indicator: SummaryIndicator;
  compare: string | null;
  reported: number;
  /** Its last five years. */
  spark: ComponentChild;
}) {
  const { value, kind, reporting, comparable: c } = indicator;
  // A flag's change is said as communes meeting the standard then, not as a percentage of a count.
  const flag = kind === "flag";
  const change = c && !flag ? formatChange(c.value, c.previous, kind) : null;
  const notes = [
    ...(value !== null && !flag && reporting < reported ? [`${reporting}/${reported} xã có số liệu`] : []),
    ...(compare && flag && indicator.previous !== null
      ? [`${periodLabel(compare)}: ${formatFlag(indicator.previous, indicator.previousReporting, false)}`]
      : []),
    ...(compare && c && change
      ? [
          `${change} so với ${periodLabel(compare).toLowerCase()}${c.communes < reporting ? ` (cùng ${c.communes} xã)` : ""}`,
        ]
      : []),
    ...(compare && !flag && value !== null && indicator.previous !== null && !c
      ? ["chưa so sánh được với kỳ trước"]
      : []),
  ];
  return (
    <li class={value === null ? "figure missing" : "figure"} data-indicator={indicator.code}>
      <span class="figure-label">
        <Link to={{ view: "indicator", indicator: indicator.code }}>{readerLabel(indicator.label)}</Link>
      </span>
      <strong class="figure-value">{formatIndicator(indicator, false)}</strong>
      {spark}
      {notes.length > 0 && <span class="figure-note">{notes.join(" · ")}</span>}
      {indicator.doubtful && value !== null && <Doubtful />}
    </li>
  );
}

/** The catalog's groups in the catalog's order, each with its Vietnamese title. */
function groupsOf(indicators: SummaryIndicator[]): { code: string; title: string; items: SummaryIndicator[] }[] {
  const groups = new Map<string, SummaryIndicator[]>();
  for (const i of indicators) groups.set(i.group, [...(groups.get(i.group) ?? []), i]);
  return [...groups].map(([code, items]) => ({ code, title: GROUP_TITLES[code] ?? code, items }));
}

export function Overview({ scope }: { scope: Scope }) {
  const key = JSON.stringify(scope);
  const state = useLoad(() => fetchSummary(scope), key);
  const summary = state.data;
  const isCommune = summary ? isCommuneKind(summary.unit.kind) : false;
  const figure = (i: SummaryIndicator, spark?: ComponentChild) =>
    summary && (
      <Figure
        key={i.code}
        indicator={i}
        compare={summary.compare}
        drill={!isCommune}
        reported={summary.coverage.reported}
        spark={spark}
      />
    );
  // Each headline figure's years come after the figures, one request each (unchanged answers are 304s).
  const spark = (i: SummaryIndicator) => (
    <Sparkline unit={scope.unit} indicator={i.code} period={scope.period} kind={i.kind} />
  );
  // The speech's figures first, in its order; the others under their group.
  const headlines = (summary?.indicators ?? [])
    .filter((i): i is SummaryIndicator & { headline: number } => i.headline !== null)
    .sort((a, b) => a.headline - b.headline);
  const rest = groupsOf((summary?.indicators ?? []).filter((i) => i.headline === null));
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">
        {summary ? summary.unit.name : "Tổng quan"} — {periodLabel(scope.period)}
      </h1>
      <Status state={state} what="số liệu tổng hợp" />
      {summary && (
        <>
          <SummaryMeta summary={summary} />
          <StaleNote summary={summary} />
          {summary.indicators.length === 0 && <p>Chưa có chỉ tiêu nào trong danh mục.</p>}
          {headlines.length > 0 && (
            <section class="headlines" aria-label="Số liệu chính">
              <ul class="figures">
                {headlines.map((i) =>
                  isCommune ? (
                    figure(i, spark(i))
                  ) : (
                    <Headline
                      key={i.code}
                      indicator={i}
                      compare={summary.compare}
                      reported={summary.coverage.reported}
                      spark={spark(i)}
                    />
                  ),
                )}
              </ul>
            </section>
          )}
          {/* Who has reported, after the figures a leader opens the page for. */}
          {!isCommune && <CoverageBar summary={summary} scope={scope} />}
          <Timeliness summary={summary} />
          <p class="actions">
            <Link to={{ view: "report" }}>Báo cáo để in</Link>
            <a href={exportCsvUrl(scope.unit, scope.period)} download>
              Tải bảng số liệu (CSV)
            </a>
          </p>
          {!isCommune && summary.unit.kind !== "country" && headlines[0] && (
            <HeadlineMap scope={scope} indicator={headlines[0]} />
          )}
          {rest.map((g) => (
            <details key={g.code} class="group" open>
              <summary>
                <h2>{g.title}</h2>
              </summary>
              <ul class="figures">{g.items.map((i) => figure(i))}</ul>
            </details>
          ))}
        </>
      )}
    </section>
  );
}
