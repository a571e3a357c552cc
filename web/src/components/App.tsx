import { useEffect, useState } from "preact/hooks";
import { fetchMeta, fetchSummary, type Meta, type Summary } from "../api";
import { Overview } from "./Overview";

const REFRESH_MS = 30_000;

export function App() {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchMeta().then(setMeta, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    if (!meta?.defaultUnit || !meta.defaultPeriod) return;
    const { defaultUnit, defaultPeriod } = meta;
    const load = () =>
      fetchSummary(defaultUnit, defaultPeriod).then(
        (s) => (setSummary(s), setError(null)),
        (e: Error) => setError(e.message),
      );
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [meta]);

  return (
    <>
      <header class="top">
        <h1>Phong trào Toàn dân bảo vệ an ninh Tổ quốc</h1>
        {meta?.principal.via === "development" && <span class="badge-dev">Chế độ phát triển</span>}
      </header>
      <main>
        {error && <p role="alert" class="error">{error}</p>}
        {meta && !meta.defaultUnit && <p>Chưa có số liệu: hãy nhập danh sách đơn vị và đăng ký bảng tính của các xã.</p>}
        {!summary && !error && <p class="loading">Đang tải số liệu…</p>}
        {summary && <Overview summary={summary} />}
      </main>
    </>
  );
}
