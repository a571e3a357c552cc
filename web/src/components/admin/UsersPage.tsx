/**
 * “Người dùng”: who signs in through Cloudflare Access, with a role and the unit in scope. Saving an existing email
 * changes its role or scope (and enables it again); “Khoá” disables it.
 */
import { useState } from "preact/hooks";
import { formatDateTime } from "../../../../domain/time";
import { NATIONAL } from "../../../../domain/units";
import { type AdminUnit, disableUser, fetchUsers, type Role, saveUser, type User } from "../../api";
import { meta, tick, useLoad } from "../../state";
import {
  AdminTable,
  Field,
  FormAlert,
  invalid,
  Notice,
  ROLE_WORDS,
  scopeLevel,
  UnitOptions,
  useRowAction,
  useSubmit,
} from "./form";

/** The unit a user or token sees, by name. */
export function scopeName(units: AdminUnit[], code: string | null): string {
  if (code === null) return "Toàn quốc";
  return units.find((u) => u.code === code)?.name ?? code;
}

/**
 * The scope as the form holds it: "" until a unit is chosen, `VN` when “Toàn quốc” is; what the API takes, or a
 * message for the unit field when nothing was chosen.
 */
export function chosenScope(
  role: Role,
  scope: string,
): { ok: true; code: string | null } | { ok: false; message: string } {
  if (!scope) return { ok: false, message: SCOPE_MISSING[role] };
  return { ok: true, code: scope === NATIONAL ? null : scope };
}

const SCOPE_MISSING: Record<Role, string> = {
  admin: "Chọn tỉnh mà quản trị viên quản lý, hoặc “Toàn quốc”",
  leader: "Chọn tỉnh mà lãnh đạo được xem, hoặc “Toàn quốc” để xem cả nước",
  commune: "Chọn xã, phường, đặc khu của cán bộ xã",
};

const SCOPE_HINT: Record<Role, string> = {
  admin:
    "Quản trị viên của một tỉnh chỉ quản lý bảng tính, người dùng, mã truy cập, hội nghị và việc duyệt số liệu của tỉnh đó.",
  leader: "Lãnh đạo xem số liệu của đơn vị được chọn.",
  commune: "Cán bộ xã xem và chốt số liệu của xã mình.",
};

/** The form's scope for a user or token as saved: `VN` for national. */
const scopeChoice = (code: string | null) => code ?? NATIONAL;

/**
 * Role and scope chosen together: the scope offered is the one the role may have, and one must be chosen. Only a
 * national administrator may give national reach; a province's administrator picks within its province.
 */
