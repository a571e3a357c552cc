/** Indicator kinds (PRODUCT.md §2): count and amount are summed, a flag counts “N of M communes”, a ratio is computed. */
export const INDICATOR_KINDS = ["count", "amount", "flag", "ratio"] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
