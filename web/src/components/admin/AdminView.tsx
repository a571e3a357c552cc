/**
 * Administration in the browser (admins only; the API enforces it too): one page per task, each a link of its name,
 * kept in the URL (`task=`) so a reload or a shared link opens the same page.
 */
import { useState } from "preact/hooks";
import { fetchAdminUnits } from "../../api";
import { meta, route, useLoad } from "../../state";
import { Link, lazyView, Status } from "../common";
import { ApprovalsPage } from "./ApprovalsPage";
import { AuditPage } from "./AuditPage";
import { CatalogPage } from "./CatalogPage";
import { ConferencesPage } from "./ConferencesPage";
import { DeadlinesPage } from "./DeadlinesPage";
import { SheetsPage } from "./SheetsPage";
import { TokensPage } from "./TokensPage";
import { UsersPage } from "./UsersPage";

/** Its own chunk: the Word report's settings are opened once per province. */
const ReportSettingsPage = lazyView(() => import("./ReportSettingsPage").then((m) => m.ReportSettingsPage));

const TASKS = [
  ["sheets", "Bảng tính"],
  ["approvals", "Duyệt số liệu"],
  ["users", "Người dùng"],
  ["tokens", "Mã truy cập"],
  ["conferences", "Hội nghị"],
  ["deadlines", "Hạn báo cáo"],
  ["report", "Mẫu báo cáo"],
  ["catalog", "Danh mục"],
  ["audit", "Nhật ký"],
] as const;
type Task = (typeof TASKS)[number][0];
/** What a province's administrator does not do: the national deadlines, unit list and catalog, and the audit log. */
const NATIONAL_TASKS: readonly Task[] = ["deadlines", "catalog", "audit"];

export function AdminView() {
  const asked = route.value.task;
  // A province's administrator sees its province's pages, said in the title.
  const scope = meta.value?.principal.scopeUnitCode ?? null;
  const province = scope === null ? null : meta.value?.provinces.find((p) => p.code === scope);
  const tasks = scope === null ? TASKS : TASKS.filter(([t]) => !NATIONAL_TASKS.includes(t));
  const task: Task = tasks.some(([t]) => t === asked) ? (asked as Task) : "sheets";
  // Every unit of today's list, to pick by name; asked again after a new list is imported.
  const [unitsVersion, setUnitsVersion] = useState(0);
  const units = useLoad(() => fetchAdminUnits("VN"), `admin-units|${unitsVersion}`);
  const all = units.data?.units ?? [];
  const needsUnits = task !== "catalog" && task !== "audit" && task !== "approvals";
  return (
    <section aria-labelledby="admin-title" class="admin">
      <h1 id="admin-title">
        {scope === null ? "Quản trị" : `Quản trị ${lowerFirst(province?.name ?? `tỉnh mã ${scope}`)}`}
      </h1>
      <nav aria-label="Các việc quản trị" class="tabs">
        {tasks.map(([t, label]) => (
          <Link key={t} to={{ view: "admin", task: t }} current={task === t}>
            {label}
          </Link>
        ))}
      </nav>
      {needsUnits && <Status state={units} what="danh sách đơn vị" />}
      {needsUnits && units.data && all.length === 0 && (
        <p class="notice">
          Chưa có danh sách đơn vị hành chính: nhập danh sách ở trang <Link to={{ task: "catalog" }}>Danh mục</Link>{" "}
          trước.
        </p>
      )}
      {task === "sheets" && <SheetsPage unit={route.value.unit ?? meta.value?.defaultUnit ?? "VN"} units={all} />}
      {task === "approvals" && <ApprovalsPage />}
      {task === "users" && <UsersPage units={all} />}
      {task === "tokens" && <TokensPage units={all} />}
      {task === "conferences" && <ConferencesPage units={all} />}
      {task === "deadlines" && <DeadlinesPage />}
      {task === "report" && <ReportSettingsPage units={all} />}
      {task === "catalog" && <CatalogPage onUnitsChanged={() => setUnitsVersion((v) => v + 1)} />}
      {task === "audit" && <AuditPage units={all} />}
    </section>
  );
}

/** “Tỉnh Hưng Yên” as it reads after another word: “tỉnh Hưng Yên”. */
const lowerFirst = (name: string) => name.charAt(0).toLocaleLowerCase("vi") + name.slice(1);
