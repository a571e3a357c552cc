/**
 * Authentication for every /api route (PRODUCT.md §11). Credentials that are presented are always verified:
 * `Authorization: Bearer <api token>` for scripts, the Cloudflare Access JWT for people. Only a request with neither
 * falls back to development mode, which needs DEV_MODE=true and a development or test ENVIRONMENT, and is refused
 * outright — every request answered with an error — when ENVIRONMENT is production.
 */
import { createMiddleware } from "hono/factory";
import { errors } from "jose";
import { findUser, useToken } from "../db/access";
import { getDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { hashTokenSecret, looksLikeTokenSecret } from "./api-token";
import { accessConfig, verifyAccessJwt } from "./cloudflare-access";
import type { Principal, Role } from "./principal";

const DEVELOPMENT_ENVIRONMENTS = ["development", "test"];

function isDevelopmentMode(env: Env): boolean {
  if (env.DEV_MODE !== "true") return false;
  if (!DEVELOPMENT_ENVIRONMENTS.includes(env.ENVIRONMENT)) {
    throw new AppError(
      "internal",
      `Cấu hình sai: chế độ phát triển (DEV_MODE) không được bật trong môi trường “${env.ENVIRONMENT}”. Hệ thống từ chối mọi yêu cầu cho tới khi tắt DEV_MODE.`,
    );
  }
  return true;
}

/** Runs before every route, /api/health included: a Worker misconfigured with DEV_MODE answers nothing but the error. */
export const refuseMisconfiguredDevelopmentMode = createMiddleware<AppEnv>(async (c, next) => {
  isDevelopmentMode(c.env);
  return next();
});

const unauthorized = (message: string) =>
  new AppError("unauthorized", message, { "WWW-Authenticate": 'Bearer realm="antq"' });

async function tokenPrincipal(env: Env, secret: string): Promise<Principal> {
  if (!looksLikeTokenSecret(secret)) throw unauthorized("Mã truy cập (API token) không hợp lệ");
  const hash = await hashTokenSecret(secret);
  const limiter = env.TOKEN_RATE_LIMITER;
  if (limiter) {
    const { success } = await limiter.limit({ key: hash });
    if (!success)
      throw new AppError("rate_limited", "Mã truy cập gửi quá nhiều yêu cầu, vui lòng thử lại sau một phút", {
        "Retry-After": "60",
      });
  }
  const token = await useToken(getDb(env.DB), hash);
  if (!token) throw unauthorized("Mã truy cập (API token) không hợp lệ hoặc đã bị thu hồi");
  return {
    email: `token:${token.id}:${token.name}`,
    role: token.role,
    scopeUnitCode: token.scopeUnitCode,
    via: "token",
  };
}

function listedAdmins(env: Env): string[] {
  return (env.ACCESS_ADMINS ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
}

async function accessPrincipal(env: Env, jwt: string): Promise<Principal> {
  const config = accessConfig(env);
  if (!config)
    throw new AppError("internal", "Cấu hình sai: chưa đặt ACCESS_TEAM_DOMAIN và ACCESS_AUD cho Cloudflare Access");
  let email: string | null;
  try {
    email = await verifyAccessJwt(jwt, config);
  } catch (err) {
    // Keys that cannot be fetched say nothing about the token: still refused, but not as the user's fault.
    if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError) || err.code === "ERR_JOSE_GENERIC") {
      throw new AppError(
        "internal",
        "Không lấy được khóa ký của Cloudflare Access để kiểm tra phiên đăng nhập, vui lòng thử lại sau",
      );
    }
    throw unauthorized("Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại");
  }
  if (!email) throw new AppError("forbidden", "Phiên đăng nhập không gắn với một người dùng");
  const user = await findUser(getDb(env.DB), email);
  if (!user) {
    // The first administrators, before anyone can add users: named in ACCESS_ADMINS, unless the table says otherwise.
    if (listedAdmins(env).includes(email)) return { email, role: "admin", scopeUnitCode: null, via: "access" };
    throw new AppError("forbidden", `Tài khoản ${email} chưa được cấp quyền xem số liệu`);
  }
  if (user.disabledAt !== null) throw new AppError("forbidden", `Tài khoản ${email} đã bị khoá`);
  return { email: user.email, role: user.role, scopeUnitCode: user.scopeUnitCode, via: "access" };
}

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const devMode = isDevelopmentMode(c.env);
  const authorization = c.req.header("authorization");
  const jwt = c.req.header("cf-access-jwt-assertion");
  if (authorization !== undefined) {
    const [scheme, secret, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== "bearer" || !secret || rest.length)
      throw unauthorized("Tiêu đề Authorization phải có dạng “Bearer <mã truy cập>”");
    c.set("principal", await tokenPrincipal(c.env, secret));
  } else if (jwt !== undefined) {
    c.set("principal", await accessPrincipal(c.env, jwt));
  } else if (devMode) {
    c.set("principal", { email: "dev@localhost", role: "admin", scopeUnitCode: null, via: "development" });
  } else {
    throw unauthorized("Cần đăng nhập để xem số liệu");
  }
  if (c.get("principal").via !== "token" && !SAFE_METHODS.includes(c.req.method) && isCrossSite(c.req.raw)) {
    throw new AppError("forbidden", "Yêu cầu thay đổi dữ liệu phải gửi từ chính trang quản trị");
  }
  return next();
});

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/**
 * An Access session (a cookie the edge turns into the JWT header) or development mode rides along with any request
 * the browser sends, so a change coming from another site is refused. Browsers say where a request comes from;
 * scripts send neither header, and tokens are never sent by a browser on its own.
 */
function isCrossSite(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site !== "same-origin" && site !== "none";
  const origin = req.headers.get("origin");
  return origin !== null && origin !== new URL(req.url).origin;
}

export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("principal").role)) {
      throw new AppError("forbidden", "Tài khoản không có quyền thực hiện thao tác này");
    }
    return next();
  });
}
