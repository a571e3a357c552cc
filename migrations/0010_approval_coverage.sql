ALTER TABLE `rollup_coverage` ADD `submitted` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rollup_coverage` ADD `accepted` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rollup_coverage` ADD `submitted_on_time` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
DELETE FROM `rollup_state`;
