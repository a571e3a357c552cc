CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`scope_unit_code` text,
	`created_at` integer NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_unique` ON `api_tokens` (`hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `conferences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`compare_period` text,
	`title` text NOT NULL,
	`starts_at` integer NOT NULL,
	`window_hours` integer DEFAULT 72 NOT NULL,
	`frozen_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE TABLE `indicators` (
	`code` text PRIMARY KEY NOT NULL,
	`group` text NOT NULL,
	`label` text NOT NULL,
	`unit` text NOT NULL,
	`kind` text NOT NULL,
	`aggregate` text NOT NULL,
	`numerator` text,
	`denominator` text,
	`integer` integer NOT NULL,
	`required` integer NOT NULL,
	`position` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`run_id` integer,
	`unit_code` text,
	`period` text,
	`indicator_code` text,
	`cell` text,
	`raw` text,
	`severity` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `issues_source_idx` ON `issues` (`source_id`);--> statement-breakpoint
CREATE INDEX `issues_unit_idx` ON `issues` (`unit_code`,`period`);--> statement-breakpoint
CREATE TABLE `periods` (
	`code` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`deadline` integer
);
--> statement-breakpoint
CREATE TABLE `snapshot_values` (
	`conference_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`indicator_code` text NOT NULL,
	`period` text NOT NULL,
	`value` real NOT NULL,
	`approximate` integer DEFAULT false NOT NULL,
	`source_id` integer NOT NULL,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`conference_id`, `unit_code`, `indicator_code`, `period`)
);
--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`unit_code` text NOT NULL,
	`spreadsheet_id` text NOT NULL,
	`gid` integer,
	`tab` text,
	`layout` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`title` text,
	`locale` text,
	`last_version` text,
	`last_modified_time` text,
	`last_run_id` integer,
	`last_status` text,
	`last_checked_at` integer,
	`last_success_at` integer,
	`last_error_code` text,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_key_unique` ON `sources` (`key`);--> statement-breakpoint
CREATE INDEX `sources_unit_idx` ON `sources` (`unit_code`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`sources_total` integer DEFAULT 0 NOT NULL,
	`sources_read` integer DEFAULT 0 NOT NULL,
	`sources_skipped` integer DEFAULT 0 NOT NULL,
	`sources_failed` integer DEFAULT 0 NOT NULL,
	`values_written` integer DEFAULT 0 NOT NULL,
	`values_removed` integer DEFAULT 0 NOT NULL,
	`issues_found` integer DEFAULT 0 NOT NULL,
	`google_requests` integer DEFAULT 0 NOT NULL,
	`actor` text,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `units` (
	`code` text NOT NULL,
	`valid_from` text NOT NULL,
	`name` text NOT NULL,
	`full_name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_code` text,
	`code_name` text,
	PRIMARY KEY(`code`, `valid_from`)
);
--> statement-breakpoint
CREATE INDEX `units_parent_idx` ON `units` (`valid_from`,`parent_code`);--> statement-breakpoint
CREATE TABLE `users` (
	`email` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`scope_unit_code` text,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE TABLE `indicator_values` (
	`unit_code` text NOT NULL,
	`indicator_code` text NOT NULL,
	`period` text NOT NULL,
	`value` real NOT NULL,
	`approximate` integer DEFAULT false NOT NULL,
	`raw` text NOT NULL,
	`cell` text NOT NULL,
	`source_id` integer NOT NULL,
	`run_id` integer,
	`written_at` integer NOT NULL,
	`first_written_at` integer NOT NULL,
	PRIMARY KEY(`unit_code`, `indicator_code`, `period`)
);
--> statement-breakpoint
CREATE INDEX `values_period_idx` ON `indicator_values` (`period`,`indicator_code`);--> statement-breakpoint
CREATE INDEX `values_source_idx` ON `indicator_values` (`source_id`);