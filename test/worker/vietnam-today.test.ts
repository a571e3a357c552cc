/**
 * “Today” is Vietnam's day (UTC+7): between 00:00 and 07:00 Vietnam time the UTC date is still yesterday's, and
 * neither a unit list that comes into force today nor a token that expires today may follow that date.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bearer, callWorker, clientFor, productionEnv } from "./access-helpers";
import { ok, postCsv, resetDatabase, seedReference, UNITS_CSV } from "./helpers";

/** The same province a year on, with a commune the reform created. */
const NEW_LIST = `${UNITS_CSV}99999,Tân Lập,Xã Tân Lập,commune,33,tan_lap\n`;

const at = (vietnamTime: string) => vi.setSystemTime(new Date(`${vietnamTime}+07:00`));

describe("Vietnam's today", () => {
  beforeEach(async () => {
    await resetDatabase();
    vi.useFakeTimers({ toFake: ["Date"] });
    at("2026-06-20T09:00:00");
    await seedReference();
    const res = await postCsv("/api/admin/units?validFrom=2026-07-01", NEW_LIST);
    expect(res.status).toBe(200);
  });
  afterEach(() => vi.useRealTimers());

  it("puts a unit list valid from today in force at 01:00 Vietnam time, while the UTC date is still yesterday", async () => {
    const dev = clientFor({ ...env, DEV_MODE: "true" });
    const codes = async () => (await ok(dev.admin.units.$get({ query: { unit: "33" } }))).units.map((u) => u.code);

    at("2026-06-30T23:59:00");
    expect(await codes()).not.toContain("99999");
    at("2026-07-01T01:00:00");
    expect(new Date().toISOString().slice(0, 10)).toBe("2026-06-30");
    expect(await codes()).toContain("99999");
  });

  it("lets a token that expires today work until 23:59 Vietnam time, and no longer after midnight", async () => {
    const dev = clientFor({ ...env, DEV_MODE: "true" });
    const { token, secret } = await ok(
      dev.admin.tokens.$post({
        json: { name: "báo cáo", role: "leader", scopeUnitCode: "33", expiresAt: "2026-07-01" },
      }),
    );
    expect(token.expiresAt).toBe("2026-07-01T16:59:59.999Z");
    const meta = () => callWorker(productionEnv(), "/api/meta", { headers: bearer(secret) });

    at("2026-07-01T07:30:00");
    expect((await meta()).status).toBe(200);
    at("2026-07-01T23:59:00");
    expect((await meta()).status).toBe(200);
    at("2026-07-02T00:00:01");
    expect((await meta()).status).toBe(401);
  });
});
