/** Kinds of administrative unit (PRODUCT.md §2): the one list the schema, the sync, the API and the dashboard share. */
export const UNIT_KINDS = ["province", "city", "district", "commune", "ward", "special_zone"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** The lowest tier, whose sheets are read: xã, phường, đặc khu. */
export const COMMUNE_KINDS = ["commune", "ward", "special_zone"] as const satisfies readonly UnitKind[];

/** The whole country, as the API names it. */
export const NATIONAL = "VN";

export function isCommuneKind(kind: string): boolean {
  return (COMMUNE_KINDS as readonly string[]).includes(kind);
}
