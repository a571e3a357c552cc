import { useEffect, useState } from "preact/hooks";
import { readerLabel } from "../../../domain/indicators";
import { formatIndicator } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { formatDateTime } from "../../../domain/time";
import { isCommuneKind } from "../../../domain/units";
import {
  type Conference,
  fetchConferences,
  fetchSummary,
  freezeConference,
  reportDocxUrl,
  type Scope,
  type SummaryIndicator,
} from "../api";
import { meta, navigate, route, tick, useLoad } from "../state";
import { Link, Status } from "./common";
import { ModelsLine } from "./ModelsView";
import { FigureComparison, StaleNote } from "./Overview";

/**
 * The conference to show: the one in the URL, else the period's latest frozen one, else its latest one; a conference
 * of another period is never shown for the period being viewed.
 */
function pick(list: Conference[] | undefined, id: number | null, period: string): Conference | null {
  if (!list) return null;
  if (id !== null) return list.find((c) => c.id === id) ?? null;
  const newest = list
    .filter((c) => c.period === period)
    .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return newest.find((c) => c.frozenAt) ?? newest[0] ?? null;
}

function Spotlight({
  figure,
  live,
  compare,
  oneCommune,
}: {
  figure: SummaryIndicator;
  live: SummaryIndicator | undefined;
  compare: string | null;
  oneCommune: boolean;
}) {
  const liveDiffers =
    live &&
    (live.value !== figure.value || live.approximate !== figure.approximate || live.reporting !== figure.reporting);
  return (
    <div class="spotlight" data-indicator={figure.code} aria-live="polite">
      <p class="spot-label">{readerLabel(figure.label)}</p>
      <p class="spot-value">
        <strong class="frozen-value">{formatIndicator(figure, oneCommune)}</strong>
        {figure.value !== null && figure.kind !== "ratio" && figure.kind !== "flag" && (
          <span class="spot-unit"> {figure.unit}</span>
        )}
      </p>
      {compare && (
        <p class="spot-compare">
          <FigureComparison figure={figure} compare={compare} oneCommune={oneCommune} />
        </p>
      )}
      {liveDiffers && (
        <p class="spot-live">
          Số liệu trực tiếp hiện nay: <span class="live-value">{formatIndicator(live, oneCommune)}</span>
        </p>
      )}
    </div>
  );
}

/**
 * Conference mode: full screen, large type, the frozen snapshot's figures and its time, one key figure at a time.
 * Without a conference it projects the live figures of the unit and period being viewed, saying they are not frozen.
 */
