CREATE TABLE `rollups_accepted` (
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
CREATE TABLE `snapshot_approvals` (
	`conference_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer,
	`accepted_at` integer,
	PRIMARY KEY(`conference_id`, `unit_code`, `period`)
);
--> statement-breakpoint
-- Conferences frozen before their states were kept show the states they have shown until now.
INSERT INTO `snapshot_approvals` (`conference_id`, `unit_code`, `period`, `state`, `submitted_at`, `accepted_at`)
SELECT c.`id`, a.`unit_code`, a.`period`, a.`state`, a.`submitted_at`, a.`accepted_at`
FROM `conferences` c JOIN `approvals` a ON a.`period` = c.`period`
WHERE c.`frozen_at` IS NOT NULL;--> statement-breakpoint
DELETE FROM `rollup_state`;
