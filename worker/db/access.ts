/** Users and API tokens (PRODUCT.md §11). Every change is written with its audit entry. */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Role } from "../access/principal";
import { auditStatement } from "./audit";
import type { Db } from "./client";
import { apiTokens, users } from "./schema";

export type UserRecord = typeof users.$inferSelect;

export type UserInput = { email: string; role: Role; scopeUnitCode: string | null };
export type TokenInput = { name: string; role: Role; scopeUnitCode: string | null; expiresAt: number | null };

export async function findUser(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user ?? null;
}

export async function listUsers(db: Db) {
  return db.select().from(users).orderBy(users.email);
}

/** Creates the user or changes its role and scope; a disabled user put back is enabled again. */
export async function saveUser(db: Db, user: UserInput, actor: string, now = Date.now()): Promise<UserRecord> {
  await db.batch([
    db
      .insert(users)
      .values({ ...user, createdAt: now })
      .onConflictDoUpdate({
        target: users.email,
        set: { role: user.role, scopeUnitCode: user.scopeUnitCode, disabledAt: null },
      }),
    auditStatement(
      db,
      {
        actor,
        action: "user.save",
        target: user.email,
        detail: { role: user.role, scopeUnitCode: user.scopeUnitCode },
      },
      now,
    ),
  ]);
  const saved = await findUser(db, user.email);
  if (!saved) throw new Error(`user ${user.email} was not saved`);
  return saved;
}

export async function disableUser(db: Db, email: string, actor: string, now = Date.now()): Promise<boolean> {
  const [result] = await db.batch([
    db
      .update(users)
      .set({ disabledAt: now })
      .where(and(eq(users.email, email), isNull(users.disabledAt)))
      .returning({ email: users.email }),
    auditStatement(db, { actor, action: "user.disable", target: email }, now),
  ]);
  return result.length > 0;
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  role: apiTokens.role,
  scopeUnitCode: apiTokens.scopeUnitCode,
  createdAt: apiTokens.createdAt,
  createdBy: apiTokens.createdBy,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  expiresAt: apiTokens.expiresAt,
};

/** A token as admins see it: never the hash. */
export type TokenRecord = { [K in keyof typeof tokenColumns]: (typeof apiTokens.$inferSelect)[K] };

/** Tokens as admins see them: never the hash. */
export async function listTokens(db: Db) {
  return db.select(tokenColumns).from(apiTokens).orderBy(desc(apiTokens.id));
}

/** A token by its id, revoked or not. */
export async function findToken(db: Db, id: number): Promise<TokenRecord | null> {
  const [token] = await db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return token ?? null;
}

export async function createToken(db: Db, token: TokenInput, hash: string, actor: string, now = Date.now()) {
  const [[created]] = await db.batch([
    db
      .insert(apiTokens)
      .values({ ...token, hash, createdAt: now, createdBy: actor })
      .returning(tokenColumns),
    auditStatement(
      db,
      {
        actor,
        action: "token.create",
        target: token.name,
        detail: {
          role: token.role,
          scopeUnitCode: token.scopeUnitCode,
          expiresAt: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
        },
      },
      now,
    ),
  ]);
  if (!created) throw new Error(`token ${token.name} was not created`);
  return created;
}

export async function revokeToken(db: Db, id: number, actor: string, now = Date.now()) {
  const [[revoked]] = await db.batch([
    db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning(tokenColumns),
    auditStatement(db, { actor, action: "token.revoke", target: String(id) }, now),
  ]);
  return revoked ?? null;
}

/** The live token with this hash (not revoked, not expired); its last-used time is written at most once a minute. */
export async function useToken(db: Db, hash: string, now = Date.now()) {
  const [token] = await db
    .select(tokenColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.hash, hash), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!token || (token.expiresAt !== null && token.expiresAt <= now)) return null;
  if (token.lastUsedAt === null || now - token.lastUsedAt > 60_000) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, now - 60_000))));
  }
  return token;
}
