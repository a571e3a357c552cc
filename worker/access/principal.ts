/** Who is asking, and what they may see (PRODUCT.md §11). */
export type Role = "admin" | "leader" | "commune";

export const ROLES = ["admin", "leader", "commune"] as const satisfies readonly Role[];

export type Principal = {
  email: string;
  role: Role;
  /** Province or commune code the principal is limited to; null means the whole country. */
  scopeUnitCode: string | null;
  via: "development" | "access" | "token";
};
