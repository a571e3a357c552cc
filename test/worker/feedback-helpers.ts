/** Reading the check results the sync writes back into a sheet (SHEETS_FEEDBACK), as Google answers them. */
import { env } from "cloudflare:workers";
import { GoogleClient } from "../../worker/google/client";
import { runSync } from "../../worker/sync/run";

export const withFeedback = { ...env, SHEETS_FEEDBACK: "true" };

/** A run that writes its check results back into the sheets it reads. */
export const syncWithFeedback = () => runSync(withFeedback, { trigger: "manual", google: { sleep: async () => {} } });

/** The feedback tab as Google answers it, or null when the sheet has none. */
export async function feedbackTab(id: string): Promise<string[][] | null> {
  const google = new GoogleClient(env, { readsPerMinute: 0 });
  const meta = await google.spreadsheet(id);
  if (!meta.sheets.some((s) => s.properties.title === "Kiểm tra số liệu")) return null;
  const [range] = await google.batchGet(id, ["'Kiểm tra số liệu'!A1:F100"]);
  return (range?.values ?? []) as string[][];
}

/**
 * The tab below its header lines: a section “Chốt số liệu” (each period's state), then the check results. `states`:
 * that section's lines; `checks`: what follows it.
 */
export function sections(tab: string[][] | null): { states: string[]; checks: string[][] } {
  const rows = tab?.slice(4) ?? [];
  if (rows[0]?.[0] !== "Chốt số liệu") return { states: [], checks: rows };
  const end = rows.findIndex((r, i) => i > 0 && !r.length);
  return { states: rows.slice(1, end).map((r) => r[0] ?? ""), checks: rows.slice(end + 1) };
}
