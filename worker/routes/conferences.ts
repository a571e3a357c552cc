/**
 * Review conferences (PRODUCT.md §6): `GET /api/conferences?unit=`, and for administrators
 * `POST /api/admin/conferences` and `POST /api/admin/conferences/:id/freeze`.
 */
import { Hono } from "hono";
import { z } from "zod";
import { NATIONAL } from "../../domain/units";
import { requireRole } from "../access/middleware";
import { readableUnit } from "../access/scope";
import { getDb } from "../db/client";
import {
  type ConferenceRecord,
  createConference,
  freezeConference,
  getConference,
  listConferences,
} from "../db/conferences";
import { findUnit, unitListFor } from "../db/units";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { jsonBody, periodCode, query, unitCode, unitOrCountry } from "../http/params";
import { conferenceSyncs } from "../sync/schedule";

export const conferencesRoute = new Hono<AppEnv>().get(
  "/",
  query(z.object({ unit: unitOrCountry.optional() })),
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
  .post("/", jsonBody(newConference), async (c) => {
    const db = getDb(c.env.DB);
    const body = c.req.valid("json");
    const listDate = await unitListFor(db, new Date().toISOString().slice(0, 10));
    if (!listDate || !(await findUnit(db, listDate, body.unitCode))) {
      throw new AppError("not_found", `Không có đơn vị hành chính mã “${body.unitCode}”`, {}, "unitCode");
    }
    const conference = await createConference(
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
      Date.now(),
    );
    return c.json({ conference: conferenceJson(conference) }, 201);
  })
  .post("/:id/freeze", async (c) => {
    const db = getDb(c.env.DB);
    const id = Number(c.req.param("id"));
    const conference = Number.isInteger(id) ? await getConference(db, id) : null;
    if (!conference) throw new AppError("not_found", `Không có hội nghị số ${c.req.param("id")}`);
    if (conference.frozenAt !== null) throw new AppError("conflict", "Số liệu của hội nghị này đã được chốt");
    const frozen = await freezeConference(db, conference, c.get("principal").email, Date.now());
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
    startsAt: iso(c.startsAt)!,
    windowHours: c.windowHours,
    frozenAt: iso(c.frozenAt),
    syncs: { ...syncs, from: iso(syncs.from)!, until: iso(syncs.until)! },
  };
}
