/**
 * “Duyệt số liệu” (PRODUCT.md §12): the communes of a province for a period grouped by state, searchable; the
 * submitted ones accepted all at once (after one question naming how many) or one by one; a submitted commune
 * returned, an accepted one reopened, each with a reason; an accepted commune's later sheet edits shown as
 * accepted value → sheet's value, never taking the accepted value's place.
 */
import { useState } from "preact/hooks";
import { type IndicatorKind, readerLabel } from "../../../../domain/indicators";
import { formatExact, formatIndicator } from "../../../../domain/numbers";
import { periodLabel } from "../../../../domain/periods";
import { formatDateTime } from "../../../../domain/time";
import { type Approval, acceptApprovals, fetchApprovals, moveApproval } from "../../api";
import { meta, navigate, route, tick, useLoad } from "../../state";
import { Link, Status } from "../common";
import {
  ConfirmDialog,
  Field,
  FormAlert,
  folded,
  invalid,
  Notice,
  type NoticeText,
  useRowAction,
  useSubmit,
} from "./form";

type State = Approval["state"];
const GROUPS: [State, string][] = [
  ["submitted", "Chờ duyệt"],
  ["accepted", "Đã duyệt"],
  ["returned", "Trả lại"],
  ["open", "Chưa chốt"],
];
type Filter = State | "all";

const nameOf = (a: Approval) => a.unitName ?? a.unitCode;

/** Who moved it and when: “05/12/2025 10:30 · cb.xa@…”. */
const byWhom = (at: string | null, by: string | null) =>
  [at ? formatDateTime(at) : null, by].filter((x): x is string => x !== null).join(" · ");

/** What happened to the commune's figures, each step with who and when. */
function History({ a }: { a: Approval }) {
  return (
    <ul class="approval-history">
      {a.submittedAt && (
        <li>
          Xã chốt: {byWhom(a.submittedAt, a.submittedBy)}
          {a.onTime !== null && (
            <span class={a.onTime ? "tag on-time" : "tag late"}>{a.onTime ? "đúng hạn" : "sau hạn"}</span>
          )}
        </li>
      )}
      {a.state === "accepted" && a.acceptedAt && <li>Tỉnh duyệt: {byWhom(a.acceptedAt, a.acceptedBy)}</li>}
      {a.state === "returned" && a.returnedAt && <li>Tỉnh trả lại: {byWhom(a.returnedAt, a.returnedBy)}</li>}
      {a.reason && (a.state === "returned" || a.state === "open") && <li class="approval-reason">Lý do: {a.reason}</li>}
    </ul>
  );
}

