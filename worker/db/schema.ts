/**
 * Every table of the product (PRODUCT.md §2–§11). SQL names are snake_case (drizzle `casing: 'snake_case'`).
 * Times are integer milliseconds since the epoch; dates without time are ISO `YYYY-MM-DD` text.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { UNIT_KINDS } from "../../domain/units";

/** Administrative units. A code can mean another place before the 2025 reform, so each list has its date. */
export const units = sqliteTable(
  "units",
  {
    code: text().notNull(),
    validFrom: text().notNull(),
    name: text().notNull(),
    fullName: text().notNull(),
    kind: text({ enum: UNIT_KINDS }).notNull(),
    parentCode: text(),
    codeName: text(),
    /** Communes under the unit in this list (1 for a commune): a unit's expected reports, counted at import. */
    communes: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.code, t.validFrom] }),
    index("units_parent_idx").on(t.validFrom, t.parentCode),
    // Covering: a unit's children with their names in one pass over the index (the models answers, §15).
    index("units_children_idx").on(t.validFrom, t.parentCode, t.kind, t.code, t.fullName),
  ],
);

/** The indicator catalog is data: a province can add an indicator without a deploy. */
export const indicators = sqliteTable("indicators", {
  code: text().primaryKey(),
  group: text().notNull(),
  label: text().notNull(),
  unit: text().notNull(),
  kind: text({ enum: ["count", "amount", "flag", "ratio"] }).notNull(),
  aggregate: text({ enum: ["sum", "ratio"] }).notNull(),
  numerator: text(),
  denominator: text(),
  integer: integer({ mode: "boolean" }).notNull(),
  required: integer({ mode: "boolean" }).notNull(),
  position: integer().notNull(),
  /** Place among the figures a conference leads with (the overview's first screen); null for the others. */
  headline: integer(),
  /**
   * How shorter periods make a longer one (PRODUCT.md §14): `last` for a stock (what exists at the end), `sum` for a
   * flow (what happened during it); null for a ratio, which is rebuilt from its parts.
   */
  overTime: text({ enum: ["sum", "last"] }),
  active: integer({ mode: "boolean" }).notNull().default(true),
});

/**
 * Reporting periods: `2025`, `2025-H1`, `2025-Q3`, `2025-M08`, `2025-9M`, phases `2021-2025`; `deadline` decides which
 * reports are late. A phase has a row once asked for: its communes' figures are built and kept from then on.
 */
export const periods = sqliteTable("periods", {
  code: text().primaryKey(),
  kind: text({ enum: ["year", "half", "quarter", "month", "nine_months", "phase"] }).notNull(),
  startsOn: text().notNull(),
  endsOn: text().notNull(),
  deadline: integer(),
});

/** One registered spreadsheet (or one tab of it): for one commune (`form`) or many (`table`). */
export const sources = sqliteTable(
  "sources",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** unit|spreadsheet|gid|tab|layout: registering the same sheet twice finds the first registration. */
    key: text().notNull().unique(),
    unitCode: text().notNull(),
    spreadsheetId: text().notNull(),
    gid: integer(),
    tab: text(),
    layout: text({ enum: ["form", "table"] }).notNull(),
    active: integer({ mode: "boolean" }).notNull().default(true),
    createdAt: integer().notNull(),
    title: text(),
    locale: text(),
    /** Drive `version` and `modifiedTime` of the last successful read: an equal version means nothing to read. */
    lastVersion: text(),
    lastModifiedTime: text(),
    lastRunId: integer(),
    lastStatus: text({ enum: ["ok", "unchanged", "error"] }),
    lastCheckedAt: integer(),
    lastSuccessAt: integer(),
    lastErrorCode: text(),
    lastError: text(),
    /**
     * The check results written back into the sheet (SHEETS_FEEDBACK): written, failed, not allowed (read only), or
     * skipped (a spreadsheet several sources read).
     */
    feedbackStatus: text({ enum: ["written", "failed", "read_only", "skipped"] }),
    feedbackAt: integer(),
    feedbackError: text(),
  },
  (t) => [index("sources_unit_idx").on(t.unitCode), index("sources_status_idx").on(t.lastStatus)],
);

