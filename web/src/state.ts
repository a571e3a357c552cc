/**
 * Shared state: the route (the URL's query holds the whole view, so every screen is a deep link), the meta the
 * page starts from, and a clock that makes open views re-ask the API — cheap, since unchanged answers are 304s.
 */
import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { Meta } from "./api";

export type View =
  | "overview"
  | "indicator"
  | "commune"
  | "quality"
  | "sync"
  | "conference"
  | "report"
  | "admin"
  | "models";
const VIEWS: View[] = [
  "overview",
  "indicator",
  "commune",
  "quality",
  "sync",
  "conference",
  "report",
  "admin",
  "models",
];

export type Route = {
  view: View;
  unit: string | null;
  period: string | null;
  /** "" means no comparison; null the default (same period a year earlier). */
  compare: string | null;
  indicator: string | null;
  commune: string | null;
  conference: number | null;
  /** The administration page open under “Quản trị”. */
  task: string | null;
  /** The kind of model open on the models page (PRODUCT.md §15). */
  kind: string | null;
};

const KEYS = ["unit", "period", "compare", "indicator", "commune", "conference", "task", "kind"] as const;

function parse(search: string): Route {
  const q = new URLSearchParams(search);
  const view = q.get("view") as View | null;
  const conference = Number(q.get("conference"));
  return {
    view: view && VIEWS.includes(view) ? view : "overview",
    unit: q.get("unit"),
    period: q.get("period"),
    compare: q.get("compare"),
    indicator: q.get("indicator"),
    commune: q.get("commune"),
    conference: Number.isInteger(conference) && conference > 0 ? conference : null,
    task: q.get("task"),
    kind: q.get("kind"),
  };
}

export function hrefOf(route: Route): string {
  const q = new URLSearchParams();
  if (route.view !== "overview") q.set("view", route.view);
  for (const k of KEYS) {
    const v = route[k];
    if (v !== null && v !== undefined) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `/?${s}` : "/";
}

export const route = signal<Route>(parse(location.search));
export const meta = signal<Meta | null>(null);
export const tick = signal(0);

export function navigate(change: Partial<Route>, replace = false): void {
  const next = { ...route.value, ...change };
  const href = hrefOf(next);
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route.value = next;
  if (!replace) window.scrollTo(0, 0);
}

addEventListener("popstate", () => (route.value = parse(location.search)));

/** Live figures: an open page re-asks every 30 s (and when it comes back into view), so a sync shows within a minute. */
const REFRESH_MS = 30_000;
setInterval(() => {
  if (document.visibilityState === "visible") tick.value++;
}, REFRESH_MS);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") tick.value++;
});

export type Loaded<T> = { data: T | null; error: string | null; loading: boolean };

/**
 * Loads `load()` when `key` changes and again on every tick; keeps the last data while refreshing, so a refresh
 * never blanks the screen. A failed refresh keeps the old figures and shows the error beside them.
 */
export function useLoad<T>(load: (() => Promise<T>) | null, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key: string }>({ data: null, error: null, loading: true, key });
  const t = tick.value;
  useEffect(() => {
    if (!load) return;
    let live = true;
    if (state.key !== key) setState({ data: null, error: null, loading: true, key });
    load().then(
      (data) => live && setState({ data, error: null, loading: false, key }),
      (e: Error) =>
        live && setState((s) => ({ data: s.key === key ? s.data : null, error: e.message, loading: false, key })),
    );
    return () => {
      live = false;
    };
  }, [key, t, load === null]);
  if (!load) return { data: null, error: null, loading: false };
  return state.key === key ? state : { data: null, error: null, loading: true };
}
