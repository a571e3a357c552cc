/**
 * Page weight (PRODUCT.md §10, issue 5): what a phone downloads before the first screen — index.html's scripts,
 * stylesheets and preloaded modules, gzip-compressed — stays within 35 KB. Lazy views are not counted: they load
 * only when opened. Reads the build output, so `npm test` builds first (`pretest`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const DIST = join(import.meta.dirname, "..", "..", "dist", "web");
const BUDGET = 35 * 1024;

function initialAssets(html: string): string[] {
  const refs = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g),
  ].map((m) => m[1]!);
  return [...new Set(refs)].filter((r) => !/^https?:/.test(r));
}

describe("the dashboard's first download", () => {
  it("is at most 35 KB of JS and CSS after gzip", () => {
    const indexPath = join(DIST, "index.html");
    expect(existsSync(indexPath), "dist/web/index.html: run `vite build` first").toBe(true);
    const html = readFileSync(indexPath, "utf8");
    const assets = initialAssets(html);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    const sizes = assets.map((a) => ({
      asset: a,
      gzip: gzipSync(readFileSync(join(DIST, a.replace(/^\//, "")))).length,
    }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(`initial JS + CSS: ${(total / 1024).toFixed(1)} KB gzip`, sizes);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