/**
 * The communes each source fed in each period at its last successful read, kept with its values: a figure built
 * partly from sheets that could not be read at the last sync says how many communes that is.
 */
export const sourcePeriods = sqliteTable(
  "source_periods",
  {
    sourceId: integer().notNull(),
    period: text().notNull(),
    communes: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.period] })],
);

/** One figure: a unit × indicator × period, with where it came from. */
export const values = sqliteTable(
  "indicator_values",
  {
    unitCode: text().notNull(),
    indicatorCode: text().notNull(),
    period: text().notNull(),
    value: real().notNull(),
    approximate: integer({ mode: "boolean" }).notNull().default(false),
    /** From a sheet whose locale is not Vietnamese: the number may not be what the clerk typed (PRODUCT.md §4). */
    doubtful: integer({ mode: "boolean" }).notNull().default(false),
    raw: text().notNull(),
    cell: text().notNull(),
    sourceId: integer().notNull(),
    runId: integer(),
    /** When the value last changed; an unchanged re-sync leaves it as it was. */
    writtenAt: integer().notNull(),
    /** When the value first arrived: decides whether a commune reported late. */
    firstWrittenAt: integer().notNull(),
    /**
     * Built from the shorter periods the commune reported (PRODUCT.md §14), not typed: `source_id` 0, no cell; a typed
     * value for the same period takes its place.
     */
    built: integer({ mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.unitCode, t.indicatorCode, t.period] }),
    index("values_period_idx").on(t.period, t.indicatorCode),
    index("values_source_idx").on(t.sourceId),
    /** Covers the roll-up: each commune's values of a period read from the index alone (worker/db/aggregate.ts). */
    index("values_rollup_idx").on(
      t.unitCode,
      t.period,
      t.indicatorCode,
      t.value,
      t.approximate,
      t.doubtful,
      t.firstWrittenAt,
      t.built,
    ),
  ],
);

/** Every sync, whatever started it. */
export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** `sheet`: one sheet read on its own, when an administrator registers it or presses “Đọc lại”. */
    trigger: text({ enum: ["cron", "manual", "conference", "startup", "sheet"] }).notNull(),
    status: text({ enum: ["running", "ok", "partial", "failed"] }).notNull(),
    startedAt: integer().notNull(),
    finishedAt: integer(),
    sourcesTotal: integer().notNull().default(0),
    sourcesRead: integer().notNull().default(0),
    sourcesSkipped: integer().notNull().default(0),
    sourcesFailed: integer().notNull().default(0),
    valuesWritten: integer().notNull().default(0),
    valuesRemoved: integer().notNull().default(0),
    issuesFound: integer().notNull().default(0),
    googleRequests: integer().notNull().default(0),
    actor: text(),
    error: text(),
    /** When the run last accounted for a source (or started): a run still running long after it died. */
    progressedAt: integer(),
  },
  /** The newest finished run, read by every summary (`lastSyncAt`), without walking the history. */
  (t) => [index("runs_finished_idx").on(t.finishedAt)],
);

/** A rejected or doubtful cell, or a whole source that could not be read (PRODUCT.md §5). */
export const issues = sqliteTable(
  "issues",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    sourceId: integer().notNull(),
    runId: integer(),
    unitCode: text(),
    period: text(),
    indicatorCode: text(),
    cell: text(),
    raw: text(),
    severity: text({ enum: ["error", "warning", "source_error"] }).notNull(),
    code: text().notNull(),
    message: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    index("issues_source_idx").on(t.sourceId),
    index("issues_unit_idx").on(t.unitCode, t.period),
    index("issues_period_idx").on(t.period, t.severity, t.indicatorCode),
  ],
);

