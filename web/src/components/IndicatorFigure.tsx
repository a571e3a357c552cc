import { formatIndicator } from "../../../domain/numbers";
import { formatDateTime } from "../../../domain/time";
import type { Summary, SummaryIndicator } from "../api";
import { Doubtful, NO_FIGURE } from "./common";
import { FigureComparison } from "./Overview";

/**
 * What the indicator page opens with: the unit's figure as the summary gives it (a yes/no indicator as
 * “121/144 xã đạt”), its comparison said as the overview says it, and the communes it stands on — those with a
 * figure, those whose figure was rejected (a link to their cells below), those that sent nothing.
 */
export function IndicatorFigure({
  summary,
  figure,
  rejected,
  oneCommune,
  errorsAnchor,
}: {
  summary: Summary;
  figure: SummaryIndicator;
  /** Communes whose cells of this indicator were all rejected. */
  rejected: number;
  oneCommune: boolean;
  errorsAnchor: string;
}) {
  const { value, kind, unit, reporting } = figure;
  const expected = summary.coverage.expected;
  const missing = Math.max(expected - reporting - rejected, 0);
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  return (
    <div class={value === null ? "indicator-figure missing" : "indicator-figure"} data-indicator={figure.code}>
      <p class="indicator-figure-value">
        <strong>{formatIndicator(figure, oneCommune)}</strong>
        {value !== null && kind !== "ratio" && kind !== "flag" && unit && <span class="unit"> {unit}</span>}
      </p>
      {figure.approximate && value !== null && <span class="tag approx">Có số ước tính</span>}
      {figure.doubtful && value !== null && <Doubtful />}
      {summary.compare && (
        <p class="indicator-figure-compare">
          <FigureComparison figure={figure} compare={summary.compare} oneCommune={oneCommune} />
        </p>
      )}
      {!oneCommune && (
        <p class="indicator-figure-cover">
          <span>
            {reporting}/{expected} xã có số liệu
          </span>
          {rejected > 0 && (
            <>
              {" · "}
              <a href={`#${errorsAnchor}`} class="needs-fixing">
                {rejected} xã {lower(NO_FIGURE.error)}
              </a>
            </>
          )}
          {missing > 0 && (
            <span>
              {" · "}
              {missing} xã {lower(NO_FIGURE.missing)}
            </span>
          )}
        </p>
      )}
      <p class="as-of">
        {summary.asOf
          ? `${summary.frozen ? "Số liệu chốt lúc" : "Cập nhật lúc"} ${formatDateTime(summary.asOf)}`
          : "Chưa đồng bộ lần nào"}
      </p>
    </div>
  );
}
