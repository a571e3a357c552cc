import { formatFigure } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { formatDateTime } from "../../../domain/time";
import { isCommuneKind } from "../../../domain/units";
import { exportCsvUrl, fetchSummary, type Scope, type Summary, type SummaryIndicator } from "../api";
import { useLoad } from "../state";
import { Comparison, Doubtful, Link, Status } from "./common";

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
      ]
    : [
        `${coverage.complete} xã đủ chỉ tiêu bắt buộc`,
        ...(coverage.late ? [`${coverage.late} xã báo cáo sau hạn`] : []),
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

export function Overview({ scope }: { scope: Scope }) {
  const key = JSON.stringify(scope);
  const state = useLoad(() => fetchSummary(scope), key);
  const summary = state.data;
  const isCommune = summary ? isCommuneKind(summary.unit.kind) : false;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">
        {summary ? summary.unit.name : "Tổng quan"} — {periodLabel(scope.period)}
      </h1>
      <Status state={state} what="số liệu tổng hợp" />
      {summary && (
        <>
          <SummaryMeta summary={summary} />
          <p class="actions">
            <Link to={{ view: "report" }}>Báo cáo để in</Link>
            <a href={exportCsvUrl(scope.unit, scope.period)} download>
              Tải bảng số liệu (CSV)
            </a>
          </p>
          {summary.indicators.length === 0 && <p>Chưa có chỉ tiêu nào trong danh mục.</p>}
          <ul class="figures">
            {summary.indicators.map((i) => (
              <Figure
                key={i.code}
                indicator={i}
                compare={summary.compare}
                drill={!isCommune}
                reported={summary.coverage.reported}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