/**
 * A commune's figures for a period made official (PRODUCT.md §12): `open` → `submitted` by the commune → `accepted`
 * by the province (or `returned`, with a reason, to be submitted again); an accepted commune is reopened with a reason.
 * No row is `open`.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    unitCode: text().notNull(),
    period: text().notNull(),
    state: text({ enum: ["open", "submitted", "accepted", "returned"] }).notNull(),
    submittedAt: integer(),
    submittedBy: text(),
    acceptedAt: integer(),
    acceptedBy: text(),
    returnedAt: integer(),
    returnedBy: text(),
    /** Why it was returned or reopened. */
    reason: text(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.unitCode, t.period] }),
    index("approvals_period_idx").on(t.period, t.state),
    /** The moves since a moment: the sync finds the sheets whose tab must say a move made on the dashboard. */
    index("approvals_updated_idx").on(t.updatedAt),
  ],
);

/**
 * What an accepted commune's sheet says now where it differs from its accepted figures: kept and shown to the
 * province, never taking the accepted value's place until the commune is reopened. `value` null: the cell was cleared.
 */
export const pendingValues = sqliteTable(
  "pending_values",
  {
    unitCode: text().notNull(),
    indicatorCode: text().notNull(),
    period: text().notNull(),
    value: real(),
    raw: text(),
    cell: text(),
    sourceId: integer().notNull(),
    writtenAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitCode, t.indicatorCode, t.period] })],
);

/** Each commune's approval as a conference froze it: its coverage and its accepted figures read these. */
export const snapshotApprovals = sqliteTable(
  "snapshot_approvals",
  {
    conferenceId: integer().notNull(),
    unitCode: text().notNull(),
    period: text().notNull(),
    state: text({ enum: ["open", "submitted", "accepted", "returned"] }).notNull(),
    submittedAt: integer(),
    acceptedAt: integer(),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.unitCode, t.period] })],
);

/**
 * What a sheet's “Chốt số liệu” cell said at its last read (PRODUCT.md §12), per source, commune and period: `counted`,
 * ticked and standing behind the commune's submission; `stale`, ticked but no longer counting (the submission was
 * withdrawn by an edit, returned or reopened: the clerk ticks it again). No row: not ticked.
 */
export const sheetTicks = sqliteTable(
  "sheet_ticks",
  {
    sourceId: integer().notNull(),
    unitCode: text().notNull(),
    period: text().notNull(),
    state: text({ enum: ["counted", "stale"] }).notNull(),
    cell: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.unitCode, t.period] })],
);

/** A review conference: its sync window, and the moment its figures were frozen. */
export const conferences = sqliteTable("conferences", {
  id: integer().primaryKey({ autoIncrement: true }),
  unitCode: text().notNull(),
  period: text().notNull(),
  comparePeriod: text(),
  title: text().notNull(),
  startsAt: integer().notNull(),
  windowHours: integer().notNull().default(72),
  frozenAt: integer(),
  createdAt: integer().notNull(),
  createdBy: text(),
});

/** The commune values a conference froze; aggregation reads these instead of `values` for a frozen view. */
export const snapshotValues = sqliteTable(
  "snapshot_values",
  {
    conferenceId: integer().notNull(),
    unitCode: text().notNull(),
    indicatorCode: text().notNull(),
    period: text().notNull(),
    value: real().notNull(),
    approximate: integer({ mode: "boolean" }).notNull().default(false),
    doubtful: integer({ mode: "boolean" }).notNull().default(false),
    sourceId: integer().notNull(),
    writtenAt: integer().notNull(),
    built: integer({ mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.unitCode, t.indicatorCode, t.period] })],
);

/** `conference_id` of the live values' roll-ups; a frozen conference's rows carry its id. */
export const LIVE = 0;

/**
 * Every figure a summary or a breakdown shows, kept as the values change (worker/rollups/): per unit (a commune's
 * own row, and every unit above it up to `VN`), indicator and period, for the live values (`conference_id` 0) and for
 * each frozen conference. Sums and counts over the unit's communes: `reporting` communes (for a ratio, those with both
 * parts), `approximate`/`doubtful` communes with such a part; `previous_*` is the comparison period over the same
 * unit list; `same_*` counts and sums the communes that have the figure in both periods (like for like).
 */
