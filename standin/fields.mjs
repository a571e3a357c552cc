// @ts-check
/**
 * Google's partial responses: the `fields` mask of a request (`kind,id`, `capabilities(canEdit)`,
 * `capabilities/canEdit`, `sheets.properties(title)`, `nextPageToken,files(id,name)`, `*`) applied to an answer. A mask inside parentheses or
 * after a slash applies to the field's own fields, and to each element of a list; fields keep the answer's order.
 */

/** What Drive gives of a file when `fields` is not given. */
export const DRIVE_DEFAULT_FIELDS = "kind,id,name,mimeType";

/** @typedef {Map<string, Mask | null>} Mask  each field asked for, with the mask of its own fields (null: all of them) */

/**
 * The answer with only the fields asked for; the whole answer without a mask or for `*`.
 * @param {unknown} body @param {string | null} fields @returns {unknown}
 */
export function pickFields(body, fields) {
  if (!fields || fields === "*") return body;
  return apply(body, parseMask(fields));
}

/** @param {unknown} value @param {Mask | null} mask @returns {unknown} */
function apply(value, mask) {
  if (mask === null || mask.has("*")) return value;
  if (Array.isArray(value)) return value.map((item) => apply(item, mask));
  // A mask on a plain value (a string, a number) leaves it as it is.
  if (!value || typeof value !== "object") return value;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = mask.get(key);
    if (sub !== undefined) out[key] = apply(inner, sub);
  }
  return out;
}

/** @param {string} text @returns {Mask} */
function parseMask(text) {
  let at = 0;
  /** The fields of a list, up to its closing parenthesis or the end. @returns {Mask} */
  const list = () => {
    /** @type {Mask} */
    const mask = new Map();
    while (at < text.length && text[at] !== ")") {
      if (text[at] === ",") at++;
      else field(mask);
    }
    return mask;
  };
  /** One field, with what follows it: `name`, `name(…)` or `name/…`. @param {Mask} mask */
  const field = (mask) => {
    const start = at;
    while (at < text.length && !",()/.".includes(text[at] ?? "")) at++;
    const name = text.slice(start, at).trim();
    /** @type {Mask | null} */
    let sub = null;
    if (text[at] === "(") {
      at++;
      sub = list();
      at++;
    } else if (text[at] === "/" || text[at] === ".") {
      at++;
      sub = new Map();
      field(sub);
    }
    if (name) add(mask, name, sub);
  };
  return list();
}

/** `a/b,a/c` asks for both of `a`'s fields; `a` alone asks for all of them. @param {Mask} mask @param {string} name @param {Mask | null} sub */
function add(mask, name, sub) {
  const known = mask.get(name);
  if (known === undefined) mask.set(name, sub);
  else if (known === null || sub === null) mask.set(name, null);
  else for (const [k, v] of sub) add(known, k, v);
}
