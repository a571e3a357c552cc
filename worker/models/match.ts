/**
 * A clerk's words for a kind of model matched to the catalog (PRODUCT.md §15): by label or alias, compared as
 * indicator labels are (no case, diacritics, punctuation, extra spaces; the short forms ANTT, PCCC… expanded), a
 * leading “Mô hình” left out. A kind not in the catalog keeps the clerk's words under a key made of them, so two
 * communes writing it alike are one kind.
 */
import { labelKey } from "../sheets/labels";
import type { ModelType } from "./catalog";

/** Short forms of model names, beside the indicator labels' own. */
const MODEL_SHORT_FORMS: Record<string, string> = {
  pccc: "phong chay chua chay",
  atgt: "an toan giao thong",
  ttatgt: "trat tu an toan giao thong",
};

/** The words that identify a kind: “Mô hình Camera ANTT” → “camera an ninh trat tu”. */
export function modelKey(label: unknown): string {
  const words = labelKey(label).flatMap((w) => (MODEL_SHORT_FORMS[w] ?? w).split(" "));
  const start = words[0] === "mo" && words[1] === "hinh" && words.length > 2 ? 2 : 0;
  return words.slice(start).join(" ");
}

/** The stored code of a kind the catalog does not have: its words, marked. */
export const UNLISTED_PREFIX = "?";

type MatchedKind = { code: string; label: string; inCatalog: boolean };

export type KindMatcher = (label: unknown) => MatchedKind | null;

export function kindMatcher(types: ModelType[]): KindMatcher {
  const byKey = new Map<string, ModelType>();
  for (const t of types) {
    for (const name of [t.label, ...t.aliases, t.code]) {
      const key = modelKey(name);
      if (key && !byKey.has(key)) byKey.set(key, t);
    }
  }
  return (label) => {
    const key = modelKey(label);
    if (!key) return null;
    const known = byKey.get(key);
    if (known) return { code: known.code, label: known.label, inCatalog: true };
    return { code: `${UNLISTED_PREFIX}${key}`, label: String(label).trim().replace(/\s+/g, " "), inCatalog: false };
  };
}

/** Names two kinds of one catalog share (after folding): each would match either kind. */
export function sharedNames(types: ModelType[]): { code: string; other: string; name: string }[] {
  const owner = new Map<string, string>();
  const out: { code: string; other: string; name: string }[] = [];
  for (const t of types) {
    for (const name of [t.label, ...t.aliases]) {
      const key = modelKey(name);
      const other = owner.get(key);
      if (other && other !== t.code) out.push({ code: t.code, other, name });
      else owner.set(key, t.code);
    }
  }
  return out;
}
