/** API tokens for scripts, managed by admins: `/api/admin/tokens`. The secret is in the create answer only. */
import { Hono } from "hono";
import { z } from "zod";
import { endOfDayOrMoment } from "../../domain/time";
import { hashTokenSecret, newTokenSecret } from "../access/api-token";
import { requireRole } from "../access/middleware";
import { ROLES } from "../access/principal";
import { administeredTest, assertAdministers, assertValidScope } from "../access/scope";
import { createToken, findToken, listTokens, revokeToken, type TokenRecord } from "../db/access";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { idParam, unitCode, valid } from "../http/params";

/** A token made without a date expires after this many days. */
const DEFAULT_TOKEN_DAYS = 90;

export const tokens = new Hono<AppEnv>()
  .use(requireRole("admin"))
  // A province's admin sees the tokens scoped inside its province only.
  .get("/", async (c) => {
    const db = getDb(c.env.DB);
    const [all, administered] = await Promise.all([listTokens(db), administeredTest(db, c.get("principal"))]);
    return c.json({ tokens: all.filter((t) => administered(t.scopeUnitCode)).map(tokenJson) });
  })
  .post(
    "/",
    valid(
      "json",
      z.object({
        // A date alone means the end of that day in Vietnam; null, a token that never expires.
        expiresAt: z
          .union([z.iso.date(), z.iso.datetime({ offset: true }), z.null()], {
            error: "hạn dùng là ngày (2027-03-01), thời điểm ISO, hoặc null để không hết hạn",
          })
          .optional(),
        name: z.string().trim().min(1).max(100),
        role: z.enum(ROLES),
        scopeUnitCode: unitCode.nullable().default(null),
      }),
    ),
    async (c) => {
      const { expiresAt: until, ...input } = c.req.valid("json");
      const db = getDb(c.env.DB);
      await assertAdministers(db, c.get("principal"), input.scopeUnitCode, "mã truy cập");
      await assertValidScope(db, input.role, input.scopeUnitCode);
      const now = Date.now();
      const expiresAt =
        until === undefined ? now + DEFAULT_TOKEN_DAYS * 86400_000 : until === null ? null : endOfDayOrMoment(until);
      if (expiresAt !== null && expiresAt <= now) {
        throw new AppError("bad_request", "Hạn dùng của mã đã qua: chọn một ngày sau hôm nay", {}, "expiresAt");
      }
      const secret = newTokenSecret();
      const token = await createToken(
        db,
        { ...input, expiresAt },
        await hashTokenSecret(secret),
        c.get("principal").email,
        now,
      );
      c.header("Cache-Control", "no-store");
      return c.json({ token: tokenJson(token), secret }, 201);
    },
  )
  .delete("/:id", valid("param", idParam), async (c) => {
    const db = getDb(c.env.DB);
    const { id } = c.req.valid("param");
    const found = await findToken(db, id);
    if (found)
      await assertAdministers(db, c.get("principal"), found.scopeUnitCode, "mã truy cập", `mã “${found.name}”`);
    const token = found && (await revokeToken(db, id, c.get("principal").email));
    if (!token) throw new AppError("not_found", "Không có mã truy cập này hoặc mã đã bị thu hồi");
    return c.json({ token: tokenJson(token) });
  });

/** A token as admins see it: never its hash, moments as ISO strings. */
function tokenJson(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    scopeUnitCode: t.scopeUnitCode,
    createdBy: t.createdBy,
    createdAt: iso(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    expiresAt: iso(t.expiresAt),
  };
}
