// @ts-check
/**
 * Which service account reads a spreadsheet (PRODUCT.md §6 “several service accounts”): rendezvous hashing of the
 * spreadsheet id with each account's email, the highest hash wins (the first on a tie). Plain JavaScript, so that the
 * Worker and the Node tooling (`npm run sheets -- provision`, which shares each sheet with its account) agree.
 */

const encoder = new TextEncoder();

/** 32-bit FNV-1a with murmur3's finaliser: cheap, stable across runtimes, and well spread. @param {string} text */
function hash32(text) {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The index of the email (of a list sorted by email) that reads `spreadsheetId`.
 * @param {readonly string[]} emails @param {string} spreadsheetId @returns {number}
 */
export function accountIndexFor(emails, spreadsheetId) {
  let best = 0;
  let bestHash = -1;
  for (const [i, email] of emails.entries()) {
    const h = hash32(`${email.toLowerCase()}\n${spreadsheetId}`);
    if (h > bestHash) {
      best = i;
      bestHash = h;
    }
  }
  return best;
}

/**
 * The emails sorted as the Worker sorts its accounts (by lower-cased email).
 * @param {readonly string[]} emails @returns {string[]}
 */
export function sortedEmails(emails) {
  return [...emails].sort((a, b) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
  );
}
