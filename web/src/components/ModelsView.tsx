/**
 * Models by kind (PRODUCT.md §15): the unit's kinds of model by points as bars, how many kinds and points in all,
 * and the communes without a list or running none. Tapping a kind shows, above the bars (the page goes back to its
 * top), the communes (a country: the provinces) running it with their points, and those running none of it.
 */
import { formatExact } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { fetchModels, type Scope } from "../api";
import { route, useLoad } from "../state";
import { Link, Status } from "./common";

type Answer = Awaited<ReturnType<typeof fetchModels>>;
type Models = Extract<Answer, { kinds: unknown }>;
type Kind = Models["kinds"][number];
type Named = { code: string; name: string };

const n = formatExact;

function KindBars({ kinds, open }: { kinds: Kind[]; open: string | null }) {
  const max = Math.max(0, ...kinds.map((k) => k.points));
  return (
    <ol class="bars models-bars">
      {kinds.map((k) => (
        <li key={k.code} class={k.code === open ? "bar-row open" : "bar-row"} data-kind={k.code}>
          <Link to={{ kind: k.code === open ? null : k.code }} class="bar-name" current={k.code === open}>
            {k.label}
            {!k.inCatalog && <span class="unlisted"> (chưa có trong danh mục)</span>}
          </Link>
          <svg class="bar" aria-hidden="true" focusable="false">
            {max > 0 && <rect x="0" y="2" height="14" width={`${(100 * k.points) / max}%`} />}
          </svg>
          <span class="bar-value">
            {n(k.points)} điểm · {n(k.communes)} xã
          </span>
        </li>
      ))}
    </ol>
  );
}

function Names({ units, commune }: { units: Named[]; commune: boolean }) {
  return (
    <ul class="models-units">
      {units.map((u) => (
        <li key={u.code} data-unit={u.code}>
          {commune ? <Link to={{ view: "commune", commune: u.code }}>{u.name}</Link> : u.name}
        </li>
      ))}
    </ul>
  );
}

/** One kind: who runs it (points each) and who does not, one level down. */
function KindDetail({ scope, kind }: { scope: Scope; kind: string }) {
  const state = useLoad(() => fetchModels(scope, kind), JSON.stringify([scope.unit, scope.period, kind]));
  const k = state.data && "kind" in state.data ? state.data.kind : null;
  const below = scope.unit === "VN" ? "tỉnh" : "xã";
  return (
    <section class="models-kind" aria-labelledby="models-kind-title">
      <Status state={state} what="danh sách xã của loại mô hình" />
      {k && (
        <>
          <h2 id="models-kind-title">{k.label}</h2>
          <p>
            {n(k.points)} điểm ở {n(k.communes)} xã. <Link to={{ kind: null }}>Đóng</Link>
          </p>
          <h3>
            {below === "xã" ? "Xã" : "Tỉnh"} duy trì mô hình này ({n(k.running.length)})
          </h3>
          <ol class="models-running">
            {k.running.map((u) => (
              <li key={u.code} data-unit={u.code}>
                <span>{u.name}</span> <span class="num">{n(u.points)} điểm</span>
              </li>
            ))}
          </ol>
          <h3>
            {below === "xã" ? "Xã" : "Tỉnh"} chưa có mô hình này ({n(k.without.length)})
          </h3>
          {k.without.length ? <Names units={k.without} commune={below === "xã"} /> : <p>Không có.</p>}
        </>
      )}
    </section>
  );
}

export function ModelsView({ scope }: { scope: Scope }) {
  const state = useLoad(() => fetchModels(scope, null), JSON.stringify([scope.unit, scope.period]));
  const m = state.data && "kinds" in state.data ? state.data : null;
  const open = route.value.kind;
  return (
    <section aria-labelledby="models-title" class="models">
      <h1 id="models-title">
        Mô hình tự quản theo loại{m ? ` — ${m.unit.name}` : ""}, {periodLabel(scope.period)}
      </h1>
      <Status state={state} what="mô hình theo loại" />
      {m && (
        <>
          <p class="models-lead">
            <strong>{n(m.distinctKinds)}</strong> loại mô hình với <strong>{n(m.points)}</strong> điểm, theo danh sách
            của {n(m.reportingCommunes)}/{n(m.expectedCommunes)} xã.
          </p>
          {open && <KindDetail scope={scope} kind={open} />}
          {m.kinds.length === 0 ? (
            <p>Chưa xã nào gửi danh sách mô hình theo loại cho kỳ này (trang “Mô hình” trong bảng tính của xã).</p>
          ) : (
            <>
              <p class="hint">Chạm vào một loại để xem các xã đang duy trì và các xã chưa có.</p>
              <KindBars kinds={m.kinds} open={open} />
            </>
          )}
          {m.withoutList !== null && (
            <>
              <h2>Xã chưa có danh sách mô hình ({n(m.withoutList.length)})</h2>
              {m.withoutList.length ? <Names units={m.withoutList} commune /> : <p>Xã nào cũng đã có danh sách.</p>}
            </>
          )}
          {m.runningNone !== null && m.runningNone.length > 0 && (
            <>
              <h2>Xã không duy trì mô hình nào ({n(m.runningNone.length)})</h2>
              <Names units={m.runningNone} commune />
            </>
          )}
          {m.withoutList === null && (
            <p>
              {n(m.expectedCommunes - m.reportingCommunes)} xã chưa có danh sách mô hình;{" "}
              {n(m.reportingCommunes - m.runningCommunes)} xã có danh sách nhưng không duy trì mô hình nào.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * The models line of conference mode: how many kinds with how many points, and the main kinds. The models roll-ups
 * are live, so beside frozen figures the line says it is live.
 */
export function ModelsLine({ scope, frozen }: { scope: Scope; frozen: boolean }) {
  const state = useLoad(() => fetchModels(scope, null), JSON.stringify(["line", scope.unit, scope.period]));
  const m = state.data && "kinds" in state.data ? state.data : null;
  if (!m || m.kinds.length === 0) return null;
  const top = m.kinds.slice(0, 3);
  return (
    <p class="conf-models">
      Mô hình tự quản: <strong>{n(m.distinctKinds)} loại</strong> với <strong>{n(m.points)} điểm</strong>, tiêu biểu:{" "}
      {top.map((k, i) => (
        <span key={k.code}>
          {i > 0 && "; "}
          {k.label} ({n(k.points)} điểm)
        </span>
      ))}
      {frozen && <span class="muted"> — theo danh sách hiện nay, không thuộc số liệu đã chốt</span>}{" "}
      <Link to={{ view: "models", conference: null }}>Xem theo loại</Link>
    </p>
  );
}