/** An accepted commune's sheet edited since: each figure as accepted → now in the sheet. */
function PendingChanges({ a }: { a: Approval }) {
  if (!a.pendingChanges.length) return null;
  const said = (kind: IndicatorKind, value: number | null) =>
    formatIndicator({ value, kind, approximate: false, reporting: 1 }, true);
  return (
    <div class="pending-changes">
      <p>Bảng tính đã sửa sau khi duyệt (chưa dùng, cần mở lại để nhận):</p>
      <ul>
        {a.pendingChanges.map((p) => (
          <li key={p.indicator} data-indicator={p.indicator}>
            {readerLabel(p.label)}: <span class="before">{said(p.kind, p.accepted)}</span> →{" "}
            <strong class="after">{p.latest === null ? "không còn số liệu" : said(p.kind, p.latest)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** “Trả lại” or “Mở lại”: the reason is required, the API's refusal said beside it. */
function ReasonForm(props: {
  a: Approval;
  period: string;
  move: "return" | "reopen";
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const { a, period, move, onDone, onCancel } = props;
  const [reason, setReason] = useState("");
  const { busy, error, run } = useSubmit();
  // One reason form is open at a time, so its field is named as the API names it.
  const id = "reason";
  const returning = move === "return";
  return (
    <form
      class="reason-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        run(async () => {
          await moveApproval(move, { unitCode: a.unitCode, period, reason });
          onDone(
            returning
              ? `Đã trả lại số liệu của ${nameOf(a)} để xã sửa và chốt lại.`
              : `Đã mở lại số liệu của ${nameOf(a)}: bảng tính được đọc lại, xã chốt lại khi xong.`,
          );
        });
      }}
    >
      <Field
        id={id}
        label={returning ? "Lý do trả lại" : "Lý do mở lại"}
        error={error}
        hint={returning ? "Xã đọc lý do này trên trang của xã và trong bảng tính." : undefined}
      >
        <textarea
          id={id}
          rows={2}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          {...invalid(error, id)}
        />
      </Field>
      <FormAlert error={error} fields={[id]} />
      <p class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {returning ? "Trả lại xã" : "Mở lại"}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          Thôi
        </button>
      </p>
    </form>
  );
}

export function ApprovalsPage() {
  const m = meta.value;
  const unit = route.value.unit ?? m?.defaultUnit ?? "VN";
  const period = route.value.period ?? m?.defaultPeriod ?? null;
  const list = useLoad(period ? () => fetchApprovals(unit, period) : null, `approvals|${unit}|${period}`);
  const all = list.data?.approvals ?? [];
  const [filter, setFilter] = useState<Filter>("all");
  const [query, setQuery] = useState("");
  const [asking, setAsking] = useState(false);
  const [moving, setMoving] = useState<{ code: string; move: "return" | "reopen" } | null>(null);
  const { busy, notice, setNotice, run } = useRowAction<string>();

  const q = folded(query.trim());
  const found = q ? all.filter((a) => folded(`${nameOf(a)} ${a.unitCode}`).includes(q)) : all;
  const count = (s: State) => all.filter((a) => a.state === s).length;
  const submitted = all.filter((a) => a.state === "submitted");

  const accept = (communes: Approval[]) =>
    run(communes.length === 1 ? (communes[0]?.unitCode ?? "") : "all", async (): Promise<NoticeText> => {
      if (!period) return { ok: false, text: "Chưa chọn kỳ báo cáo" };
      const { approvals } = await acceptApprovals(
        communes.map((a) => a.unitCode),
        period,
      );
      const done = approvals.filter((a) => a.refused === null).length;
      const refused = approvals.filter((a) => a.refused !== null);
      const names = new Map(communes.map((a) => [a.unitCode, nameOf(a)]));
      const text = [
        done === 1 && communes.length === 1
          ? `Đã duyệt số liệu của ${nameOf(communes[0] as Approval)}.`
          : `Đã duyệt số liệu của ${formatExact(done)} xã.`,
        ...refused.map((a) => `${names.get(a.unitCode) ?? a.unitCode}: ${a.refused}.`),
      ].join(" ");
      return { ok: refused.length === 0, text };
    });

  if (!period) return <p>Chưa có kỳ báo cáo nào có số liệu.</p>;
  return (
    <>
      <h2>Duyệt số liệu</h2>
      <p class="muted">
        Xã chốt số liệu, tỉnh duyệt. Số liệu đã duyệt là số liệu chính thức; bảng tính sửa sau đó chỉ được ghi nhận khi
        tỉnh mở lại.
      </p>
      <form class="approvals-scope" onSubmit={(e) => e.preventDefault()}>
        {m && m.provinces.length > 1 && (
          <p class="field">
            <label for="approvals-unit">Tỉnh</label>
            <select id="approvals-unit" value={unit} onChange={(e) => navigate({ unit: e.currentTarget.value }, true)}>
              {m.provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </p>
        )}
        <p class="field">
          <label for="approvals-period">Kỳ báo cáo</label>
          <select
            id="approvals-period"
            value={period}
            onChange={(e) => navigate({ period: e.currentTarget.value }, true)}
          >
            {[...new Set([period, ...(m?.periods ?? [])])].map((p) => (
              <option key={p} value={p}>
                {periodLabel(p)}
              </option>
            ))}
          </select>
        </p>
      </form>
      <Status state={list} what="tình hình duyệt số liệu" />
      {list.data && (
        <>
          <p class="approval-counts" aria-live="polite">
            {GROUPS.map(([s, label]) => `${label} (${formatExact(count(s))})`).join(" · ")}
          </p>
          {submitted.length > 0 && (
            <p>
              <button type="button" class="primary" disabled={busy !== null} onClick={() => setAsking(true)}>
                Duyệt tất cả xã đã chốt ({formatExact(submitted.length)})
              </button>
            </p>
          )}
          <Notice notice={notice} />
          <div class="field approvals-search">
            <label for="approvals-search">Tìm xã</label>
            <input
              id="approvals-search"
              type="search"
              value={query}
              placeholder="Tên xã hoặc mã xã"
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </div>
          <fieldset class="filters" aria-label="Lọc theo trạng thái">
            {([["all", "Tất cả"], ...GROUPS] as [Filter, string][]).map(([f, label]) => (
              <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                {label} ({formatExact(f === "all" ? found.length : found.filter((a) => a.state === f).length)})
              </button>
            ))}
          </fieldset>
          {found.length === 0 && <p>Không có xã nào khớp “{query.trim()}”.</p>}
          {GROUPS.filter(([s]) => filter === "all" || filter === s).map(([s, label]) => {
            const communes = found.filter((a) => a.state === s);
            if (!communes.length) return null;
            return (
              <section key={s} class={`approval-group ${s}`} data-state={s} aria-labelledby={`approvals-${s}`}>
                <h3 id={`approvals-${s}`}>
                  {label} ({formatExact(communes.length)})
                </h3>
                {s === "open" ? (
                  <ul class="approval-open">
                    {communes.map((a) => (
                      <li key={a.unitCode} data-unit={a.unitCode}>
                        <Link to={{ view: "commune", commune: a.unitCode, task: null }}>{nameOf(a)}</Link>
                        {a.reason && <span class="muted"> — {a.reason}</span>}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <ul class="approval-list">
                    {communes.map((a) => (
                      <li key={a.unitCode} class="approval" data-unit={a.unitCode}>
                        <p class="approval-name">
                          <Link to={{ view: "commune", commune: a.unitCode, task: null }}>{nameOf(a)}</Link>
                        </p>
                        <History a={a} />
                        <PendingChanges a={a} />
                        {moving?.code === a.unitCode ? (
                          <ReasonForm
                            a={a}
                            period={period}
                            move={moving.move}
                            onDone={(text) => {
                              setMoving(null);
                              setNotice({ ok: true, text });
                              tick.value++;
                            }}
                            onCancel={() => setMoving(null)}
                          />
                        ) : (
                          <p class="actions">
                            {s === "submitted" && (
                              <button
                                type="button"
                                class="primary"
                                aria-label={`Duyệt ${nameOf(a)}`}
                                disabled={busy !== null}
                                onClick={() => accept([a])}
                              >
                                Duyệt
                              </button>
                            )}
                            {s === "submitted" && (
                              <button
                                type="button"
                                aria-label={`Trả lại ${nameOf(a)}`}
                                disabled={busy !== null}
                                onClick={() => setMoving({ code: a.unitCode, move: "return" })}
                              >
                                Trả lại
                              </button>
                            )}
                            {s === "accepted" && (
                              <button
                                type="button"
                                aria-label={`Mở lại ${nameOf(a)}`}
                                disabled={busy !== null}
                                onClick={() => setMoving({ code: a.unitCode, move: "reopen" })}
                              >
                                Mở lại
                              </button>
                            )}
                          </p>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </>
      )}
      {asking && (
        <ConfirmDialog
          question={`Duyệt số liệu ${periodLabel(period).toLowerCase()} của ${formatExact(submitted.length)} xã đã chốt?`}
          detail="Số liệu đã duyệt là số liệu chính thức ở mọi nơi; muốn sửa phải mở lại kèm lý do."
          confirm={`Duyệt ${formatExact(submitted.length)} xã`}
          onConfirm={() => {
            setAsking(false);
            accept(submitted);
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </>
  );
}
