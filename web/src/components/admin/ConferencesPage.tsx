/**
 * “Hội nghị”: the review conferences, when the scheduled syncs before each run, freeze now; create one with its start
 * in Vietnam time and the hours of frequent syncs before it.
 */
import { useState } from "preact/hooks";
import { periodLabel, previousYearPeriod } from "../../../../domain/periods";
import { formatDateTime, vietnamToday } from "../../../../domain/time";
import { type AdminUnit, type Conference, createConference, fetchConferences, freezeConference } from "../../api";
import { meta, tick, useLoad } from "../../state";
import { Link, Status } from "../common";
import { DateField, dateHint, readDate } from "./DateField";
import { ConfirmDialog, Field, FormAlert, invalid, Notice, UnitOptions, useRowAction, useSubmit } from "./form";
import { scopeName } from "./UsersPage";

const DEFAULT_WINDOW_HOURS = 72;

function ConferenceForm({ units, onCreated }: { units: AdminUnit[]; onCreated: (c: Conference) => void }) {
  const m = meta.value;
  const thisYear = vietnamToday().slice(0, 4);
  const periods = m?.periods.length ? m.periods : [thisYear];
  const firstPeriod = m?.defaultPeriod ?? periods[0] ?? thisYear;
  const [title, setTitle] = useState("");
  const [unitCode, setUnitCode] = useState(m?.defaultUnit ?? "");
  const [period, setPeriod] = useState(firstPeriod);
  const [compare, setCompare] = useState(previousYearPeriod(firstPeriod) ?? "");
  const [startsAt, setStartsAt] = useState("");
  const [windowHours, setWindowHours] = useState(String(DEFAULT_WINDOW_HOURS));
  const { busy, error, setError, run } = useSubmit();
  const compares = [...new Set([previousYearPeriod(period), ...periods])].filter(
    (p): p is string => p !== null && p !== period,
  );

  const submit = (e: Event) => {
    e.preventDefault();
    if (!title.trim())
      return setError({ field: "title", message: "Đặt tên hội nghị, ví dụ “Sơ kết phong trào năm 2025”" });
    if (!unitCode) return setError({ field: "unitCode", message: "Chọn đơn vị tổ chức hội nghị" });
    if (!period) return setError({ field: "period", message: "Chọn kỳ báo cáo" });
    const starts = readDate(startsAt, true);
    if (!starts.ok) return setError({ field: "startsAt", message: starts.message });
    const start = starts.value;
    if (Date.parse(start) <= Date.now())
      return setError({ field: "startsAt", message: "Thời điểm bắt đầu đã qua: chọn một thời điểm sắp tới" });
    const hours = Number(windowHours);
    if (!Number.isInteger(hours) || hours < 1 || hours > 720)
      return setError({ field: "windowHours", message: "Số giờ là số nguyên từ 1 đến 720" });
    run(async () => {
      const { conference } = await createConference({
        title: title.trim(),
        unitCode,
        period,
        comparePeriod: compare || null,
        startsAt: start,
        windowHours: hours,
      });
      onCreated(conference);
      setTitle("");
    });
  };
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>Tạo hội nghị</h2>
      <Field id="title" label="Tên hội nghị" error={error}>
        <input id="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} {...invalid(error, "title")} />
      </Field>
      <Field id="unitCode" label="Đơn vị" error={error}>
        <select
          id="unitCode"
          value={unitCode}
          onChange={(e) => setUnitCode(e.currentTarget.value)}
          {...invalid(error, "unitCode")}
        >
          <UnitOptions units={units} level="province" none="— Chọn tỉnh —" />
        </select>
      </Field>
      <Field id="period" label="Kỳ báo cáo" error={error}>
        <select
          id="period"
          value={period}
          onChange={(e) => {
            setPeriod(e.currentTarget.value);
            setCompare(previousYearPeriod(e.currentTarget.value) ?? "");
          }}
          {...invalid(error, "period")}
        >
          {periods.map((p) => (
            <option key={p} value={p}>
              {periodLabel(p)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="comparePeriod" label="So sánh với" error={error}>
        <select
          id="comparePeriod"
          value={compare}
          onChange={(e) => setCompare(e.currentTarget.value)}
          {...invalid(error, "comparePeriod")}
        >
          <option value="">Không so sánh</option>
          {compares.map((p) => (
            <option key={p} value={p}>
              {periodLabel(p)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="startsAt" label="Bắt đầu" error={error} hint={`${dateHint(true)} Số liệu được chốt lúc bắt đầu.`}>
        <DateField id="startsAt" time value={startsAt} onInput={setStartsAt} {...invalid(error, "startsAt")} />
      </Field>
      <Field
        id="windowHours"
        label="Số giờ đồng bộ dày trước hội nghị"
        error={error}
        hint="Trong những giờ này, bảng tính được đọc 15 phút một lần."
      >
        <input
          id="windowHours"
          type="number"
          inputMode="numeric"
          min={1}
          max={720}
          value={windowHours}
          onInput={(e) => setWindowHours(e.currentTarget.value)}
          {...invalid(error, "windowHours")}
        />
      </Field>
      <FormAlert error={error} fields={["title", "unitCode", "period", "comparePeriod", "startsAt", "windowHours"]} />
      <button type="submit" disabled={busy}>
        Tạo hội nghị
      </button>
    </form>
  );
}

function syncsText(c: Conference): string {
  if (c.frozenAt) return `Số liệu đã chốt lúc ${formatDateTime(c.frozenAt)}.`;
  const { from, until, everyMinutes } = c.syncs;
  const started = Date.parse(from) <= Date.now();
  return `${started ? "Đang đồng bộ" : "Đồng bộ"} ${everyMinutes} phút một lần từ ${formatDateTime(from)} đến ${formatDateTime(until)}, rồi chốt số liệu.`;
}

export function ConferencesPage({ units }: { units: AdminUnit[] }) {
  // Every conference for a national administrator; its province's for a province's.
  const list = useLoad(() => fetchConferences(meta.value?.principal.scopeUnitCode ?? "VN"), "admin-conferences");
  const { busy, notice, setNotice, run } = useRowAction<number>();
  const [asking, setAsking] = useState<Conference | null>(null);
  const freeze = (c: Conference) =>
    run(c.id, async () => {
      const { conference } = await freezeConference(c.id);
      const at = conference.frozenAt ? ` lúc ${formatDateTime(conference.frozenAt)}` : "";
      return { ok: true, text: `Đã chốt số liệu “${c.title}”${at}.` };
    });
  const conferences = [...(list.data?.conferences ?? [])].sort(
    (a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt),
  );
  return (
    <>
      <ConferenceForm
        units={units}
        onCreated={(c) => {
          setNotice({ ok: true, text: `Đã tạo hội nghị “${c.title}”. ${syncsText(c)}` });
          tick.value++;
        }}
      />
      <Notice notice={notice} />
      <h2>Các hội nghị</h2>
      <Status state={list} what="danh sách hội nghị" />
      {list.data && conferences.length === 0 && <p>Chưa có hội nghị nào.</p>}
      <ul class="conference-list">
        {conferences.map((c) => (
          <li key={c.id} data-conference={c.id}>
            <h3>{c.title}</h3>
            <p>
              {scopeName(units, c.unitCode)} · {periodLabel(c.period)}
              {c.comparePeriod && ` so với ${periodLabel(c.comparePeriod)}`} · bắt đầu {formatDateTime(c.startsAt)}
            </p>
            <p class="conference-syncs">{syncsText(c)}</p>
            <p class="actions">
              {!c.frozenAt && (
                <button
                  type="button"
                  aria-label={`Chốt số liệu ngay: ${c.title}`}
                  disabled={busy === c.id}
                  onClick={() => setAsking(c)}
                >
                  Chốt số liệu ngay
                </button>
              )}
              <Link to={{ view: "conference", conference: c.id, unit: c.unitCode, period: c.period, task: null }}>
                Mở chế độ hội nghị
              </Link>
            </p>
          </li>
        ))}
      </ul>
      {asking && (
        <ConfirmDialog
          question={`Chốt số liệu hội nghị “${asking.title}” ngay bây giờ?`}
          detail={frozenWhat(units, asking)}
          confirm="Chốt số liệu"
          onConfirm={() => {
            freeze(asking);
            setAsking(null);
          }}
          onCancel={() => setAsking(null)}
        />
      )}
    </>
  );
}

/** What a freeze keeps, and that it is for good: the conference's unit and periods, from now on. */
const frozenWhat = (units: AdminUnit[], c: Conference) =>
  `Số liệu ${scopeName(units, c.unitCode)}, ${periodLabel(c.period)}${c.comparePeriod ? ` so với ${periodLabel(c.comparePeriod)}` : ""} được giữ nguyên từ lúc này để trình chiếu và in báo cáo${Date.parse(c.startsAt) > Date.now() ? `, không chờ đến giờ bắt đầu (${formatDateTime(c.startsAt)})` : ""}. Đã chốt thì không chốt lại được.`;
