/** Users who sign in through Cloudflare Access, managed by admins: `/api/admin/users`. */
import { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../access/middleware";
import { ROLES } from "../access/principal";
import { administeredTest, assertAdministers, assertValidScope } from "../access/scope";
import { disableUser, findUser, listUsers, saveUser, type UserRecord } from "../db/access";
import { type Db, getDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { iso } from "../http/json";
import { unitCode, valid } from "../http/params";

const email = z.string().trim().toLowerCase().max(254).pipe(z.email("email không hợp lệ"));

export const users = new Hono<AppEnv>()
  .use(requireRole("admin"))
  // A province's admin sees the users scoped inside its province only (not national ones, not other provinces').
  .get("/", async (c) => {
    const db = getDb(c.env.DB);
    const [all, administered] = await Promise.all([listUsers(db), administeredTest(db, c.get("principal"))]);
    return c.json({ users: all.filter((u) => administered(u.scopeUnitCode)).map(userJson) });
  })
  .put(
    "/",
    valid("json", z.object({ email, role: z.enum(ROLES), scopeUnitCode: unitCode.nullable().default(null) })),
    async (c) => {
      const input = c.req.valid("json");
      const db = getDb(c.env.DB);
      const principal = c.get("principal");
      // Both the scope given and, for a user already there, the scope it had must be the admin's to give.
      await assertAdministers(db, principal, input.scopeUnitCode, "người dùng");
      const existing = await findUser(db, input.email);
      if (existing) await assertAdministers(db, principal, existing.scopeUnitCode, "người dùng", input.email);
      await assertValidScope(db, input.role, input.scopeUnitCode);
      return c.json({ user: userJson(await saveUser(db, input, c.get("principal").email)) });
    },
  )
  .delete("/:email", valid("param", z.object({ email: z.string().trim().toLowerCase() })), async (c) => {
    const db = getDb(c.env.DB);
    const target = c.req.valid("param").email;
    if (target === c.get("principal").email) throw new AppError("bad_request", "Không thể tự khoá tài khoản của mình");
    const user = await findUser(db, target);
    if (!user) throw new AppError("not_found", `Không có người dùng ${target}`);
    await assertAdministers(db, c.get("principal"), user.scopeUnitCode, "người dùng", target);
    await disableUser(db, target, c.get("principal").email);
    return c.json({ user: userJson(await userAfter(db, target)) });
  });

/** A user as admins see them. */
function userJson(u: UserRecord) {
  return {
    email: u.email,
    role: u.role,
    scopeUnitCode: u.scopeUnitCode,
    createdAt: iso(u.createdAt),
    disabledAt: iso(u.disabledAt),
  };
}

/** The user a change was made to, read back. */
async function userAfter(db: Db, email: string): Promise<UserRecord> {
  const user = await findUser(db, email);
  if (!user) throw new AppError("not_found", `Không có người dùng ${email}`);
  return user;
}
