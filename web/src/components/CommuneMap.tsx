/**
 * A choropleth of the communes (PRODUCT.md §10): one `<path>` per commune, coloured by its figure, a distinct colour
 * for the communes that have not reported, a vi-VN legend; a tap opens the commune. Its own chunk: d3-geo and
 * topojson-client load only with a map.
 */

import { geoMercator, geoPath } from "d3-geo";
import type { FeatureCollection } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { IndicatorKind } from "../../../domain/indicators";
import { formatFigure, formatNumber } from "../../../domain/numbers";
import { fetchBoundaries } from "../api";
import { hrefOf, navigate, route, useLoad } from "../state";

const WIDTH = 640;
const HEIGHT = 480;
/** Five steps of the movement's red, light to dark. */
const STEPS = ["#fde0dc", "#f9a99b", "#f0614d", "#c9302c", "#8e1b17"];

export type MapRow = { unit: { code: string; name: string }; value: number | null; approximate: boolean };

export function CommuneMap({
  unit,
  rows,
  kind,
  label,
}: {
  unit: string;
  rows: MapRow[];
  kind: IndicatorKind;
  label: string;
}) {
  const state = useLoad(() => fetchBoundaries(unit), `map|${unit}`);
  const topology = state.data?.topology as Topology | null | undefined;
  if (!topology?.objects?.communes) return null;
  const communes = feature(topology, topology.objects.communes as GeometryCollection) as unknown as FeatureCollection;
  const path = geoPath(geoMercator().fitSize([WIDTH, HEIGHT], communes));
  const byCode = new Map(rows.map((r) => [r.unit.code, r]));
  const values = rows.map((r) => r.value).filter((v): v is number => v !== null);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const step = (v: number) =>
    high > low ? Math.min(STEPS.length - 1, Math.floor(((v - low) / (high - low)) * STEPS.length)) : STEPS.length - 1;
  // Counts step by whole numbers; amounts and ratios keep their decimals.
  const whole = kind === "count" || kind === "flag";
  const legend = STEPS.map((colour, i) => {
    const b = low + ((high - low) * i) / STEPS.length;
    return { colour, from: whole ? Math.ceil(b) : b };
  });
  return (
    <figure class="commune-map">
      <figcaption>Bản đồ theo xã: {label.charAt(0).toLowerCase() + label.slice(1)}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Bản đồ ${label.charAt(0).toLowerCase()}${label.slice(1)} theo xã`}
      >
        {communes.features.map((f) => {
          const code = String(f.id);
          const row = byCode.get(code);
          const name = row?.unit.name ?? `Đơn vị ${code}`;
          const shown = row && row.value !== null ? formatFigure(row.value, kind, row.approximate) : "Chưa báo cáo";
          const to = { ...route.value, view: "commune" as const, commune: code };
          return (
            <a
              key={code}
              href={hrefOf(to)}
              onClick={(e) => {
                e.preventDefault();
                navigate(to);
              }}
            >
              <path
                d={path(f) ?? ""}
                data-unit={code}
                class={row && row.value !== null ? "reported" : "silent"}
                fill={row && row.value !== null ? STEPS[step(row.value)] : undefined}
              >
                <title>{`${name}: ${shown}`}</title>
              </path>
            </a>
          );
        })}
      </svg>
      <ul class="map-legend">
        {values.length > 0 &&
          legend.map(({ colour, from }, i) => (
            <li key={colour}>
              <svg viewBox="0 0 10 10" aria-hidden="true">
                <rect width="10" height="10" fill={colour} />
              </svg>
              {formatNumber(from, kind)}
              {i === STEPS.length - 1 ? ` – ${formatNumber(high, kind)}` : ""}
            </li>
          ))}
        <li>
          <svg viewBox="0 0 10 10" aria-hidden="true">
            <rect width="10" height="10" class="silent" />
          </svg>
          Chưa báo cáo
        </li>
      </ul>
    </figure>
  );
}