const rollupColumns = {
  conferenceId: integer().notNull(),
  unitCode: text().notNull(),
  period: text().notNull(),
  indicatorCode: text().notNull(),
  total: real().notNull(),
  numerator: real().notNull(),
  denominator: real().notNull(),
  reporting: integer().notNull(),
  approximate: integer().notNull(),
  doubtful: integer().notNull(),
  /** Communes whose figure was built from shorter periods (PRODUCT.md §14). */
  built: integer().notNull().default(0),
  previousTotal: real().notNull(),
  previousNumerator: real().notNull(),
  previousDenominator: real().notNull(),
  previousReporting: integer().notNull(),
  sameCommunes: integer().notNull(),
  sameTotal: real().notNull(),
  samePrevious: real().notNull(),
  sameNumerator: real().notNull(),
  sameDenominator: real().notNull(),
  samePreviousNumerator: real().notNull(),
  samePreviousDenominator: real().notNull(),
};

export const rollups = sqliteTable("rollups", rollupColumns, (t) => [
  primaryKey({ columns: [t.conferenceId, t.unitCode, t.period, t.indicatorCode] }),
]);

/**
 * The same figures on the accepted basis (PRODUCT.md §12, `basis=accepted`): over the communes whose figures the
 * province accepted for the period (for a frozen conference, accepted when it was frozen), and nobody else.
 */
export const rollupsAccepted = sqliteTable("rollups_accepted", rollupColumns, (t) => [
  primaryKey({ columns: [t.conferenceId, t.unitCode, t.period, t.indicatorCode] }),
]);

/** A unit's reporting communes for a period, kept beside `rollups`: reported, complete, late, timeliness unknown. */
export const rollupCoverage = sqliteTable(
  "rollup_coverage",
  {
    conferenceId: integer().notNull(),
    unitCode: text().notNull(),
    period: text().notNull(),
    reported: integer().notNull(),
    complete: integer().notNull(),
    late: integer().notNull(),
    timelinessUnknown: integer().notNull(),
    /** Communes that confirmed their figures (submitted or accepted, PRODUCT.md §12), accepted, and submitted in time. */
    submitted: integer().notNull().default(0),
    accepted: integer().notNull().default(0),
    submittedOnTime: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.unitCode, t.period] })],
);

/**
 * One row once every roll-up has been built from the values (a database from before them has none): until then
 * reads compute their figures from the commune values.
 */
export const rollupState = sqliteTable("rollup_state", {
  id: integer().primaryKey(),
  builtAt: integer().notNull(),
});

/** People who sign in through Cloudflare Access, with their role and scope (PRODUCT.md §11). */
export const users = sqliteTable("users", {
  email: text().primaryKey(),
  role: text({ enum: ["admin", "leader", "commune"] }).notNull(),
  /** Province or commune code; null for a national scope. */
  scopeUnitCode: text(),
  createdAt: integer().notNull(),
  disabledAt: integer(),
});

/** Tokens for scripts: only the SHA-256 of the secret is stored. */
export const apiTokens = sqliteTable("api_tokens", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  hash: text().notNull().unique(),
  role: text({ enum: ["admin", "leader", "commune"] }).notNull(),
  scopeUnitCode: text(),
  createdAt: integer().notNull(),
  createdBy: text(),
  lastUsedAt: integer(),
  revokedAt: integer(),
  /** After this moment the token is refused like a revoked one; null never expires. */
  expiresAt: integer(),
});