export function ConferenceView({ scope }: { scope: Scope }) {
  const list = useLoad(() => fetchConferences(scope.unit), `conf:${scope.unit}`);
  const wanted = route.value.conference;
  const conf = pick(list.data?.conferences, wanted, scope.period);
  // No conference to show (none created, or the one asked for is not there): the live figures, said as such.
  const liveOnly = Boolean(list.data && !conf);
  const frozenScope: Scope | null = conf
    ? { unit: conf.unitCode, period: conf.period, compare: conf.comparePeriod ?? undefined, conference: conf.id }
    : list.error && wanted
      ? { ...scope, conference: wanted }
      : liveOnly
        ? { ...scope, conference: null }
        : null;
  const key = JSON.stringify(frozenScope);
  const frozen = useLoad(frozenScope ? () => fetchSummary(frozenScope) : null, key);
  const liveScope = frozenScope && !liveOnly ? { ...frozenScope, conference: null } : null;
  const live = useLoad(liveScope ? () => fetchSummary(liveScope) : null, `live:${key}`);
  const [step, setStep] = useState(0);
  const [freezeError, setFreezeError] = useState<string | null>(null);

  // The speech's figures first, in its order; then the others in the catalog's.
  const figures = (frozen.data?.indicators.filter((i) => i.value !== null) ?? []).sort(
    (a, b) => (a.headline ?? Number.MAX_SAFE_INTEGER) - (b.headline ?? Number.MAX_SAFE_INTEGER),
  );
  const count = figures.length;
  const at = count ? Math.min(step, count - 1) : 0;
  const current = figures[at];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
      // Space on a focused button or link presses it; it must not also step.
      if (e.key === " " && e.target instanceof Element && e.target.closest("button, a")) return;
      if (["ArrowRight", "PageDown", " "].includes(e.key)) setStep((s) => Math.min(s + 1, Math.max(count - 1, 0)));
      else if (["ArrowLeft", "PageUp"].includes(e.key)) setStep((s) => Math.max(s - 1, 0));
      else if (e.key === "Home") setStep(0);
      else if (e.key === "End") setStep(Math.max(count - 1, 0));
      else return;
      e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [count]);

  const s = frozen.data;
  const oneCommune = s ? isCommuneKind(s.unit.kind) : false;
  const liveOf = (code: string) => live.data?.indicators.find((i) => i.code === code);
  return (
    <section class="conference" aria-labelledby="conference-title">
      <div class="conf-bar">
        <Link to={{ view: "overview", conference: null }}>Thoát chế độ hội nghị</Link>
        {conf && <Link to={{ view: "report", conference: conf.id }}>Báo cáo để in (số liệu hội nghị)</Link>}
        {frozenScope && (
          <a href={reportDocxUrl(frozenScope)} download>
            Tải bản Word (.docx)
          </a>
        )}
        <button type="button" onClick={() => document.documentElement.requestFullscreen?.().catch(() => {})}>
          Toàn màn hình
        </button>
        {list.data && list.data.conferences.length > 1 && (
          <label>
            Hội nghị
            <select
              value={conf?.id ?? ""}
              onChange={(e) => {
                setStep(0);
                navigate({ conference: Number(e.currentTarget.value) }, true);
              }}
            >
              {list.data.conferences.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <h1 id="conference-title">
        {conf?.title ?? s?.conference?.title ?? (liveOnly ? "Phong trào Toàn dân bảo vệ an ninh Tổ quốc" : "Hội nghị")}
      </h1>
      <Status state={list} what="danh sách hội nghị" />
      {liveOnly && (
        <p class="live-notice">
          {wanted ? "Không tìm thấy hội nghị này" : "Chưa có hội nghị nào cho đơn vị này"}, nên đang chiếu số liệu trực
          tiếp: số liệu chưa được chốt và có thể thay đổi khi các xã cập nhật bảng tính.{" "}
          {meta.value?.principal.role === "admin" ? (
            <Link to={{ view: "admin", task: "conferences" }}>Tạo hội nghị và chốt số liệu ở trang Quản trị</Link>
          ) : (
            "Quản trị viên tạo hội nghị và chốt số liệu trước khi họp."
          )}
        </p>
      )}
      {conf && !conf.frozenAt && meta.value?.principal.role === "admin" && (
        <p>
          <button
            type="button"
            onClick={() =>
              freezeConference(conf.id).then(
                () => {
                  setFreezeError(null);
                  tick.value++;
                },
                (e: Error) => setFreezeError(e.message),
              )
            }
          >
            Chốt số liệu cho hội nghị
          </button>
          {freezeError && (
            <span role="alert" class="error">
              {freezeError}
            </span>
          )}
        </p>
      )}
      <Status state={frozen} what="số liệu hội nghị" />
      {s && (
        <>
          <p class="conf-meta">
            {s.unit.name} · {periodLabel(s.period)} ·{" "}
            <span class="as-of">
              {s.frozen && s.asOf
                ? `Số liệu chốt lúc ${formatDateTime(s.asOf)}`
                : `Số liệu trực tiếp, chưa chốt${s.asOf ? ` — cập nhật lúc ${formatDateTime(s.asOf)}` : ""}`}
            </span>
            {!oneCommune && (
              <>
                {" "}
                · {s.coverage.reported}/{s.coverage.expected} xã đã báo cáo
                {s.coverage.rejected > 0 && ` · ${s.coverage.rejected} xã có số liệu lỗi — cần sửa`}
              </>
            )}
          </p>
          <StaleNote summary={s} />
          <ModelsLine scope={{ unit: s.unit.code, period: s.period }} frozen={s.frozen} />
          {current === undefined ? (
            <p>Chưa có số liệu cho kỳ này.</p>
          ) : (
            <>
              <Spotlight
                figure={current}
                live={s.frozen ? liveOf(current.code) : undefined}
                compare={conf && !conf.comparePeriod ? null : s.compare}
                oneCommune={oneCommune}
              />
              <div class="stepper">
                <button type="button" onClick={() => setStep(Math.max(at - 1, 0))} disabled={at === 0}>
                  ← Trước
                </button>
                <span>
                  {at + 1}/{count}
                </span>
                <button type="button" onClick={() => setStep(Math.min(at + 1, count - 1))} disabled={at === count - 1}>
                  Tiếp →
                </button>
              </div>
              <ol class="conf-all">
                {figures.map((f, i) => (
                  <li key={f.code} data-indicator={f.code} class={i === at ? "current" : undefined}>
                    <button type="button" onClick={() => setStep(i)} aria-current={i === at ? "step" : undefined}>
                      <span class="figure-label">{readerLabel(f.label)}</span>{" "}
                      <strong class="frozen-value">{formatIndicator(f, oneCommune)}</strong>
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </section>
  );
}
