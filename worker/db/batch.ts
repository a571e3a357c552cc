import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";

/** D1 binds at most 100 parameters per statement: split rows so each insert stays under that. */
export function chunk<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(100 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Runs statements as one D1 batch (one transaction); an empty list does nothing. */
export async function runBatch(db: Db, statements: BatchItem<"sqlite">[]): Promise<void> {
  if (statements.length === 0) return;
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
