/**
 * Each reference file has a template to download, written from the columns its upload is checked against: a CSV for
 * Excel (UTF-8 with a BOM) or a workbook, holding the header and example rows that pass the upload's own check.
 */
import { env } from "cloudflare:workers";
import { assert, beforeEach, describe, expect, it } from "vitest";
import { callWorker, productionEnv } from "./access-helpers";
import { api, resetDatabase, seedReference } from "./helpers";

const FILES = ["units", "catalog", "sources"] as const;

const download = (path: string) => api(path);

describe("a reference file's template", () => {
  beforeEach(async () => {
    await resetDatabase();
    // The sources' example rows name Hưng Yên and one of its communes, as an office would find them in its list.
    await seedReference();
  });

  for (const file of FILES) {
    it(`${file}: a CSV for Excel whose header and example rows pass the upload's check`, async () => {
      const res = await download(`/api/admin/templates/${file}.csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="mau-[a-z-]+\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.length).toBeLessThanOrEqual(3);

      const preview = await api(`/api/admin/${file}?preview=true`, { method: "POST", body: bytes });
      expect(await preview.json()).toEqual({ preview: true, rows: lines.length - 1, problems: [], warnings: [] });
    });

    it(`${file}: the same template as an Excel workbook, checked the same way`, async () => {
      const csv = await (await download(`/api/admin/templates/${file}.csv`)).arrayBuffer();
      const res = await download(`/api/admin/templates/${file}.xlsx`);
      expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      expect(res.headers.get("content-disposition")).toMatch(/\.xlsx"$/);
      const book = await res.arrayBuffer();
      const preview = async (body: ArrayBuffer) =>
        (await api(`/api/admin/${file}?preview=true`, { method: "POST", body })).json();
      expect(await preview(book)).toEqual(await preview(csv));
    });
  }

  it("has the unit list's columns in the order of the official list", async () => {
    const csv = await (await download("/api/admin/templates/units.csv")).text();
    expect(csv.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("code,name,full_name,kind,parent_code,code_name");
  });

  it("is refused for a file that has none", async () => {
    const res = await download("/api/admin/templates/boundaries.csv");
    expect(res.status).toBe(400);
  });
});

describe("the dashboard's bundles", () => {
  /** The script index.html loads, by its hashed name. */
  const pageBundle = async () => {
    const page = await (await env.ASSETS.fetch("http://dashboard.local/")).text();
    const script = /<script type="module"[^>]* src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    assert(script, "index.html names its bundle");
    return script;
  };

  it("come from the static assets with their year-long cache; one that is not there is a 404 nobody keeps", async () => {
    const script = await pageBundle();
    const bundle = await api(script);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect(bundle.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    const gone = await api("/assets/index-0ldBu1ld.js");
    expect(gone.status).toBe(404);
    expect(gone.headers.get("cache-control")).toBe("no-store");
    expect(gone.headers.get("content-type")).not.toContain("text/html");
  });

  it("are served as static files even when development mode is set where it must not be, so the page can say so", async () => {
    const script = await pageBundle();
    const misconfigured = productionEnv({ DEV_MODE: "true" });
    expect((await callWorker(misconfigured, "/api/meta")).status).toBe(500);
    const bundle = await callWorker(misconfigured, script);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });
});
