/**
 * Matching a row or column heading to a catalog indicator: by code first, else by label, compared folded
 * (no case, diacritics, punctuation, spacing) with the short forms clerks use (ANTT, ANTQ, BV, CA, TDP…).
 */
import type { Indicator } from "../reference/catalog";
import { foldText } from "./text";

const SHORT_FORMS: Record<string, string> = {
  antt: "an ninh trat tu",
  antq: "an ninh to quoc",
  bv: "bao ve",
  bvan: "bao ve an ninh",
  ca: "cong an",
  tdp: "to dan pho",
  kdc: "khu dan cu",
  dn: "doanh nghiep",
  cq: "co quan",
  csgd: "co so giao duc",
  tv: "thanh vien",
  sl: "so luong",
  clb: "cau lac bo",
  tg: "tham gia",
};
const FILLER = new Set(["so", "luong", "cac", "loai", "duoc", "o", "co", "so"]);

/** A label reduced to its meaningful words, short forms expanded. */
export function labelKey(label: unknown): string[] {
  const words = foldText(label)
    .split(" ")
    .flatMap((w) => (SHORT_FORMS[w] ?? w).split(" "))
    .filter((w) => w && !FILLER.has(w));
  return words;
}

export type IndicatorMatcher = (code: unknown, label: unknown) => Indicator | null;

export function indicatorMatcher(catalog: Indicator[]): IndicatorMatcher {
  const byCode = new Map(catalog.map((i) => [i.code, i]));
  const keyed = catalog.map((i) => ({ indicator: i, key: labelKey(i.label), joined: labelKey(i.label).join(" ") }));
  const byKey = new Map(keyed.map((k) => [k.joined, k.indicator]));
  return (code, label) => {
    const c = String(code ?? "").trim();
    const known = c ? byCode.get(c) : undefined;
    if (known) return known;
    const key = labelKey(label);
    if (key.length === 0) return null;
    const joined = key.join(" ");
    const exact = byKey.get(joined) ?? byKey.get(labelKey(code).join(" "));
    if (exact) return exact;
    // A shortened label: the catalog label that starts with it, else the one that contains it with fewest extra words.
    // Failing that, the label whose words contain the heading's words in order (“Số khu dân cư an toàn”).
    let best: { indicator: Indicator; score: number } | null = null;
    for (const k of keyed) {
      if (key.length < 2) continue;
      const at = ` ${k.joined} `.indexOf(` ${joined} `);
      const score =
        at >= 0
          ? (at === 0 ? 0 : 100) + (k.key.length - key.length)
          : inOrder(key, k.key)
            ? 200 + (k.key.length - key.length)
            : -1;
      if (score >= 0 && (!best || score < best.score)) best = { indicator: k.indicator, score };
    }
    return best?.indicator ?? null;
  };
}

function inOrder(words: string[], within: string[]): boolean {
  let i = 0;
  for (const w of within) if (w === words[i]) i++;
  return i === words.length;
}
