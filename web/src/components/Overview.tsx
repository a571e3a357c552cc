import { useState } from "preact/hooks";
import { GROUP_TITLES } from "../../../domain/indicators";
import { formatChange, formatFigure } from "../../../domain/numbers";
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
import { useLoad } from "../state";
import { Comparison, Doubtful, Link, lazyView, Status } from "./common";

const CommuneMap = lazyView(() => import("./CommuneMap").then((m) => m.CommuneMap));

/** The communes' map of the first headline figure, for a province (its own chunk, with the boundaries it needs). */
function HeadlineMap({ scope, indicator }: { scope: Scope; indicator: SummaryIndicator }) {
  const rows = useLoad(() => fetchBreakdown(scope, indicator.code), `${JSON.stringify(scope)}|${indicator.code}`);
  if (!rows.data) return null;
  return <CommuneMap unit={scope.unit} rows={rows.data.rows} kind={indicator.kind} label={indicator.label} />;
}

function Figure({
  indicator,
  compare,
  drill,
  reported,
}: {
  indicator: SummaryIndicator;
  compare: string | null;
  drill: boolean;
  reported: number;
}) {
  const { value, approximate, kind, unit, label, reporting } = indicator;
  const title = drill ? <Link to={{ view: "indicator", indicator: indicator.code }}>{label}</Link> : label;
  return (
    <li class={value === null ? "figure missing" : "figure"} data-indicator={indicator.code}>
      <span class="figure-label">{title}</span>
      <strong class="figure-value">{formatFigure(value, kind, approximate)}</strong>
      {value !== null && kind !== "ratio" && (
        <span class="figure-unit">{kind === "flag" ? `${unit} (trên ${reporting} xã có số liệu)` : unit}</span>
      )}
      {value !== null && kind !== "flag" && reporting < reported && (
        <span class="figure-cover">
          Mới có số liệu của {reporting}/{reported} xã
        </span>
      )}
      {approximate && value !== null && <span class="tag approx">Có số ước tính</span>}
      {indicator.doubtful && value !== null && <Doubtful />}
      {compare && <Comparison figure={indicator} compare={compare} />}
    </li>
  );
}

/** Coverage and freshness: “132/148 xã đã báo cáo · Cập nhật lúc 07:30 23/11/2026” (for one commune, its own status). */
export function SummaryMeta({ summary }: { summary: Summary }) {
  const { coverage } = summary;
  const parts = isCommuneKind(summary.unit.kind)
    ? [
        coverage.reported ? "Đã báo cáo" : "Chưa báo cáo",
        ...(coverage.reported
          ? [coverage.complete ? "đủ các chỉ tiêu bắt buộc" : "chưa đủ các chỉ tiêu bắt buộc"]
          : []),
        ...(coverage.late ? ["báo cáo sau hạn"] : []),
        ...(coverage.timelinessUnknown ? ["chưa xác định được đúng hạn"] : []),
      ]
    : [
        `${coverage.complete} xã đủ chỉ tiêu bắt buộc`,
        ...(coverage.late ? [`${coverage.late} xã báo cáo sau hạn`] : []),
        // Sheets registered after the deadline: when those communes reported cannot be known, so it is not guessed.
        ...(coverage.timelinessUnknown ? [`${coverage.timelinessUnknown} xã chưa xác định được đúng hạn`] : []),
      ];
  return (
    <p class="meta">
      {!isCommuneKind(summary.unit.kind) && (
        <>
          <span class="coverage">
            {coverage.reported}/{coverage.expected} xã đã báo cáo
          </span>
          {" · "}
        </>
      )}
      {parts.join(" · ")}
      {" · "}
      <span class="as-of">
        {summary.asOf
          ? `${summary.frozen ? "Số liệu chốt lúc" : "Cập nhật lúc"} ${formatDateTime(summary.asOf)}`
          : "Chưa đồng bộ lần nào"}
      </span>
    </p>
  );
}

/** Coverage as a picture: complete, reported but incomplete, not reported; the silent communes one tap away. */
function CoverageBar({ summary, scope }: { summary: Summary; scope: Scope }) {
  const { expected, reported, complete } = summary.coverage;
  const [open, setOpen] = useState(false);
  const silent = useLoad(open ? () => fetchSilent(scope) : null, `${JSON.stringify(scope)}|${open}`);
  if (!expected) return null;
  const parts = [
    { key: "complete", n: complete, label: "đủ chỉ tiêu bắt buộc" },
    { key: "partial", n: reported - complete, label: "đã báo cáo, chưa đủ" },
    { key: "silent", n: expected - reported, label: "chưa báo cáo" },
  ];
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
      {expected > reported && (
        <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>Xem {expected - reported} xã chưa báo cáo</summary>
          <Status state={silent} what="danh sách xã chưa báo cáo" />
          {silent.data && (
            <ul class="silent-list">
              {silent.data.communes.map((c) => (
                <li key={c.code}>
                  <Link to={{ view: "commune", commune: c.code }}>{c.name}</Link>
                  {c.parentName && scope.unit === "VN" ? ` (${c.parentName})` : ""}
                </li>
              ))}
            </ul>
          )}
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
}: {
  indicator: SummaryIndicator;
  compare: string | null;
  reported: number;
}) {
  const { value, kind, reporting, comparable: c } = indicator;
  const change = c ? formatChange(c.value, c.previous, kind) : null;
  const notes = [
    ...(value !== null && kind !== "flag" && reporting < reported ? [`${reporting}/${reported} xã có số liệu`] : []),
    ...(compare && c && change
      ? [
          `${change} so với ${periodLabel(compare).toLowerCase()}${c.communes < reporting ? ` (cùng ${c.communes} xã)` : ""}`,
        ]
      : []),
    ...(compare && value !== null && indicator.previous !== null && !c ? ["chưa so sánh được với kỳ trước"] : []),
  ];
  return (
    <li class={value === null ? "figure missing" : "figure"} data-indicator={indicator.code}>
      <span class="figure-label">
        <Link to={{ view: "indicator", indicator: indicator.code }}>{indicator.label}</Link>
      </span>
      <strong class="figure-value">{formatFigure(value, kind, indicator.approximate)}</strong>
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
  const figure = (i: SummaryIndicator) =>
    summary && (
      <Figure
        key={i.code}
        indicator={i}
        compare={summary.compare}
        drill={!isCommune}
        reported={summary.coverage.reported}
      />
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
          {!isCommune && <CoverageBar summary={summary} scope={scope} />}
          {summary.indicators.length === 0 && <p>Chưa có chỉ tiêu nào trong danh mục.</p>}
          {headlines.length > 0 && (
            <section class="headlines" aria-label="Số liệu chính">
              <ul class="figures">
                {headlines.map((i) =>
                  isCommune ? (
                    figure(i)
                  ) : (
                    <Headline
                      key={i.code}
                      indicator={i}
                      compare={summary.compare}
                      reported={summary.coverage.reported}
                    />
                  ),
                )}
              </ul>
            </section>
          )}
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
              <ul class="figures">{g.items.map(figure)}</ul>
            </details>
          ))}
        </>
      )}
    </section>
  );
}