/** Who did what and when: admin actions, and values that a sync removed. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    at: integer().notNull(),
    actor: text().notNull(),
    action: text().notNull(),
    target: text(),
    detail: text(),
  },
  (t) => [index("audit_at_idx").on(t.at)],
);

/** Each province's commune boundaries for the map, prepared once at upload (worker/geo/boundaries.ts). */
export const boundaries = sqliteTable("boundaries", {
  unitCode: text().primaryKey(),
  /** TopoJSON with a `communes` object, one geometry per commune, `id` its code. */
  topology: text().notNull(),
  communes: integer().notNull(),
  gzipBytes: integer().notNull(),
  uploadedAt: integer().notNull(),
  uploadedBy: text().notNull(),
});

/**
 * What a province's Word report says about its issuer (PRODUCT.md §13), set once by its admin: the agencies, the
 * place name, the symbol after “BC-”, the signer and the recipients (one a line). `unitCode` is the province, or VN.
 */
export const reportSettings = sqliteTable("report_settings", {
  unitCode: text().primaryKey(),
  parentAgency: text().notNull(),
  agency: text().notNull(),
  placeName: text().notNull(),
  symbol: text().notNull(),
  signerAuthority: text().notNull(),
  signerTitle: text().notNull(),
  signerName: text().notNull(),
  recipients: text().notNull(),
  updatedAt: integer().notNull(),
  updatedBy: text().notNull(),
});

/** A province's own Word template for the report: its name and size; the file itself is in `report_template_parts`. */
export const reportTemplates = sqliteTable("report_templates", {
  unitCode: text().primaryKey(),
  fileName: text().notNull(),
  bytes: integer().notNull(),
  parts: integer().notNull(),
  uploadedAt: integer().notNull(),
  uploadedBy: text().notNull(),
});

/** The template file as base64 in parts, each well under D1's limit of 2,000,000 bytes a value. */
export const reportTemplateParts = sqliteTable(
  "report_template_parts",
  {
    unitCode: text().notNull(),
    part: integer().notNull(),
    data: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitCode, t.part] })],
);

/** The catalog of model kinds (PRODUCT.md §15): data like the indicator catalog; `aliases` joined by `;`. */
export const modelTypes = sqliteTable("model_types", {
  code: text().primaryKey(),
  label: text().notNull(),
  aliases: text().notNull().default(""),
  position: integer().notNull(),
});

/** A commune's list of models for a period as a source gives it; present even when empty (the commune runs none). */
export const modelLists = sqliteTable(
  "model_lists",
  {
    sourceId: integer().notNull(),
    unitCode: text().notNull(),
    period: text().notNull(),
    /** The list's header cell, A1 with its tab. */
    cell: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.unitCode, t.period] }),
    index("model_lists_unit_idx").on(t.unitCode, t.period),
  ],
);

/**
 * One kind of model a commune runs in a period, with its points: `kind` is the catalog's code, or `?` and the
 * clerk's folded words for a kind the catalog lacks; `label` is what the clerk wrote.
 */
export const communeModels = sqliteTable(
  "commune_models",
  {
    sourceId: integer().notNull(),
    unitCode: text().notNull(),
    period: text().notNull(),
    kind: text().notNull(),
    label: text().notNull(),
    points: integer().notNull(),
    cell: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.unitCode, t.period, t.kind] }),
    index("commune_models_unit_idx").on(t.unitCode, t.period, t.kind),
    index("commune_models_kind_idx").on(t.kind),
  ],
);

/** Points and communes per kind for every unit (a commune's own row, and every unit above it up to `VN`), live. */
export const rollupModels = sqliteTable(
  "rollup_models",
  {
    unitCode: text().notNull(),
    period: text().notNull(),
    kind: text().notNull(),
    label: text().notNull(),
    points: integer().notNull(),
    communes: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitCode, t.period, t.kind] })],
);

/** Per unit and period: distinct kinds, points, communes with a list, communes running at least one model. */
export const rollupModelTotals = sqliteTable(
  "rollup_model_totals",
  {
    unitCode: text().notNull(),
    period: text().notNull(),
    kinds: integer().notNull(),
    points: integer().notNull(),
    listed: integer().notNull(),
    running: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitCode, t.period] })],
);
