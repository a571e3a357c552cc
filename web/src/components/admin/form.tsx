/**
 * What every administration form shares: one submit at a time (a double click sends once), the API's Vietnamese
 * error shown beside the field it names (or above the button), labels tied to their controls for screen readers.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { NATIONAL } from "../../../../domain/units";
import { type AdminUnit, ApiError } from "../../api";
import { type Loaded, tick } from "../../state";
import { Status } from "../common";

export type FormError = { field: string | null; message: string } | null;
export type NoticeText = { ok: boolean; text: string };

/**
 * A row's button (read again, revoke, freeze…): one action at a time — a double click sends once — and what came of
 * it said in the page's notice; the open views are asked again after it.
 */
export function useRowAction<K>() {
  const running = useRef(false);
  const [busy, setBusy] = useState<K | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  async function run(key: K, action: () => Promise<NoticeText>) {
    if (running.current) return;
    running.current = true;
    setBusy(key);
    try {
      setNotice(await action());
      tick.value++;
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    } finally {
      running.current = false;
      setBusy(null);
    }
  }
  return { busy, notice, setNotice, run };
}

export function useSubmit() {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError>(null);
  async function run(action: () => Promise<void>) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError({ field: err instanceof ApiError ? err.field : null, message: (err as Error).message });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

/** The attributes that tie a control to its error message. */
export const invalid = (error: FormError, id: string) =>
  error?.field === id ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};

export function Field(props: {
  id: string;
  label: string;
  error: FormError;
  hint?: string;
  children: ComponentChildren;
}) {
  const { id, label, error, hint, children } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && <span class="hint">{hint}</span>}
      {error?.field === id && (
        <span id={`${id}-error`} class="field-error" role="alert">
          {error.message}
        </span>
      )}
    </div>
  );
}

/** The form's error that belongs to none of its fields. */
export function FormAlert({ error, fields }: { error: FormError; fields: string[] }) {
  if (!error || (error.field !== null && fields.includes(error.field))) return null;
  return (
    <p role="alert" class="error">
      {error.message}
    </p>
  );
}

/** A notice after an action: `status` when it went well, `alert` when not. */
export function Notice({ notice }: { notice: NoticeText | null }) {
  if (!notice) return null;
  return (
    <p role={notice.ok ? "status" : "alert"} class={notice.ok ? "notice" : "error"}>
      {notice.text}
    </p>
  );
}

/**
 * An action that asks once before it is done, naming what it acts on; “Thôi” (or Escape) leaves everything as it
 * was. A modal dialog: nothing else on the page can be pressed meanwhile, and focus goes back where it was.
 */
export function ConfirmDialog(props: {
  question: string;
  detail?: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { question, detail, confirm, onConfirm, onCancel } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
    // “Thôi” first: Enter on an open question does nothing that cannot be undone.
    cancel.current?.focus();
  }, []);
  const finish = (then: () => void) => {
    dialog.current?.close();
    then();
  };
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-question"
      onCancel={(e) => {
        e.preventDefault();
        finish(onCancel);
      }}
    >
      <p id="confirm-question">
        <strong>{question}</strong>
      </p>
      {detail && <p>{detail}</p>}
      <p class="actions">
        <button type="button" class="primary" onClick={() => finish(onConfirm)}>
          {confirm}
        </button>
        <button type="button" ref={cancel} onClick={() => finish(onCancel)}>
          Thôi
        </button>
      </p>
    </dialog>
  );
}

/**
 * Units to pick by name: provinces alone, or communes grouped under their province (names repeat across provinces,
 * never within one). `none` is the first choice's text, when there is one; `national` offers “Toàn quốc” (`VN`).
 */
export function UnitOptions({
  units,
  level,
  none,
  national = false,
}: {
  units: AdminUnit[];
  level: "province" | "commune";
  none?: string;
  national?: boolean;
}) {
  const provinces = units.filter((u) => u.parentCode === null);
  return (
    <>
      {none !== undefined && <option value="">{none}</option>}
      {national && <option value={NATIONAL}>Toàn quốc</option>}
      {level === "province"
        ? provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))
        : provinces.map((p) => {
            const communes = units.filter((u) => u.parentCode === p.code);
            return communes.length ? (
              <optgroup key={p.code} label={p.name}>
                {communes.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.name}
                  </option>
                ))}
              </optgroup>
            ) : null;
          })}
    </>
  );
}

export const ROLE_WORDS = { admin: "Quản trị viên", leader: "Lãnh đạo", commune: "Cán bộ xã" } as const;

/** The scope a role may have: national or a province for an administrator or a leader, a commune for a commune user. */
export const scopeLevel = (role: keyof typeof ROLE_WORDS) => (role === "commune" ? "commune" : "province");

/**
 * A list of an administration page: loading and errors as everywhere, a sentence when it is empty, and a table with
 * its column names (on a phone, each row reads as a card with each cell under its column's name).
 */
export function AdminTable(props: {
  state: Loaded<unknown>;
  what: string;
  empty: string;
  rows: number;
  class: string;
  columns: string[];
  children: ComponentChildren;
}) {
  const { state, what, empty, rows, columns, children } = props;
  return (
    <>
      <Status state={state} what={what} />
      {state.data !== null && rows === 0 && <p>{empty}</p>}
      {rows > 0 && (
        <div class="table-wrap">
          <table class={`${props.class} cards`}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Text for a search box's match: no case, no diacritics (“hoa thai” finds “Hòa Thái”). */
export const folded = (text: string) =>
  text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
