import { formatNumber } from "../../../domain/numbers";
import { formatDateTime } from "../../../domain/time";
import { fetchReport, type Scope } from "../api";
import { route, useLoad } from "../state";
import { Link, Status } from "./common";

const cell = (v: string | number | null) => (v === null ? "—" : typeof v === "number" ? formatNumber(v, "amount") : v);

/** The printable report: the conference speech (the API's sentences), then its tables, on A4 (see styles.css @media print). */
export function ReportView({ scope }: { scope: Scope }) {
  const conference = route.value.conference;
  const s: Scope = conference ? { ...scope, conference } : scope;
  const state = useLoad(() => fetchReport(s), JSON.stringify(s));
  const r = state.data;
  return (
    <article class="report" aria-labelledby="report-title">
      <p class="no-print actions">
        <Link to={{ view: "overview" }}>← Tổng quan</Link>
        <button type="button" onClick={() => print()} disabled={!r}>
          In báo cáo
        </button>
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
            <div class="table-wrap" key={i}>
              <table>
                <caption>{t.title}</caption>
                <thead>
                  <tr>
                    {t.columns.map((c, j) => (
                      <th scope="col" key={j}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {t.rows.map((row, j) => (
                    <tr key={j}>
                      {row.map((v, k) => (
                        <td key={k} class={typeof v === "number" ? "num" : undefined}>
                          {cell(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    </article>
  );
}
