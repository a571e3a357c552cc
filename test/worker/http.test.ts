import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { runSync } from "../../worker/sync/run";
import { api, errorOf, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const GETS = [
  "/api/summary?unit=33&period=2025",
  "/api/breakdown?unit=33&period=2025&indicator=security_team_count",
  "/api/issues?unit=33&period=2025",
  "/api/export.csv?unit=33&period=2025",
  "/api/report?unit=33&period=2025",
  "/api/meta",
];

/** A second sync right after the first: the sync itself, without the manual-sync rate limit of POST /api/sync. */
const resync = () => runSync(env, { trigger: "manual" });

describe("HTTP manners of the read API", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("http-bdq", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,http-bdq,,form\n");
    await syncNow();
  });

  it("tags every GET with an ETag and answers 304 while nothing changed, 200 once a figure moved", async () => {
    for (const path of GETS) {
      const first = await api(path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get("etag");
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await api(path, { headers: { "if-none-match": etag! } });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
    }
    const before = (await api(GETS[0]!)).headers.get("etag")!;
    await putSheet(
      "http-bdq",
      formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 13]], { version: "2" }),
    );
    await resync();
    const after = await api(GETS[0]!, { headers: { "if-none-match": before } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
  });

  it("lets browsers keep answers briefly but keeps them out of shared caches, since they depend on who asks", async () => {
    const res = await api(GETS[0]!);
    const cc = res.headers.get("cache-control")!;
    expect(cc).toContain("private");
    expect(cc).not.toContain("public");
    expect(cc).toMatch(/max-age=\d+/);
    expect(res.headers.get("vary")).toMatch(/Authorization/);
    expect(res.headers.get("vary")).toMatch(/Cf-Access-Jwt-Assertion/);
  });

  it("answers bad parameters with 400 and unknown units with 404, in the error envelope", async () => {
    for (const path of [
      "/api/summary?unit=abc&period=2025",
      "/api/summary?unit=33",
      "/api/report?unit=33&period=2025&conference=x",
      "/api/issues?period=2025",
    ]) {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      expect(await errorOf(res), path).toMatchObject({
        code: "bad_request",
        message: expect.any(String),
      });
    }
    for (const path of [
      "/api/breakdown?unit=99999&period=2025&indicator=security_team_count",
      "/api/export.csv?unit=77&period=2025",
    ]) {
      const res = await api(path);
      expect(res.status, path).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
    }
  });
});
