/**
 * A figure over the years (PRODUCT.md §14): where its points lie in a box, and the tiny line of its last five years
 * beside each headline figure of the overview — no labels, the last year's point stressed, a year without a figure a
 * gap (never drawn as 0). The chart of the indicator page draws with the same `plot`.
 */
import type { IndicatorKind } from "../../../domain/indicators";
import { formatIndicator } from "../../../domain/numbers";
import { parsePeriodCode, periodLabel } from "../../../domain/periods";
import { fetchTrend, type TrendPoint } from "../api";
import { useLoad } from "../state";

/** The last year a period covers (a phase's last, a quarter's own): the trend ends there. */
export const trendYear = (period: string) => Number((parsePeriodCode(period)?.endsOn ?? period).slice(0, 4));

export type Plotted = { xs: number[]; dots: ({ x: number; y: number } | null)[]; path: string };

/**
 * Each value's place in a `width` × `height` box, evenly across inside `padX`, up and down inside `padY`, and the
 * line through them, broken at a missing value. The scale runs from the smallest value, or three quarters of the
 * largest when that is lower, to the largest: a change of a few percent is not drawn as a cliff. Equal values sit
 * halfway up.
 */
export function plot(
  values: (number | null)[],
  box: { width: number; height: number; padX: number; padY: number },
): Plotted {
  const { width, height, padX, padY } = box;
  const known = values.filter((v): v is number => v !== null);
  const top = Math.max(0, ...known);
  const bottom = Math.min(...known, top * 0.75);
  const step = values.length > 1 ? (width - 2 * padX) / (values.length - 1) : 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  const xs = values.map((_, i) => round(values.length > 1 ? padX + i * step : width / 2));
  const dots = values.map((v, i) =>
    v === null
      ? null
      : {
          x: xs[i] ?? 0,
          y: round(top > bottom ? height - padY - ((v - bottom) / (top - bottom)) * (height - 2 * padY) : height / 2),
        },
  );
  const path = dots
    .map((d, i) => (d ? `${dots[i - 1] ? "L" : "M"}${d.x} ${d.y}` : ""))
    .filter(Boolean)
    .join("");
  return { xs, dots, path };
}

/** A point with no known neighbour: no line reaches it, so it is drawn as a dot. */
export const alone = (dots: Plotted["dots"], i: number) => dots[i] !== null && !dots[i - 1] && !dots[i + 1];

/** Each year of a trend as a reader hears it: “Năm 2024: 5.400 (144 xã)”. */
export const pointWords = (p: TrendPoint, kind: IndicatorKind) =>
  `${periodLabel(p.period)}: ${formatIndicator({ ...p, kind }, false)}${p.value !== null ? ` (${p.reporting} xã)` : ""}`;

const W = 56;
const H = 14;

/** A headline figure's last five years, loaded after the figures (its box is there from the start). */
export function Sparkline({
  unit,
  indicator,
  period,
  kind,
}: {
  unit: string;
  indicator: string;
  period: string;
  kind: IndicatorKind;
}) {
  const to = trendYear(period);
  const trend = useLoad(() => fetchTrend(unit, indicator, to), `${unit}|${indicator}|${to}`);
  const points = trend.data?.points ?? [];
  const { dots, path } = plot(
    points.map((p) => p.value),
    { width: W, height: H, padX: 3, padY: 3 },
  );
  const last = dots.at(-1);
  const shown = dots.some(Boolean);
  return (
    <svg
      class="spark"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role={shown ? "img" : undefined}
      aria-label={shown ? `Qua các năm: ${points.map((p) => pointWords(p, kind)).join("; ")}` : undefined}
      aria-hidden={shown ? undefined : "true"}
      data-points={points.length ? points.map((p) => p.value ?? "").join(",") : undefined}
    >
      {path && <path d={path} />}
      {dots.map((d, i) => d && i < dots.length - 1 && alone(dots, i) && <circle key={d.x} cx={d.x} cy={d.y} r="1.5" />)}
      {last && <circle class="spark-last" cx={last.x} cy={last.y} r="3" />}
    </svg>
  );
}
