CREATE TABLE `rollup_coverage` (
	`conference_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`reported` integer NOT NULL,
	`complete` integer NOT NULL,
	`late` integer NOT NULL,
	`timeliness_unknown` integer NOT NULL,
	PRIMARY KEY(`conference_id`, `unit_code`, `period`)
);
--> statement-breakpoint
CREATE TABLE `rollup_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`built_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollups` (
	`conference_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`indicator_code` text NOT NULL,
	`total` real NOT NULL,
	`numerator` real NOT NULL,
	`denominator` real NOT NULL,
	`reporting` integer NOT NULL,
	`approximate` integer NOT NULL,
	`doubtful` integer NOT NULL,
	`previous_total` real NOT NULL,
	`previous_numerator` real NOT NULL,
	`previous_denominator` real NOT NULL,
	`previous_reporting` integer NOT NULL,
	`same_communes` integer NOT NULL,
	`same_total` real NOT NULL,
	`same_previous` real NOT NULL,
	`same_numerator` real NOT NULL,
	`same_denominator` real NOT NULL,
	`same_previous_numerator` real NOT NULL,
	`same_previous_denominator` real NOT NULL,
	PRIMARY KEY(`conference_id`, `unit_code`, `period`, `indicator_code`)
);
--> statement-breakpoint
ALTER TABLE `units` ADD `communes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_finished_idx` ON `sync_runs` (`finished_at`);--> statement-breakpoint
UPDATE `units` SET `communes` = c.n FROM (
	WITH RECURSIVE up(valid_from, unit) AS (
		SELECT valid_from, code FROM units WHERE kind IN ('commune', 'ward', 'special_zone')
		UNION ALL
		SELECT up.valid_from, u.parent_code FROM up JOIN units u ON u.valid_from = up.valid_from AND u.code = up.unit
		WHERE u.parent_code IS NOT NULL
	)
	SELECT valid_from, unit, COUNT(*) AS n FROM up GROUP BY valid_from, unit
) AS c WHERE units.valid_from = c.valid_from AND units.code = c.unit;
