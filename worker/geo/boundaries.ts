/**
 * Commune boundaries for the map (PRODUCT.md §10): an administrator's GeoJSON or TopoJSON, whose features carry the
 * unit code, turned once — at upload — into one small TopoJSON per province: shared borders stored once, quantized
 * and simplified until it weighs at most `MAX_GZIP_BYTES` compressed.
 */
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { feature, quantize } from "topojson-client";
import { topology } from "topojson-server";
import { presimplify, quantile, simplify } from "topojson-simplify";
import type { Objects, Topology } from "topojson-specification";

/** What a phone downloads for a province's map. */
export const MAX_GZIP_BYTES = 100 * 1024;
const QUANTIZATION = 1e4;
/** Shares of the least significant points dropped, tried in turn until the province fits its budget. */
const SIMPLIFY_STEPS = [0, 0.5, 0.75, 0.9, 0.95, 0.98, 0.99];

/** The property names under which the open datasets keep a commune's code. */
const CODE_KEYS = ["code", "unit_code", "ma", "ma_xa", "maXa", "ward_code", "commune_code", "ma_dvhc"];

export class BoundaryError extends Error {}

/** Every feature of a GeoJSON (FeatureCollection or Feature) or of every object of a TopoJSON. */
export function featuresOf(input: unknown): Feature[] {
  const doc = input as { type?: string };
  if (doc?.type === "Topology") {
    const topo = input as Topology;
    return Object.values(topo.objects).flatMap((object) => {
      const out = feature(topo, object) as Feature | FeatureCollection;
      return out.type === "FeatureCollection" ? out.features : [out];
    });
  }
  if (doc?.type === "FeatureCollection") return (input as FeatureCollection).features ?? [];
  if (doc?.type === "Feature") return [input as Feature];
  throw new BoundaryError("Tệp không phải GeoJSON (FeatureCollection) hay TopoJSON (Topology)");
}

/** The commune code a feature names (5 digits, as in the official list), or null. */
export function unitCodeOf(f: Feature): string | null {
  const props = (f.properties ?? {}) as Record<string, unknown>;
  for (const value of [...CODE_KEYS.map((k) => props[k]), f.id]) {
    const code = value === undefined || value === null ? "" : String(value).trim();
    if (/^\d{5}$/.test(code)) return code;
    if (/^\d{1,4}$/.test(code)) return code.padStart(5, "0");
  }
  return null;
}

/** One province's communes as a TopoJSON whose `communes` object has one geometry per commune, `id` its code. */
export async function provinceTopology(
  communes: { code: string; geometry: Geometry }[],
): Promise<{ topology: Topology; gzipBytes: number }> {
  const collection: FeatureCollection = {
    type: "FeatureCollection",
    features: communes.map(({ code, geometry }) => ({
      type: "Feature",
      id: code,
      properties: {},
      geometry: rewound(geometry),
    })),
  };
  const base = presimplify(topology({ communes: collection }, QUANTIZATION) as unknown as Topology<Objects>);
  let best: { topology: Topology; gzipBytes: number } | null = null;
  for (const share of SIMPLIFY_STEPS) {
    const simplified = share === 0 ? base : simplify(base, quantile(base, share));
    // presimplify decodes the quantized arcs: quantize again for a small, delta-encoded topology.
    const lean = quantize(withoutWeights(simplified), QUANTIZATION);
    const gzipBytes = await gzipSize(JSON.stringify(lean));
    best = { topology: lean as Topology, gzipBytes };
    if (gzipBytes <= MAX_GZIP_BYTES) return best;
  }
  if (!best) throw new Error("SIMPLIFY_STEPS is empty");
  return best;
}

/**
 * Rings wound as d3-geo reads a sphere: an outer ring clockwise, a hole counter-clockwise. Files follow either
 * convention (RFC 7946 asks for the opposite), and a ring wound the other way would be drawn as the rest of the world.
 */
function rewound(geometry: Geometry): Geometry {
  const ring = (points: number[][], outer: boolean) => {
    let area = 0;
    let [px = Number.NaN, py = Number.NaN] = points[points.length - 1] ?? [];
    for (const [x = Number.NaN, y = Number.NaN] of points) {
      area += (x - px) * (y + py);
      px = x;
      py = y;
    }
    // `area` > 0 is clockwise with longitude to the right and latitude up.
    return area > 0 === outer ? points : [...points].reverse();
  };
  const polygon = (rings: number[][][]) => rings.map((r, i) => ring(r, i === 0));
  if (geometry.type === "Polygon") return { ...geometry, coordinates: polygon(geometry.coordinates) };
  if (geometry.type === "MultiPolygon") return { ...geometry, coordinates: geometry.coordinates.map(polygon) };
  return geometry;
}

/** presimplify adds a weight as each point's third coordinate; the map needs only x and y. */
function withoutWeights<T extends Topology<Objects>>(t: T): T {
  return { ...t, arcs: t.arcs.map((arc) => arc.map((point) => point.slice(0, 2))) };
}

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}
