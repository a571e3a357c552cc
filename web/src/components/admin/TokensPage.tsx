/**
 * “Mã truy cập”: tokens for scripts. A new token's secret is shown once, with a copy button; only its hash is kept,
 * so it is gone after a reload. A token expires (90 days unless chosen otherwise) or is revoked.
 */
import { useState } from "preact/hooks";
import { formatDateTime, vietnamToday } from "../../../../domain/time";
import { type AdminUnit, createToken, fetchTokens, type Role, revokeToken, type Token } from "../../api";
import { tick, useLoad } from "../../state";
import { DateField, dateHint, dateText, readDate } from "./DateField";
import { AdminTable, Field, FormAlert, invalid, Notice, ROLE_WORDS, useRowAction, useSubmit } from "./form";
import { chosenScope, RoleScopeFields, scopeName } from "./UsersPage";

const DEFAULT_DAYS = 90;

function stateOf(t: Token): string {
  if (t.revokedAt) return `Đã thu hồi lúc ${formatDateTime(t.revokedAt)}`;
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return `Hết hạn lúc ${formatDateTime(t.expiresAt)}`;
  return "Đang dùng";
}

function Secret({ secret, name }: { secret: string; name: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Đã sao chép.");
    } catch {
      setCopied("Trình duyệt không cho sao chép: chọn mã rồi bấm Ctrl+C.");
    }
  }
  return (
    <div class="secret" role="status">
      <p>
        <strong>Mã “{name}” đã tạo.</strong> Sao chép và cất mã ngay: mã chỉ hiện một lần, tải lại trang là mất.
      </p>
      <label for="token-secret">Mã bí mật</label>
      <input id="token-secret" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={copy}>
        Sao chép mã
      </button>
      {copied && <span class="hint"> {copied}</span>}
    </div>
  );
}

function TokenForm({ units, onCreated }: { units: AdminUnit[]; onCreated: (token: Token, secret: string) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("leader");
  const [scope, setScope] = useState("");
  const [expires, setExpires] = useState(() => dateText(Date.now() + DEFAULT_DAYS * 86400_000));
  const [never, setNever] = useState(false);
  const { busy, error, setError, run } = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError({ field: "name", message: "Đặt tên cho mã, ví dụ “Tập lệnh báo cáo tỉnh”" });
    const chosen = chosenScope(role, scope);
    if (!chosen.ok) return setError({ field: "scopeUnitCode", message: chosen.message });
    let expiresAt: string | null = null;
    if (!never) {
      const expiry = readDate(expires);
      if (!expiry.ok) return setError({ field: "expiresAt", message: expiry.message });
      if (expiry.value <= vietnamToday())
        return setError({ field: "expiresAt", message: "Ngày hết hạn phải sau hôm nay" });
      expiresAt = expiry.value;
    }
    run(async () => {
      const { secret, token } = await createToken({
        name: name.trim(),
        role,
        scopeUnitCode: chosen.code,
        expiresAt,
      });
      onCreated(token, secret);
      setName("");
    });
  };
  return (
    <form class="admin-form" onSubmit={submit} noValidate>
      <h2>Tạo mã truy cập</h2>
      <Field id="name" label="Tên mã" error={error} hint="Để biết mã dùng vào việc gì, ai giữ.">
        <input id="name" value={name} onInput={(e) => setName(e.currentTarget.value)} {...invalid(error, "name")} />
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
      <Field
        id="expiresAt"
        label="Hết hạn ngày"
        error={error}
        hint={`${dateHint()} Mặc định ${DEFAULT_DAYS} ngày kể từ hôm nay; mã dùng được đến hết ngày này.`}
      >
        <DateField
          id="expiresAt"
          value={never ? "" : expires}
          disabled={never}
          onInput={setExpires}
          {...invalid(error, "expiresAt")}
        />
      </Field>
      <div class="field checkbox">
        <input id="never" type="checkbox" checked={never} onChange={(e) => setNever(e.currentTarget.checked)} />
        <label for="never">Không bao giờ hết hạn</label>
      </div>
      <FormAlert error={error} fields={["name", "role", "scopeUnitCode", "expiresAt"]} />
      <button type="submit" disabled={busy}>
        Tạo mã
      </button>
    </form>
  );
}

export function TokensPage({ units }: { units: AdminUnit[] }) {
  const list = useLoad(fetchTokens, "admin-tokens");
  const [created, setCreated] = useState<{ id: number; name: string; secret: string } | null>(null);
  const { busy, notice, setNotice, run } = useRowAction<number>();
  const revoke = (t: Token) =>
    run(t.id, async () => {
      await revokeToken(t.id);
      if (created?.id === t.id) setCreated(null);
      return { ok: true, text: `Đã thu hồi mã “${t.name}”: từ giờ mã bị từ chối.` };
    });
  const tokens = list.data?.tokens ?? [];
  return (
    <>
      <TokenForm
        units={units}
        onCreated={(token, secret) => {
          setCreated({ id: token.id, name: token.name, secret });
          setNotice(null);
          tick.value++;
        }}
      />
      {created && <Secret name={created.name} secret={created.secret} />}
      <Notice notice={notice} />
      <h2>Các mã truy cập</h2>
      <AdminTable
        state={list}
        what="danh sách mã truy cập"
        empty="Chưa có mã truy cập nào."
        rows={tokens.length}
        class="admin-tokens"
        columns={["Tên mã", "Vai trò", "Đơn vị", "Dùng lần cuối", "Hết hạn", "Trạng thái", "Thao tác"]}
      >
        {tokens.map((t) => {
          const live = stateOf(t) === "Đang dùng";
          return (
            <tr key={t.id} data-token={t.id}>
              <th scope="row">{t.name}</th>
              <td data-label="Vai trò">{ROLE_WORDS[t.role]}</td>
              <td data-label="Đơn vị">{scopeName(units, t.scopeUnitCode)}</td>
              <td data-label="Dùng lần cuối">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Chưa dùng"}</td>
              <td data-label="Hết hạn">{t.expiresAt ? formatDateTime(t.expiresAt) : "Không hết hạn"}</td>
              <td data-label="Trạng thái">{stateOf(t)}</td>
              <td data-label="Thao tác" class="actions">
                {live && (
                  <button
                    type="button"
                    aria-label={`Thu hồi mã ${t.name}`}
                    disabled={busy === t.id}
                    onClick={() => revoke(t)}
                  >
                    Thu hồi
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </AdminTable>
    </>
  );
}
