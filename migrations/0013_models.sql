CREATE TABLE `model_types` (
	`code` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`aliases` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `model_lists` (
	`source_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`cell` text NOT NULL,
	PRIMARY KEY(`source_id`, `unit_code`, `period`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `model_lists_unit_idx` ON `model_lists` (`unit_code`,`period`);--> statement-breakpoint
CREATE TABLE `commune_models` (
	`source_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`points` integer NOT NULL,
	`cell` text NOT NULL,
	PRIMARY KEY(`source_id`, `unit_code`, `period`, `kind`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `commune_models_unit_idx` ON `commune_models` (`unit_code`,`period`,`kind`);--> statement-breakpoint
CREATE INDEX `commune_models_kind_idx` ON `commune_models` (`kind`);--> statement-breakpoint
CREATE TABLE `rollup_models` (
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`points` integer NOT NULL,
	`communes` integer NOT NULL,
	PRIMARY KEY(`unit_code`, `period`, `kind`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_model_totals` (
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`kinds` integer NOT NULL,
	`points` integer NOT NULL,
	`listed` integer NOT NULL,
	`running` integer NOT NULL,
	PRIMARY KEY(`unit_code`, `period`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `units_children_idx` ON `units` (`valid_from`,`parent_code`,`kind`,`code`,`full_name`);
