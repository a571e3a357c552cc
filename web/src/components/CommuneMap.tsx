/**
 * A choropleth of the communes (PRODUCT.md §10): one `<path>` per commune, coloured by its figure in ranges named by
 * the legend (“20–27”), a yes/no indicator in two colours (đạt / chưa đạt), a commune whose cells were rejected
 * hatched apart from one that sent nothing; a tap opens the commune. Its own chunk: d3-geo and topojson-client load
 * only with a map.
 */

import { geoMercator, geoPath } from "d3-geo";
import type { FeatureCollection } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { type IndicatorKind, readerLabel } from "../../../domain/indicators";
import { formatIndicator, formatNumber } from "../../../domain/numbers";
import { fetchBoundaries } from "../api";
import { hrefOf, navigate, route, useLoad } from "../state";
import { NO_FIGURE } from "./common";

const WIDTH = 640;
const HEIGHT = 480;
/** Five steps of the movement's red, light to dark. */
const STEPS = ["#fde0dc", "#f9a99b", "#f0614d", "#c9302c", "#8e1b17"];
/** A yes/no indicator: meeting the standard dark, not yet light (the ends of the same scale). */
const FLAG_COLOURS = { yes: "#c9302c", no: "#fde0dc" };
/** The stripes of a commune whose figure was rejected: it reported, and its sheet needs fixing. */
const HATCH = "commune-map-error";

export type MapRow = {
  unit: { code: string; name: string };
  value: number | null;
  approximate: boolean;
  status: "reported" | "error" | "unaccepted" | "missing";
};

type Band = { colour: string; low: number; high: number };

/**
 * The legend's ranges: the communes' values cut at their quantiles into at most five bands, each named by the lowest
 * and highest value it holds, so every range exists on the map, none overlaps, and equal values share a colour.
 */
function bandsOf(values: number[]): Band[] {
  const sorted = [...values].sort((a, b) => a - b);
  // Few distinct values (0 to 3 guns) get a band each; more are cut at quantiles.
  const distinct = new Set(sorted).size;
  const n = distinct <= STEPS.length ? sorted.length : STEPS.length;
  const groups: number[][] = [];
  let quantile = -1;
  for (const [k, v] of sorted.entries()) {
    const group = groups[groups.length - 1];
    const q = Math.floor((k * n) / sorted.length);
    if (group && (group[group.length - 1] === v || q === quantile)) group.push(v);
    else {
      groups.push([v]);
      quantile = q;
    }
  }
  const last = STEPS.length - 1;
  return groups.map((g, i) => ({
    colour: STEPS[groups.length === 1 ? last : Math.round((i * last) / (groups.length - 1))] ?? "",
    low: g[0] ?? 0,
    high: g[g.length - 1] ?? 0,
  }));
}

type Legend = { key: string; label: string; fill: string; className?: string };

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
  const flag = kind === "flag";
  // Banded as shown (a ratio to 0.1, an amount to 0.01): two bands never meet at one printed number.
  const shown = (v: number) => (kind === "ratio" ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100);
  const bands = flag ? [] : bandsOf(rows.flatMap((r) => (r.value === null ? [] : [shown(r.value)])));
  const fillOf = (row: MapRow | undefined): string | undefined => {
    if (!row || row.value === null) return row?.status === "error" ? `url(#${HATCH})` : undefined;
    if (flag) return row.value > 0 ? FLAG_COLOURS.yes : FLAG_COLOURS.no;
    const v = shown(row.value);
    return bands.find((b) => v <= b.high)?.colour;
  };
  const range = (b: Band) =>
    b.low === b.high ? formatNumber(b.low, kind) : `${formatNumber(b.low, kind)}–${formatNumber(b.high, kind)}`;
  const has = (status: MapRow["status"]) => rows.some((r) => r.status === status);
  const legend: Legend[] = [
    ...(flag
      ? [
          { key: "yes", label: "Đạt", fill: FLAG_COLOURS.yes },
          { key: "no", label: "Chưa đạt", fill: FLAG_COLOURS.no },
        ]
      : bands.map((b) => ({ key: b.colour, label: range(b), fill: b.colour }))),
    ...(has("error") ? [{ key: "error", label: NO_FIGURE.error, fill: `url(#${HATCH})` }] : []),
    ...(has("missing") ? [{ key: "missing", label: NO_FIGURE.missing, fill: "", className: "silent" }] : []),
  ];
  const subject = readerLabel(label);
  const lower = subject.charAt(0).toLowerCase() + subject.slice(1);
  return (
    <figure class="commune-map">
      <figcaption>Bản đồ theo xã: {lower}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Bản đồ ${lower} theo xã`}>
        <defs>
          <pattern id={HATCH} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" fill="#fff1c2" />
            <rect width="4" height="8" fill="#9a6700" />
          </pattern>
        </defs>
        {communes.features.map((f) => {
          const code = String(f.id);
          const row = byCode.get(code);
          const name = row?.unit.name ?? `Đơn vị ${code}`;
          const shown =
            row && row.value !== null
              ? formatIndicator({ ...row, kind, reporting: 1 }, true)
              : NO_FIGURE[row?.status === "error" ? "error" : "missing"];
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
                class={row && row.value !== null ? "reported" : row?.status === "error" ? "rejected" : "silent"}
                fill={fillOf(row)}
              >
                <title>{`${name}: ${shown}`}</title>
              </path>
            </a>
          );
        })}
      </svg>
      <ul class="map-legend">
        {legend.map((l) => (
          <li key={l.key} data-legend={l.key}>
            <svg viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" fill={l.fill || undefined} class={l.className} />
            </svg>
            {l.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
