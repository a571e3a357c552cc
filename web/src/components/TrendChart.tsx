/**
 * An indicator's years as a small chart (PRODUCT.md §14): the value above each year's point, the number of communes it
 * counts under it, a point built from quarters or months drawn hollow, a year without a figure left as a gap. The
 * picture's label reads every point to a screen reader; the same points are a table one tap away.
 */
import type { IndicatorKind } from "../../../domain/indicators";
import { formatFigure, formatIndicator } from "../../../domain/numbers";
import { fetchTrend } from "../api";
import { useLoad } from "../state";
import { Status } from "./common";
import { alone, plot, pointWords, trendYear } from "./Sparkline";

const W = 360;
const PLOT_H = 104;
const H = 146;

export function TrendChart({
  unit,
  indicator,
  period,
  kind,
  label,
}: {
  unit: string;
  indicator: string;
  period: string;
  kind: IndicatorKind;
  label: string;
}) {
  const to = trendYear(period);
  const trend = useLoad(() => fetchTrend(unit, indicator, to), `${unit}|${indicator}|${to}`);
  const points = trend.data?.points ?? [];
  const { xs, dots, path } = plot(
    points.map((p) => p.value),
    { width: W, height: PLOT_H, padX: W / points.length / 2 || 36, padY: 24 },
  );
  // A year without a figure is said at the line's height, away from the axis, so it never reads as 0.
  const drawn = dots.filter((d) => d !== null);
  const gapY = drawn.length ? drawn.reduce((sum, d) => sum + d.y, 0) / drawn.length + 4 : PLOT_H / 2;
  const anyBuilt = points.some((p) => p.value !== null && p.built);
  const years = points.length ? `${points[0]?.period}–${points.at(-1)?.period}` : "";
  return (
    <section class="trend" aria-labelledby="trend-title">
      <h2 id="trend-title">Qua các năm</h2>
      <Status state={trend} what="số liệu các năm" />
      {points.length > 0 && (
        <>
          <svg
            class="trend-chart"
            viewBox={`0 0 ${W} ${H}`}
            role="img"
            aria-label={`${label}, các năm ${years}: ${points.map((p) => pointWords(p, kind)).join("; ")}`}
          >
            <line class="trend-axis" x1="0" x2={W} y1={PLOT_H - 8} y2={PLOT_H - 8} />
            {path && <path class="trend-line" d={path} />}
            {points.map((p, i) => {
              const d = dots[i];
              const x = xs[i] ?? 0;
              return (
                <g key={p.period} class={d ? (p.built ? "trend-point built" : "trend-point") : "trend-point gap"}>
                  {d ? (
                    <>
                      <circle cx={d.x} cy={d.y} r={p.built || alone(dots, i) ? 5 : 4} />
                      <text class="trend-value" x={x} y={d.y - 10} text-anchor="middle">
                        {formatFigure(p.value, kind, p.approximate)}
                      </text>
                    </>
                  ) : (
                    <text class="trend-value" x={x} y={gapY} text-anchor="middle">
                      chưa có
                    </text>
                  )}
                  <text class="trend-year" x={x} y={PLOT_H + 12} text-anchor="middle">
                    {p.period}
                  </text>
                  <text class="trend-communes" x={x} y={PLOT_H + 30} text-anchor="middle">
                    {p.reporting} xã
                  </text>
                </g>
              );
            })}
          </svg>
          {anyBuilt && (
            <p class="trend-legend">
              <span class="trend-legend-mark" aria-hidden="true">
                ◦
              </span>{" "}
              tính từ số liệu các quý/tháng
            </p>
          )}
          {/* The same points as a table, one tap away (the picture's label reads them all to a screen reader). */}
          <details class="trend-table">
            <summary>Bảng số liệu các năm</summary>
            <table>
              <caption>
                {label}, các năm {years}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Năm</th>
                  <th scope="col">Số liệu</th>
                  <th scope="col">Số xã có số liệu</th>
                  <th scope="col">Ghi chú</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{p.period}</th>
                    <td>{formatIndicator({ ...p, kind }, false)}</td>
                    <td>{p.reporting}</td>
                    <td>{p.value !== null && p.built ? "tính từ số liệu các quý/tháng" : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
