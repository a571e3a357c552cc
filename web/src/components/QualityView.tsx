import { formatExact } from "../../../domain/numbers";
import { periodLabel } from "../../../domain/periods";
import { formatDateTime } from "../../../domain/time";
import { fetchCommunesWithoutSheet, fetchIssues, fetchSources, type Issue, type Scope } from "../api";
import { meta, useLoad } from "../state";
import { Link, Status } from "./common";
import { IssueList } from "./IssueList";

type Group = { code: string | null; name: string; issues: Issue[] };

function byCommune(issues: Issue[]): Group[] {
  const groups = new Map<string, Group>();
  for (const i of issues) {
    const k = i.unitCode ?? "";
    let g = groups.get(k);
    if (!g) {
      g = {
        code: i.unitCode,
        name: i.unitName ?? (i.unitCode ? `Xã mã ${i.unitCode}` : "Không rõ xã"),
        issues: [],
      };
      groups.set(k, g);
    }
    g.issues.push(i);
  }
  const errors = (g: Group) => g.issues.filter((i) => i.severity !== "warning").length;
  return [...groups.values()].sort((a, b) => errors(b) - errors(a) || a.name.localeCompare(b.name, "vi"));
}

/** The communes of the unit that no sheet reads: their figures cannot come in until one is registered. */
function CommunesWithoutSheet({ unit }: { unit: string }) {
  const missing = useLoad(() => fetchCommunesWithoutSheet(unit), `without-sheet|${unit}`);
  const communes = [...(missing.data?.communes ?? [])].sort((a, b) => a.name.localeCompare(b.name, "vi"));
  return (
    <>
      <h2>Xã chưa có bảng tính</h2>
      <Status state={missing} what="danh sách xã chưa có bảng tính" />
      {missing.data &&
        (communes.length === 0 ? (
          <p>Xã nào cũng đã có bảng tính được đọc.</p>
        ) : (
          <>
            <p>
              {formatExact(communes.length)} xã chưa có bảng tính nào được đọc nên chưa có số liệu.{" "}
              {meta.value?.principal.role === "admin" ? (
                <>
                  Đăng ký bảng tính của các xã này ở trang{" "}
                  <Link to={{ view: "admin", task: "sheets" }}>Quản trị → Bảng tính</Link>.
                </>
              ) : (
                "Quản trị viên cần đăng ký bảng tính của các xã này."
              )}
            </p>
            <ul class="communes-without-sheet">
              {communes.map((c) => (
                <li key={c.code} data-unit={c.code}>
                  <Link to={{ view: "commune", commune: c.code }}>{c.name}</Link>
                </li>
              ))}
            </ul>
          </>
        ))}
    </>
  );
}

/** Data quality: what each commune must fix (cell by cell), the sheets that could not be read and why, and the
 * communes no sheet reads. */
export function QualityView({ scope }: { scope: Scope }) {
  const key = JSON.stringify([scope.unit, scope.period]);
  const issues = useLoad(() => fetchIssues(scope.unit, scope.period), key);
  const sources = useLoad(() => fetchSources(scope.unit), key);
  const unread = sources.data?.sources.filter((s) => s.active && (s.lastErrorCode || s.lastError)) ?? [];
  // A configuration error stops every sheet alike: said once, not once per commune.
  const config = unread.filter((s) => s.lastErrorCode === "config");
  const failed = unread.filter((s) => s.lastErrorCode !== "config");
  const groups = issues.data ? byCommune(issues.data.issues) : [];
  const count = (sev: Issue["severity"]) => issues.data?.issues.filter((i) => i.severity === sev).length ?? 0;
  return (
    <section aria-labelledby="quality-title">
      <h1 id="quality-title">Chất lượng số liệu — {periodLabel(scope.period)}</h1>

      <h2>Bảng tính không đọc được</h2>
      {sources.error && (
        <p class="muted">
          Chưa lấy được danh sách bảng tính ({sources.error}). Các bảng tính lỗi vẫn có trong danh sách bên dưới.
        </p>
      )}
      {sources.loading && !sources.data && <p class="loading">Đang tải danh sách bảng tính…</p>}
      {config.length > 0 && (
        <p role="alert" class="error">
          {config.length} bảng tính chưa đọc được vì lỗi cấu hình Google, không phải lỗi của các xã — quản trị viên xem
          lý do và cách sửa ở trang <Link to={{ view: "sync" }}>Đồng bộ</Link>.
        </p>
      )}
      {sources.data &&
        (failed.length || config.length ? (
          <ul class="failed-sources">
            {failed.map((s) => (
              <li key={s.id}>
                <strong>{s.unitName ?? s.unitCode}</strong>: {s.lastError ?? s.lastErrorCode}
                {s.lastSuccessAt
                  ? ` (đọc được lần cuối lúc ${formatDateTime(s.lastSuccessAt)})`
                  : " (chưa đọc được lần nào)"}{" "}
                <a href={s.url} target="_blank" rel="noopener noreferrer">
                  Mở bảng tính
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>Tất cả bảng tính đều đọc được.</p>
        ))}

      <CommunesWithoutSheet unit={scope.unit} />

      <h2>Lỗi theo xã</h2>
      <Status state={issues} what="danh sách lỗi" />
      {issues.data && (
        <p class="meta">
          {count("error")} lỗi · {count("warning")} cảnh báo · {count("source_error")} bảng tính không đọc được ·{" "}
          {groups.length} xã
        </p>
      )}
      {issues.data && groups.length === 0 && <p>Không có lỗi nào cho kỳ này.</p>}
      {groups.map((g) => (
        <article key={g.code ?? "-"} class="issue-group" data-unit={g.code ?? ""}>
          <h3>{g.code ? <Link to={{ view: "commune", commune: g.code }}>{g.name}</Link> : g.name}</h3>
          <IssueList issues={g.issues} />
        </article>
      ))}
    </section>
  );
}
