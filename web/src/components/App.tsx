import { useEffect, useState } from "preact/hooks";
import { parsePeriodCode, periodLabel, previousYearPeriod } from "../../../domain/periods";
import { fetchMeta, type Meta, type Scope } from "../api";
import { meta, navigate, route, type View } from "../state";
import { Link, lazyView } from "./common";
import { Overview } from "./Overview";

const IndicatorView = lazyView(() => import("./IndicatorView").then((m) => m.IndicatorView));
const CommuneView = lazyView(() => import("./CommuneView").then((m) => m.CommuneView));
const QualityView = lazyView(() => import("./QualityView").then((m) => m.QualityView));
const SyncView = lazyView(() => import("./SyncView").then((m) => m.SyncView));
const ConferenceView = lazyView(() => import("./ConferenceView").then((m) => m.ConferenceView));
const ReportView = lazyView(() => import("./ReportView").then((m) => m.ReportView));
const ModelsView = lazyView(() => import("./ModelsView").then((m) => m.ModelsView));
const AdminView = lazyView(() => import("./admin/AdminView").then((m) => m.AdminView));

const NAV: [View, string][] = [
  ["overview", "Tổng quan"],
  ["models", "Mô hình"],
  ["quality", "Lỗi cần sửa"],
  ["sync", "Đồng bộ"],
  ["conference", "Trình chiếu"],
  ["report", "Báo cáo in"],
];

/** The scope every view reads: the route's unit and period, or where the data starts. */
function currentScope(): Scope | null {
  const m = meta.value;
  const r = route.value;
  const unit = r.unit ?? m?.defaultUnit ?? null;
  const period = r.period ?? m?.defaultPeriod ?? null;
  if (!unit || !period) return null;
  return { unit, period, compare: r.compare || previousYearPeriod(period) };
}

/**
 * The periods to pick (PRODUCT.md §14): those with figures — built years, halves and nine months among them — and the
 * five-year phase to the latest year with figures (built when first asked for), the open one kept; newest end first,
 * the longer of two ending together first (“Giai đoạn 2021–2025”, “Năm 2025”, …, “9 tháng đầu năm 2025”).
 */
function pickerPeriods(periods: string[], open: string): string[] {
  const latest = Math.max(...periods.filter((p) => /^\d{4}$/.test(p)).map(Number));
  const phase = Number.isFinite(latest) ? [`${latest - 4}-${latest}`] : [];
  const dated = [...new Set([open, ...periods, ...phase])].map((code) => ({ code, p: parsePeriodCode(code) }));
  return dated
    .sort((a, b) =>
      a.p && b.p ? b.p.endsOn.localeCompare(a.p.endsOn) || a.p.startsOn.localeCompare(b.p.startsOn) : a.p ? -1 : 1,
    )
    .map((d) => d.code);
}

function Pickers({ m, scope }: { m: Meta; scope: Scope }) {
  const periods = pickerPeriods(m.periods, scope.period);
  const compares = [...new Set([previousYearPeriod(scope.period), ...periods])].filter(
    (p): p is string => p !== null && p !== scope.period,
  );
  return (
    <form class="pickers" onSubmit={(e) => e.preventDefault()} aria-label="Phạm vi số liệu">
      {m.provinces.length > 1 && (
        <label>
          Đơn vị
          <select value={scope.unit} onChange={(e) => navigate({ unit: e.currentTarget.value, commune: null })}>
            {m.provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Kỳ báo cáo
        <select value={scope.period} onChange={(e) => navigate({ period: e.currentTarget.value, compare: null })}>
          {periods.map((p) => (
            <option key={p} value={p}>
              {periodLabel(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        So sánh với
        <select value={scope.compare ?? ""} onChange={(e) => navigate({ compare: e.currentTarget.value })}>
          {compares.map((p) => (
            <option key={p} value={p}>
              {periodLabel(p)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

function Body({ scope }: { scope: Scope }) {
  switch (route.value.view) {
    case "indicator":
      return <IndicatorView scope={scope} />;
    case "commune":
      return <CommuneView scope={scope} />;
    case "quality":
      return <QualityView scope={scope} />;
    case "sync":
      return <SyncView />;
    case "conference":
      return <ConferenceView scope={scope} />;
    case "report":
      return <ReportView scope={scope} />;
    case "models":
      return <ModelsView scope={scope} />;
    default:
      return <Overview scope={scope} />;
  }
}

export function App() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchMeta().then(
      (m) => (meta.value = m),
      (e: Error) => setError(e.message),
    );
  }, []);
  const m = meta.value;
  const view = route.value.view;
  const scope = currentScope();
  const projector = view === "conference";
  // The administration pages have their own forms (and must work before any unit list exists).
  const admin = view === "admin" && m?.principal.role === "admin";

  return (
    <>
      {!projector && (
        <header class="top">
          <a class="skip" href="#main">
            Bỏ qua phần đầu trang
          </a>
          <p class="brand">Phong trào Toàn dân bảo vệ an ninh Tổ quốc</p>
          {m?.principal.via === "development" && <span class="badge-dev">Chế độ phát triển</span>}
          <nav aria-label="Các trang">
            <ul>
              {[...NAV, ...(m?.principal.role === "admin" ? ([["admin", "Quản trị"]] as [View, string][]) : [])].map(
                ([v, label]) => (
                  <li key={v}>
                    <Link to={{ view: v, task: null }} current={view === v}>
                      {label}
                    </Link>
                  </li>
                ),
              )}
            </ul>
          </nav>
        </header>
      )}
      <main id="main" class={projector ? "projector" : undefined}>
        {error && (
          <p role="alert" class="error">
            Không tải được trang: {error}
          </p>
        )}
        {!m && !error && (
          <p class="loading" role="status">
            Đang tải số liệu…
          </p>
        )}
        {admin && <AdminView />}
        {m && !admin && !scope && (
          <p>
            Chưa có số liệu: hãy nhập danh sách đơn vị và đăng ký bảng tính của các xã
            {m.principal.role === "admin" && (
              <>
                {" "}
                ở trang <Link to={{ view: "admin", task: "catalog" }}>Quản trị</Link>
              </>
            )}
            .
          </p>
        )}
        {m && !admin && scope && !projector && <Pickers m={m} scope={scope} />}
        {m && !admin && scope && <Body scope={scope} />}
      </main>
    </>
  );
}
