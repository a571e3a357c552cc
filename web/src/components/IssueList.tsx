import type { Issue } from "../api";

const SEVERITY: Record<Issue["severity"], string> = {
  error: "Lỗi (không nhận số)",
  warning: "Cảnh báo",
  source_error: "Không đọc được bảng tính",
};

export const sourceUrl = (i: Issue): string | null => (i.source && typeof i.source === "object" ? i.source.url : null);

/** Issues as a clerk acts on them: the cell to fix, what was typed, and what is wrong — all shown as plain text. */
export function IssueList({ issues }: { issues: Issue[] }) {
  return (
    <ul class="issues">
      {issues.map((i, n) => {
        const url = sourceUrl(i);
        return (
          <li key={n} class={`issue ${i.severity}`}>
            <span class="tag">{SEVERITY[i.severity] ?? i.severity}</span>
            {i.cell && (
              <span class="cell">
                Ô <code>{i.cell}</code>
              </span>
            )}
            {i.raw !== null && i.raw !== "" && (
              <span class="raw">
                Đã nhập: <q>{i.raw}</q>
              </span>
            )}
            <span class="message">{i.message}</span>
            {url && (
              <a href={url} target="_blank" rel="noopener noreferrer" class="open-sheet">
                Mở bảng tính
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
