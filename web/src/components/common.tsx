import type { ComponentChildren, ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { IndicatorKind } from "../../../domain/indicators";
import { formatChange, formatFigure } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import type { Loaded } from "../state";
import { hrefOf, navigate, type Route, route } from "../state";

/** A real link (keyboard, new tab, copyable) that moves within the page without a reload. */
export function Link(props: {
  to: Partial<Route>;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
  title?: string;
}) {
  const { to, children, class: cls, current, title } = props;
  const href = hrefOf({ ...route.value, ...to });
  return (
    <a
      href={href}
      class={cls}
      title={title}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** Loading and error states in Vietnamese around a view's data; the old data stays visible during a refresh. */
export function Status({ state, what }: { state: Loaded<unknown>; what: string }) {
  if (state.error)
    return (
      <p role="alert" class="error">
        Không tải được {what}: {state.error}
      </p>
    );
  if (state.loading && !state.data)
    return (
      <p class="loading" role="status">
        Đang tải {what}…
      </p>
    );
  return null;
}

/** A view loaded only when first opened (heavy views stay out of the first download). */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [C, setC] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!C)
        load().then(
          (c) => setC(() => (loaded = c)),
          () => setFailed(true),
        );
    }, []);
    if (failed)
      return (
        <p role="alert" class="error">
          Không tải được phần này của trang. Hãy tải lại trang.
        </p>
      );
    return C ? (
      <C {...props} />
    ) : (
      <p class="loading" role="status">
        Đang tải…
      </p>
    );
  };
}

/** The head of a figures table: what the rows are, the period, and (with a comparison) the earlier period and the change. */
export function FiguresHead({ rows, period, compare }: { rows: string; period: string; compare: string | null }) {
  return (
    <thead>
      <tr>
        <th scope="col">{rows}</th>
        <th scope="col" class="num">
          {periodLabel(period)}
        </th>
        {compare && (
          <th scope="col" class="num">
            {periodLabel(compare)}
          </th>
        )}
        {compare && (
          <th scope="col" class="num wide-only">
            Thay đổi
          </th>
        )}
      </tr>
    </thead>
  );
}

/** A figure fed by a sheet left in another locale, where Google may have stored “5.000” as 5 (PRODUCT.md §4). */
export function Doubtful() {
  return (
    <span
      class="tag doubtful"
      title="Có bảng tính không đặt ngôn ngữ Việt Nam: Google có thể đã lưu “5.000” thành 5. Xem mục Chất lượng số liệu."
    >
      Có số có thể đọc sai
    </span>
  );
}

/** What a figure is compared by: the full totals, and the like-for-like pair over the communes that have both. */
type Compared = {
  kind: IndicatorKind;
  value: number | null;
  previous: number | null;
  reporting: number;
  comparable: { value: number; previous: number; communes: number } | null;
};

/** The change over the same communes, with how many when that is not every commune reporting; null when none has both. */
export function likeForLike(f: Compared): string | null {
  const c = f.comparable;
  if (!c) return null;
  const change = formatChange(c.value, c.previous, f.kind);
  if (change === null) return null;
  return c.communes === f.reporting ? change : `${change} (cùng ${c.communes} xã)`;
}

/**
 * The comparison line of a figure (PRODUCT.md §10, like for like): “Năm 2024: 4.918 (+8,7%)” when the same communes
 * reported both periods; “So với năm 2024, cùng 144 xã: 4.861 → 5.290 (+8,8%)” when only some did; and no change at
 * all, said so, when no commune has both.
 */
export function Comparison({
  figure,
  compare,
}: {
  figure: Compared & { previousReporting?: number };
  compare: string;
}) {
  const { kind, comparable: c } = figure;
  const label = periodLabel(compare);
  if (figure.previous === null) return <span class="figure-compare">{label}: Chưa có số liệu</span>;
  if (!c) {
    return <span class="figure-compare">{label}: chưa so sánh được — không xã nào có số liệu cả hai kỳ</span>;
  }
  const change = formatChange(c.value, c.previous, kind);
  const tone = change && /^\+/.test(change) ? "up" : change && /^[-−]/.test(change) ? "down" : "";
  const shown = change && (
    <>
      {" "}
      <span class={`change ${tone}`}>({change})</span>
    </>
  );
  const whole = c.communes === figure.reporting && c.communes === (figure.previousReporting ?? c.communes);
  if (whole) {
    return (
      <span class="figure-compare">
        {label}: {formatFigure(figure.previous, kind)}
        {shown}
      </span>
    );
  }
  return (
    <span class="figure-compare">
      So với {label.charAt(0).toLowerCase() + label.slice(1)}, cùng {c.communes} xã: {formatFigure(c.previous, kind)} →{" "}
      {formatFigure(c.value, kind)}
      {shown}
    </span>
  );
}

/**
 * A commune without a figure, said as what the province must do about it: one whose cells were all rejected did report
 * and its sheet needs fixing; only one that sent nothing has not reported (`GET /api/breakdown`, `/api/coverage/silent`).
 */
export const NO_FIGURE: Record<"error" | "missing", string> = {
  error: "Có số liệu lỗi — cần sửa",
  missing: "Chưa báo cáo",
};
