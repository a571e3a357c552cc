/**
 * Review conferences (PRODUCT.md §6): `GET /api/conferences?unit=`, and for administrators
 * `POST /api/admin/conferences` and `POST /api/admin/conferences/:id/freeze`.
 */

import { Hono } from "hono";
import { z } from "zod";
import { NATIONAL } from "../../domain/units";
import { requireRole } from "../access/middleware";
import { administers, assertAdministers, readableUnit } from "../access/scope";
import { freezeNow, openConference } from "../admin/conferences";
import { getDb } from "../db/client";
import { type ConferenceRecord, getConference, listConferences } from "../db/conferences";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { idParam, periodCode, unitCode, unitOrCountry, valid } from "../http/params";
import { conferenceSyncs } from "../sync/schedule";

export const conferencesRoute = new Hono<AppEnv>().get(
  "/",
  valid("query", z.object({ unit: unitOrCountry.optional() })),
  async (c) => {
    const db = getDb(c.env.DB);
    const unit = await readableUnit(db, c.get("principal"), c.req.valid("query").unit);
    // The whole country's conferences are every unit's.
    const all = unit === null || unit === NATIONAL;
    return c.json({ conferences: (await listConferences(db, all ? null : unit)).map(conferenceJson) });
  },
);

const newConference = z.object({
  unitCode,
  period: periodCode,
  comparePeriod: periodCode.nullish(),
  title: z.string().trim().min(1).max(300),
  startsAt: z.iso.datetime({ offset: true }),
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
});

export const adminConferences = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .post("/", valid("json", newConference), async (c) => {
    const body = c.req.valid("json");
    const db = getDb(c.env.DB);
    await assertAdministers(db, c.get("principal"), body.unitCode, "hội nghị");
    const conference = await openConference(
      db,
      {
        unitCode: body.unitCode,
        period: body.period,
        comparePeriod: body.comparePeriod ?? null,
        title: body.title,
        startsAt: Date.parse(body.startsAt),
        windowHours: body.windowHours ?? 72,
      },
      c.get("principal").email,
    );
    return c.json({ conference: conferenceJson(conference) }, 201);
  })
  .post("/:id/freeze", valid("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const db = getDb(c.env.DB);
    // Another province's conference does not exist for a province's administrator, as for its leaders.
    const conference = await getConference(db, id);
    if (conference && !(await administers(db, c.get("principal"), conference.unitCode)))
      throw new AppError("not_found", `Không có hội nghị số ${id}`);
    const frozen = await freezeNow(db, id, c.get("principal").email);
    return c.json({ conference: conferenceJson(frozen) });
  });

/** The API shape: times as ISO strings, and when the scheduled syncs before it run. */
function conferenceJson(c: ConferenceRecord) {
  const syncs = conferenceSyncs(c);
  return {
    id: c.id,
    unitCode: c.unitCode,
    period: c.period,
    comparePeriod: c.comparePeriod,
    title: c.title,
    startsAt: iso(c.startsAt),
    windowHours: c.windowHours,
    frozenAt: iso(c.frozenAt),
    syncs: { from: iso(syncs.from), until: iso(syncs.until), everyMinutes: syncs.everyMinutes },
  };
}
