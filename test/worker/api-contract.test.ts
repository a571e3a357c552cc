/**
 * One contract from the Worker to the dashboard: every answer is typed by its route (Hono's client, as the dashboard
 * uses it), and every moment in every answer is an ISO 8601 string — never epoch milliseconds.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { client, formSheet, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every `…At`, `deadline` and `startsAt`-like field found anywhere in a body, with its path. */
function moments(body: unknown, path = "$"): [string, unknown][] {
  if (Array.isArray(body)) return body.flatMap((v, i) => moments(v, `${path}[${i}]`));
  if (body === null || typeof body !== "object") return [];
  return Object.entries(body).flatMap(([k, v]) => [
    ...(/(At|^at|deadline)$/.test(k) ? ([[`${path}.${k}`, v]] as [string, unknown][]) : []),
    ...moments(v, `${path}.${k}`),
  ]);
}

describe("the API contract", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await putSheet("contract-a", formSheet("Xã Bắc Đông Quan", ["Năm 2025"], [["security_team_count", "Số tổ", 12]]));
    await registerSources("unit_code,sheet,tab,layout\n12745,contract-a,,form\n");
    await syncNow();
  });

  it("writes every moment of every answer as an ISO string", async () => {
    const created = await client.admin.conferences.$post({
      json: { unitCode: "33", period: "2025", title: "Hội nghị sơ kết", startsAt: "2026-12-20T08:00:00+07:00" },
    });
    expect(created.status).toBe(201);
    const { conference } = await created.json();
    await client.admin.conferences[":id"].freeze.$post({ param: { id: String(conference.id) } });
    await client.admin.tokens.$post({ json: { name: "báo cáo", role: "leader", scopeUnitCode: "33" } });
    await client.admin.users.$put({ json: { email: "lanhdao@hungyen.gov.vn", role: "leader", scopeUnitCode: "33" } });
    await client.admin.periods[":code"].$put({ param: { code: "2025" }, json: { deadline: "2026-01-15" } });

    const figures = { unit: "33", period: "2025" };
    const answers = await Promise.all([
      client.summary.$get({ query: figures }),
      client.summary.$get({ query: { ...figures, conference: String(conference.id) } }),
      client.breakdown.$get({ query: { ...figures, indicator: "security_team_count" } }),
      client.issues.$get({ query: figures }),
      client.report.$get({ query: figures }),
      client.sources.$get({ query: { unit: "33" } }),
      client.conferences.$get({ query: { unit: "33" } }),
      client.sync.runs.$get(),
      client.admin.tokens.$get(),
      client.admin.users.$get(),
      client.admin.audit.$get({ query: {} }),
      client.meta.$get(),
    ]);
    const found: [string, unknown][] = [];
    for (const res of answers) {
      expect(res.status).toBe(200);
      found.push(...moments(await res.json()));
    }
    // The answers above do carry moments: sync runs, sources, conferences, tokens, users, the audit log, summaries.
    expect(found.length).toBeGreaterThan(20);
    for (const [path, value] of found) {
      if (value !== null) expect(`${path} = ${value}`).toMatch(new RegExp(` = ${ISO.source.slice(1)}`));
    }
  });

  it("types the summary as the route sends it", async () => {
    const res = await client.summary.$get({ query: { unit: "33", period: "2025" } });
    const summary = await res.json();
    const teams = summary.indicators.find((i) => i.code === "security_team_count");
    expect(teams).toMatchObject({ value: 12, reporting: 1, doubtful: false });
    expect(summary.unit).toEqual({ code: "33", name: "Tỉnh Hưng Yên", kind: "province" });
    expect(summary.deadline).toMatch(ISO);
  });
});

describe("the whole country", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedReference();
    await registerSources("unit_code,sheet,tab,layout\n12745,contract-vn,,form\n");
  });

  it("is a unit every read takes, the sources and conferences included", async () => {
    const created = await client.admin.conferences.$post({
      json: { unitCode: "33", period: "2025", title: "Hội nghị", startsAt: "2026-12-20T08:00:00+07:00" },
    });
    expect(created.status).toBe(201);
    const sources = await client.sources.$get({ query: { unit: "VN" } });
    expect(sources.status).toBe(200);
    expect((await sources.json()).sources.map((s) => s.unitCode)).toEqual(["12745"]);
    const conferences = await client.conferences.$get({ query: { unit: "VN" } });
    expect(conferences.status).toBe(200);
    expect((await conferences.json()).conferences.map((c) => c.unitCode)).toEqual(["33"]);
  });
});
