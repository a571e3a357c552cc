/**
 * Authentication for every /api route. Development mode (DEV_MODE=true) signs every request in as a national
 * admin, and is refused outright when ENVIRONMENT is production.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import type { Role } from "./principal";

export function isDevelopmentMode(env: Env): boolean {
  if (env.DEV_MODE !== "true") return false;
  if (env.ENVIRONMENT === "production") {
    throw new AppError("internal", "Chế độ phát triển không được bật trong môi trường production");
  }
  return true;
}

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (isDevelopmentMode(c.env)) {
    c.set("principal", { email: "dev@localhost", role: "admin", scopeUnitCode: null, via: "development" });
    return next();
  }
  throw new AppError("unauthorized", "Cần đăng nhập để xem số liệu");
});

export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("principal").role)) {
      throw new AppError("forbidden", "Tài khoản không có quyền thực hiện thao tác này");
    }
    return next();
  });
}
