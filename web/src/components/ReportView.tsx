import { useState } from "preact/hooks";
import { formatDateTime } from "../../../domain/time";
import { fetchReport, reportDocxUrl, type Scope } from "../api";
import { route, useLoad } from "../state";
import { Link, Status } from "./common";

type ReportTable = Awaited<ReturnType<typeof fetchReport>>["tables"][number];

/** A figure's cell breaks only before its note — “+9,2%” then “(cùng 144 xã)” — never inside a number or a change. */
function FigureText({ text }: { text: string }) {
  const at = text.indexOf(" (");
  if (at < 0) return <span class="unbroken">{text}</span>;
  return (
    <>
      <span class="unbroken">{text.slice(0, at)}</span> <span class="unbroken">{text.slice(at + 1)}</span>
    </>
  );
}

/**
 * One of the report's tables. Each group of rows is its own `tbody` under its heading row, which printing keeps with
 * the group's first row (styles.css, @media print); on a phone each row reflows into a card, each figure under its
 * column's name, so that nothing needs the page to scroll sideways.
 */
function ReportTableView({ table }: { table: ReportTable }) {
  const { columns } = table;
  const named = columns[0]?.numeric === false;
  return (
    <div class="table-wrap">
      <table class="report-table">
        <caption>{table.title}</caption>
        <thead>
          <tr>
            {columns.map((c, j) => (
              <th scope="col" key={j} class={c.numeric ? "num" : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        {table.sections.map((section, i) => (
          <tbody key={i}>
            {section.title !== null && (
              <tr class="group-title">
                <th scope="colgroup" colSpan={columns.length}>
                  {section.title}
                </th>
              </tr>
            )}
            {section.rows.map((row, j) => (
              <tr key={j}>
                {row.map((v, k) =>
                  k === 0 && named ? (
                    <th scope="row" key={k}>
                      {v}
                    </th>
                  ) : (
                    <td key={k} class={columns[k]?.numeric ? "num" : undefined} data-label={columns[k]?.title}>
                      {columns[k]?.numeric ? <FigureText text={v} /> : v}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {table.notes.map((n, i) => (
        <p class="table-note" key={i}>
          {n}
        </p>
      ))}
    </div>
  );
}

/** The printable report: the conference speech (the API's sentences), then its tables, on A4 (see styles.css @media print). */
export function ReportView({ scope }: { scope: Scope }) {
  const conference = route.value.conference;
  const [accepted, setAccepted] = useState(false);
  const s: Scope = {
    ...scope,
    ...(conference ? { conference } : {}),
    ...(accepted ? { basis: "accepted" } : {}),
  };
  const state = useLoad(() => fetchReport(s), JSON.stringify(s));
  const r = state.data;
  return (
    <article class="report" aria-labelledby="report-title">
      <p class="no-print actions">
        <Link to={{ view: "overview" }}>← Tổng quan</Link>
        <button type="button" onClick={() => print()} disabled={!r}>
          In báo cáo
        </button>
        <a class="button" href={reportDocxUrl(s)} download>
          Tải bản Word (.docx)
        </a>
        <label class="basis">
          <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.currentTarget.checked)} /> Chỉ tính
          số liệu đã được tỉnh duyệt
        </label>
      </p>
      <Status state={state} what="báo cáo" />
      {r && (
        <>
          <h1 id="report-title">{r.title}</h1>
          <p class="meta">
            {r.asOf
              ? `${r.frozen ? "Số liệu chốt lúc" : "Số liệu cập nhật lúc"} ${formatDateTime(r.asOf)}`
              : "Chưa đồng bộ lần nào"}
          </p>
          <div class="speech">
            {r.paragraphs.map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
          {r.tables.map((t, i) => (
            <ReportTableView table={t} key={i} />
          ))}
        </>
      )}
    </article>
  );
}
