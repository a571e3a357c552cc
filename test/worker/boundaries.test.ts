/** The map's boundaries: uploaded once as GeoJSON or TopoJSON, prepared per province, small enough for a phone. */
import type { Topology } from "topojson-specification";
import { assert, beforeEach, describe, expect, it } from "vitest";
import { api, client, errorOf, ok, resetDatabase, seedReference } from "./helpers";

/** A ring of `points` around (x, y): a commune's outline as the open datasets draw it, with many vertices. */
function ring(x: number, y: number, r: number, points: number): number[][] {
  const out = Array.from({ length: points }, (_, i) => {
    const a = (2 * Math.PI * i) / points;
    return [x + r * Math.cos(a) * (1 + 0.05 * Math.sin(7 * a)), y + r * Math.sin(a)];
  });
  return [...out, out[0]!];
}

const featureOf = (code: string, x: number, y: number, points = 40, key = "code") => ({
  type: "Feature",
  properties: { [key]: code, ten: `Xã ${code}` },
  geometry: { type: "Polygon", coordinates: [ring(x, y, 0.02, points)] },
});

const upload = (body: unknown) =>
  client.admin.boundaries.$post(undefined, {
    init: { headers: { "content-type": "application/geo+json" }, body: JSON.stringify(body) },
  });

/** A TopoJSON as the API serves it, once checked to be one. */
function asTopology(value: unknown): Topology {
  assert(typeof value === "object" && value !== null && "type" in value && value.type === "Topology", "a TopoJSON");
  return value as Topology;
}

/** The codes of the communes a province's TopoJSON draws: its `communes` collection, one geometry each. */
function communeCodes(topology: Topology) {
  const communes = topology.objects.communes;
  assert(communes?.type === "GeometryCollection", "a collection of communes");
  return communes.geometries.map((g) => g.id);
}

describe("commune boundaries", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
  });

  it("are stored per province from a GeoJSON, and served for the province and for each of its communes", async () => {
    const codes = ["12745", "11953", "11980", "11983"];
    const res = await upload({
      type: "FeatureCollection",
      features: [
        ...codes.map((c, i) => featureOf(c, 106 + 0.05 * i, 20.6, 40, i % 2 ? "ma_xa" : "code")),
        featureOf("99999", 107, 21),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      provinces: [{ unitCode: "33", communes: 4 }],
      unmatched: ["99999"],
      withoutCode: 0,
    });
    for (const unit of ["33", "12745"]) {
      const got = await (await client.boundaries.$get({ query: { unit } })).json();
      expect(got.unit).toBe("33");
      const topology = asTopology(got.topology);
      expect(topology.type).toBe("Topology");
      expect(topology.transform).toBeDefined();
      expect(communeCodes(topology).sort()).toEqual([...codes].sort());
    }
    expect((await (await client.boundaries.$get({ query: { unit: "VN" } })).json()).topology).toBeNull();
  });

  it("takes a TopoJSON too", async () => {
    const topo = {
      type: "Topology",
      arcs: [
        [
          [0, 0],
          [1, 0],
          [0, 1],
          [-1, 0],
          [0, -1],
        ],
      ],
      transform: { scale: [0.01, 0.01], translate: [106, 20] },
      objects: {
        xa: { type: "GeometryCollection", geometries: [{ type: "Polygon", arcs: [[0]], properties: { ma: "12103" } }] },
      },
    };
    const res = await upload(topo);
    expect(await res.json()).toMatchObject({ provinces: [{ unitCode: "33", communes: 1 }] });
  });

  it("fits a province of 148 detailed communes within 100 KB gzip", async () => {
    const codes = Array.from({ length: 148 }, (_, i) => String(70000 + i));
    const units = [
      "code,name,full_name,kind,parent_code,code_name",
      "70,Thử,Tỉnh Thử,province,,thu",
      ...codes.map((c) => `${c},Xã ${c},Xã ${c},commune,70,x${c}`),
    ];
    await seedReference(`${units.join("\n")}\n`);
    const features = codes.map((c, i) => featureOf(c, 105 + 0.04 * (i % 12), 21 + 0.04 * Math.floor(i / 12), 1500));
    const res = await upload({ type: "FeatureCollection", features });
    expect(res.status).toBe(200);
    const [province] = (await res.json()).provinces;
    expect(province).toMatchObject({ unitCode: "70", communes: 148 });
    expect(province!.gzipBytes).toBeLessThanOrEqual(100 * 1024);
    const served = await api("/api/boundaries?unit=70");
    const gz = await new Response(
      new Blob([await served.text()]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer();
    expect(gz.byteLength).toBeLessThanOrEqual(100 * 1024);
  });

  it("says in Vietnamese what is wrong with a file it cannot use, and keeps what it had", async () => {
    await upload({ type: "FeatureCollection", features: [featureOf("12745", 106, 20.6)] });
    const notJson = await api("/api/admin/boundaries", { method: "POST", body: "{ not json" });
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).message).toContain("không phải JSON hợp lệ");
    const noCodes = await upload({
      type: "FeatureCollection",
      features: [{ ...featureOf("x", 1, 1), properties: { ten: "Xã A" } }],
    });
    expect(noCodes.status).toBe(400);
    expect((await errorOf(noCodes)).message).toMatch(/Không có ranh giới nào khớp mã xã .* 1 không có mã/);
    const other = await upload({ type: "Point", coordinates: [1, 2] });
    expect((await errorOf(other)).message).toContain("không phải GeoJSON");
    const kept = asTopology((await ok(client.boundaries.$get({ query: { unit: "33" } }))).topology);
    expect(communeCodes(kept)).toEqual(["12745"]);
  });
});

describe("a ring wound either way", () => {
  it("is stored as d3-geo reads a commune: a small area, never the rest of the world", async () => {
    const { geoArea } = await import("d3-geo");
    const { feature } = await import("topojson-client");
    const { provinceTopology } = await import("../../worker/geo/boundaries");
    const square = [
      [106, 20],
      [106.1, 20],
      [106.1, 20.1],
      [106, 20.1],
      [106, 20],
    ];
    // RFC 7946 winds an outer ring counter-clockwise; many files wind it clockwise.
    const { topology } = await provinceTopology([
      { code: "00001", geometry: { type: "Polygon", coordinates: [square] } },
      {
        code: "00002",
        geometry: { type: "Polygon", coordinates: [[...square].reverse().map(([x, y]) => [x! + 0.2, y!])] },
      },
    ]);
    const communes = topology.objects.communes;
    assert(communes?.type === "GeometryCollection", "a collection of communes");
    const { features } = feature(topology, communes);
    expect(features.map((f) => f.id)).toEqual(["00001", "00002"]);
    for (const f of features) expect(geoArea(f), String(f.id)).toBeLessThan(1e-4);
  });
});
