import type { Summary, SummaryIndicator } from "../api";
import { formatDateTime, formatNumber } from "../format";

function Figure({ indicator }: { indicator: SummaryIndicator }) {
  const { value, approximate, kind, unit, label } = indicator;
  return (
    <li class="figure" data-indicator={indicator.code}>
      <span class="figure-label">{label}</span>
      <strong class="figure-value">
        {value === null ? "Chưa có số liệu" : (approximate ? "khoảng " : "") + formatNumber(value, kind)}
      </strong>
      {value !== null && kind !== "ratio" && <span class="figure-unit">{unit}</span>}
    </li>
  );
}

export function Overview({ summary }: { summary: Summary }) {
  const { coverage } = summary;
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">
        {summary.unit.name} — năm {summary.period}
      </h2>
      <p class="meta">
        <span>
          {coverage.reported}/{coverage.expected} xã đã báo cáo
        </span>
        {" · "}
        <span class="as-of">{summary.asOf ? `Cập nhật lúc ${formatDateTime(summary.asOf)}` : "Chưa đồng bộ lần nào"}</span>
      </p>
      <ul class="figures">
        {summary.indicators.map((i) => (
          <Figure key={i.code} indicator={i} />
        ))}
      </ul>
    </section>
  );
}
