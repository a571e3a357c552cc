/** The shared example folder (../shared/examples) through the real sync: each sheet reads as its readme says. */
import { env } from "cloudflare:workers";
import type { InferResponseType } from "hono/client";
import { beforeAll, describe, expect, it } from "vitest";
import { client, type Fixture, ok, putSheet, registerSources, resetDatabase, seedReference, syncNow } from "./helpers";

const files = env.TEST_EXAMPLES;
const present = Boolean(files["sources.csv"] && files["units.csv"]);

async function valuesOf(unit: string): Promise<Record<string, { value: number; approximate: number; cell: string }>> {
  const { results } = await env.DB.prepare(
    "SELECT indicator_code, value, approximate, cell FROM indicator_values WHERE unit_code = ? AND period = '2025'",
  )
    .bind(unit)
    .all<{ indicator_code: string; value: number; approximate: number; cell: string }>();
  return Object.fromEntries(results.map((r) => [r.indicator_code, r]));
}

describe.skipIf(!present)("the shared examples", () => {
  let run: Awaited<ReturnType<typeof syncNow>>;
  let issues: InferResponseType<typeof client.issues.$get>["issues"];
  beforeAll(async () => {
    await resetDatabase();
    await seedReference(files["units.csv"]);
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith(".json")) await putSheet(name.replace(/\.json$/, ""), JSON.parse(text) as Fixture);
    }
    await registerSources(files["sources.csv"]!);
    run = await syncNow();
    issues = (await ok(client.issues.$get({ query: { unit: "33", period: "2025" } }))).issues;
  });

  it("reads three sources and fails the forbidden one", () => {
    expect(run).toMatchObject({ sourcesTotal: 4, sourcesRead: 3, sourcesFailed: 1, status: "partial" });
  });

  it("reads Bắc Đông Quan's 2025 figures as the seed article reports them", async () => {
    const v = await valuesOf("12745");
    expect([
      v.security_team_count?.value,
      v.security_team_members?.value,
      v.self_managed_model_count?.value,
      v.mediation_team_count?.value,
    ]).toEqual([12, 39, 49, 24]);
    expect([v.commended_collectives?.value, v.commended_individuals?.value]).toEqual([14, 9]);
  });

  it("reads the labels-only form: short labels, text numbers, approximate, multipliers, no-value marks, a non-integer error", async () => {
    const v = await valuesOf("11953");
    expect(v.security_team_count?.value).toBe(17);
    expect(v.crime_tip_received?.value).toBe(2310);
    expect(v.explosives_kg?.value).toBe(0.8);
    expect(v.fireworks_kg).toMatchObject({ value: 120, approximate: 1 });
    expect(v.ex_prisoner_loans_million_vnd?.value).toBe(1200);
    expect(v.guns_recovered).toBeUndefined();
    expect(v.support_tools_count).toBeUndefined();
    const of = (code: string) =>
      issues.filter((i) => i.unitCode === "11953" && i.indicator === code).map((i) => [i.severity, i.code, i.cell]);
    expect(of("support_tools_count")).toEqual([["error", "not_integer", "'Năm 2025'!D30"]]);
    expect(of("fireworks_kg")).toEqual([["warning", "approximate", "'Năm 2025'!D31"]]);
    expect(of("guns_recovered")).toEqual([]);
  });

  it("keeps the forbidden commune unreported, with the reason", async () => {
    expect(await valuesOf("11980")).toEqual({});
    expect(issues.filter((i) => i.severity === "source_error").map((i) => [i.unitCode, i.code])).toEqual([
      ["11980", "forbidden"],
    ]);
  });

  it("reads the province table's commune row by code, not its total row nor its helper tab", async () => {
    const v = await valuesOf("11983");
    expect([v.security_team_count?.value, v.crime_tip_received?.value, v.commune_safe?.value]).toEqual([10, 1140, 1]);
    expect(v.security_team_count?.cell).toBe("'Năm 2025'!D4");
    const summary = await ok(client.summary.$get({ query: { unit: "33", period: "2025" } }));
    expect(summary.coverage).toMatchObject({ expected: 5, reported: 3 });
    expect(summary.indicators.find((i) => i.code === "security_team_count")!.value).toBe(12 + 17 + 10);
  });
});
