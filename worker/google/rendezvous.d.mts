/** Types of rendezvous.mjs (plain JavaScript, shared with the Node tooling). */
export function accountIndexFor(emails: readonly string[], spreadsheetId: string): number;
export function sortedEmails(emails: readonly string[]): string[];
