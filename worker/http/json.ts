/** How the API writes what the database keeps: every moment as an ISO 8601 string (UTC), or null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
