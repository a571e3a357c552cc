/** What the end-to-end tests share: the API as a script sees it, the fixture sheets, and vi-VN formatting as a reader checks it. */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const OUTPUT_DIR = join(import.meta.dirname, "..", "output");

/**
 * What these tests read of the API's answers. The Worker's own types (`AppType`) belong to another TypeScript
 * project, so the fields used here are said here.
 */
export type Meta = { defaultUnit: string; defaultPeriod: string };
type Indicator = {
  code: string;
  kind: string;
  value: number | null;
  previous: number | null;
  approximate: boolean;
  headline: number | null;
  reporting: number;
  previousReporting: number;
  comparable: { value: number; previous: number; communes: number } | null;
};
export type Summary = {
  indicators: Indicator[];
  coverage: { expected: number; reported: number; rejected: number; late: number; timelinessUnknown: number };
};
export type Breakdown = {
  rows: {
    unit: { code: string; name: string };
    value: number | null;
    approximate: boolean;
    status: "reported" | "missing";
  }[];
};
export type Conference = {
  id: number;
  title: string;
  unitCode: string;
  startsAt: string;
  windowHours: number;
  frozenAt: string | null;
};

/** An answer of the API; `T` says what it is, as the route sends it. */
export async function api<T = unknown>(url: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url + path, init);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const postApi = <T = unknown>(url: string, path: string, body?: unknown) =>
  api<T>(url, path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Starts a manual sync (waiting out the rate limit if another test just synced) and waits until it has finished. */
export async function syncAndWait(url: string): Promise<{ id: number; status: string }> {
  let res = await fetch(`${url}/api/sync`, { method: "POST" });
  for (let i = 0; i < 20 && res.status === 429; i++) {
    await new Promise((r) => setTimeout(r, 1000 * Math.min(Number(res.headers.get("retry-after") ?? 1), 5)));
    res = await fetch(`${url}/api/sync`, { method: "POST" });
  }
  if (!res.ok) throw new Error(`sync: ${res.status} ${await res.text()}`);
  let run = ((await res.json()) as { run: { id: number; status: string } }).run;
  for (let i = 0; i < 240 && run.status === "running"; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const { runs } = await api<{ runs: { id: number; status: string }[] }>(url, "/api/sync/runs");
    run = runs.find((r) => r.id === run.id) ?? run;
  }
  return run;
}

export type FixtureSheet = { unitCode: string; path: string; original: string };

/** The readable form sheets of a §8 folder, in sources.csv order. */
export async function readableSheets(dir: string): Promise<FixtureSheet[]> {
  const lines = (await readFile(join(dir, "sources.csv"), "utf8")).trim().split("\n").slice(1);
  const out: FixtureSheet[] = [];
  for (const line of lines) {
    const [unitCode, sheet, , layout] = line.split(",");
    if (layout !== "form") continue;
    const id = /\/d\/([^/]+)/.exec(sheet!)?.[1] ?? sheet!;
    const path = join(dir, `${id}.json`);
    const original = await readFile(path, "utf8");
    if (JSON.parse(original).access === "ok") out.push({ unitCode: unitCode!, path, original });
  }
  return out;
}

/** How a reader expects a figure: vi-VN digits, “%” for ratios, “khoảng” when approximate, words when missing. */
export function expectedFigure(value: number | null, kind: string, approximate = false): string {
  if (value === null) return "Chưa có số liệu";
  const n = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: kind === "ratio" ? 1 : 2 }).format(value);
  return (approximate ? "khoảng " : "") + n + (kind === "ratio" ? "%" : "");
}

/** How a reader expects a yes/no indicator: “121/144 xã đạt” over communes, “Đạt” / “Chưa đạt” for one commune. */
export function expectedFlag(value: number | null, reporting: number, oneCommune: boolean): string {
  if (value === null) return "Chưa có số liệu";
  if (oneCommune) return value ? "Đạt" : "Chưa đạt";
  const vi = new Intl.NumberFormat("vi-VN");
  return `${vi.format(value)}/${vi.format(reporting)} xã đạt`;
}

export async function screenshotPath(name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, name);
}
