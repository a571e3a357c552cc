/** `GET /api/sources?unit=<code>`: the registered sheets with their last run, last success and last error. */
import { Hono } from "hono";
import { z } from "zod";
import { assertCanRead } from "../access/scope";
import { sheetUrl } from "../aggregate/issues";
import { getDb } from "../db/client";
import { listSources } from "../db/sources";
import { unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { iso } from "../http/json";
import { query, unitOrCountry } from "../http/params";

export const sourcesRoute = new Hono<AppEnv>().get(
  "/",
  query(z.object({ unit: unitOrCountry.optional() })),
  async (c) => {
    const db = getDb(c.env.DB);
    const principal = c.get("principal");
    const unit = c.req.valid("query").unit ?? principal.scopeUnitCode;
    if (unit !== null) await assertCanRead(db, principal, unit);
    const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
    const rows = await listSources(db, listDate, unit);
    return c.json({
      sources: rows.map((r) => ({
        id: r.id,
        unitCode: r.unitCode,
        unitName: r.unitName,
        spreadsheetId: r.spreadsheetId,
        url: sheetUrl(r.spreadsheetId, r.gid),
        tab: r.tab,
        gid: r.gid,
        layout: r.layout,
        active: Boolean(r.active),
        title: r.title,
        locale: r.locale,
        lastStatus: r.lastStatus,
        lastCheckedAt: iso(r.lastCheckedAt),
        lastSuccessAt: iso(r.lastSuccessAt),
        lastErrorCode: r.lastErrorCode,
        lastError: r.lastError,
      })),
    });
  },
);