export function RoleScopeFields(props: {
  role: Role;
  scope: string;
  units: AdminUnit[];
  error: ReturnType<typeof useSubmit>["error"];
  onRole: (r: Role) => void;
  onScope: (code: string) => void;
}) {
  const { role, scope, units, error, onRole, onScope } = props;
  const level = scopeLevel(role);
  const national = level === "province" && meta.value?.principal.scopeUnitCode === null;
  return (
    <>
      <Field id="role" label="Vai trò" error={error}>
        <select
          id="role"
          value={role}
          onChange={(e) => onRole(e.currentTarget.value as Role)}
          {...invalid(error, "role")}
        >
          {(Object.keys(ROLE_WORDS) as Role[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_WORDS[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="scopeUnitCode" label="Đơn vị" error={error} hint={SCOPE_HINT[role]}>
        <select
          id="scopeUnitCode"
          value={scope}
          onChange={(e) => onScope(e.currentTarget.value)}
          {...invalid(error, "scopeUnitCode")}
        >
          <UnitOptions
            units={units}
            level={level}
            national={national}
            none={
              level === "commune"
                ? "— Chọn xã, phường, đặc khu —"
                : national
                  ? "— Chọn tỉnh hoặc Toàn quốc —"
                  : "— Chọn tỉnh —"
            }
          />
        </select>
      </Field>
    </>
  );
}

function UserForm({
  units,
  editing,
  onSaved,
}: {
  units: AdminUnit[];
  editing: User | null;
  onSaved: (u: User) => void;
}) {
  const [email, setEmail] = useState(editing?.email ?? "");
  const [role, setRole] = useState<Role>(editing?.role ?? "leader");
  const [scope, setScope] = useState(editing ? scopeChoice(editing.scopeUnitCode) : "");
  const { busy, error, setError, run } = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      return setError({ field: "email", message: "Nhập email của người dùng, ví dụ lanhdao@hungyen.gov.vn" });
    const chosen = chosenScope(role, scope);
    if (!chosen.ok) return setError({ field: "scopeUnitCode", message: chosen.message });
    run(async () => {
      const { user } = await saveUser({ email: email.trim(), role, scopeUnitCode: chosen.code });
      onSaved(user);
      if (!editing) setEmail("");
    });
  };
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>{editing ? `Sửa quyền của ${editing.email}` : "Thêm người dùng"}</h2>
      <Field
        id="email"
        label="Email"
        error={error}
        hint={
          editing?.disabledAt
            ? "Tài khoản đang bị khoá: lưu sẽ mở khoá."
            : "Email người dùng đăng nhập qua Cloudflare Access."
        }
      >
        <input
          id="email"
          type="email"
          autoComplete="off"
          value={email}
          readOnly={editing !== null}
          onInput={(e) => setEmail(e.currentTarget.value)}
          {...invalid(error, "email")}
        />
      </Field>
      <RoleScopeFields
        role={role}
        scope={scope}
        units={units}
        error={error}
        onRole={(r) => {
          setRole(r);
          setScope("");
        }}
        onScope={setScope}
      />
      <FormAlert error={error} fields={["email", "role", "scopeUnitCode"]} />
      <button type="submit" disabled={busy}>
        {editing ? "Lưu thay đổi" : "Thêm người dùng"}
      </button>
    </form>
  );
}

export function UsersPage({ units }: { units: AdminUnit[] }) {
  const list = useLoad(fetchUsers, "admin-users");
  const [editing, setEditing] = useState<User | null>(null);
  const { busy, notice, setNotice, run } = useRowAction<string>();
  const disable = (u: User) =>
    run(u.email, async () => {
      await disableUser(u.email);
      return { ok: true, text: `Đã khoá ${u.email}.` };
    });
  const users = list.data?.users ?? [];
  return (
    <>
      <UserForm
        key={editing?.email ?? "new"}
        units={units}
        editing={editing}
        onSaved={(u) => {
          setNotice({
            ok: true,
            text: `Đã lưu ${u.email}: ${ROLE_WORDS[u.role]}, ${scopeName(units, u.scopeUnitCode)}.`,
          });
          setEditing(null);
          tick.value++;
        }}
      />
      {editing && (
        <button type="button" class="link" onClick={() => setEditing(null)}>
          Thôi sửa, thêm người dùng mới
        </button>
      )}
      <Notice notice={notice} />
      <h2>Người dùng</h2>
      <AdminTable
        state={list}
        what="danh sách người dùng"
        empty="Chưa có người dùng nào ngoài quản trị viên ban đầu."
        rows={users.length}
        class="admin-users"
        columns={["Email", "Vai trò", "Đơn vị", "Trạng thái", "Thao tác"]}
      >
        {users.map((u) => (
          <tr key={u.email} data-user={u.email}>
            <th scope="row">{u.email}</th>
            <td data-label="Vai trò">{ROLE_WORDS[u.role]}</td>
            <td data-label="Đơn vị">{scopeName(units, u.scopeUnitCode)}</td>
            <td data-label="Trạng thái">
              {u.disabledAt ? `Đã khoá lúc ${formatDateTime(u.disabledAt)}` : "Đang dùng"}
            </td>
            <td data-label="Thao tác" class="actions">
              <button type="button" aria-label={`Sửa ${u.email}`} onClick={() => setEditing(u)}>
                {u.disabledAt ? "Mở khoá, sửa" : "Sửa"}
              </button>
              {!u.disabledAt && (
                <button
                  type="button"
                  aria-label={`Khoá ${u.email}`}
                  disabled={busy === u.email}
                  onClick={() => disable(u)}
                >
                  Khoá
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </>
  );
}
