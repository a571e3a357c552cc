ALTER TABLE `indicators` ADD `over_time` text;--> statement-breakpoint
UPDATE `indicators` SET `over_time` = 'last' WHERE `kind` != 'ratio';--> statement-breakpoint
ALTER TABLE `indicator_values` ADD `built` integer DEFAULT false NOT NULL;--> statement-breakpoint
DROP INDEX `values_rollup_idx`;--> statement-breakpoint
CREATE INDEX `values_rollup_idx` ON `indicator_values` (`unit_code`,`period`,`indicator_code`,`value`,`approximate`,`doubtful`,`first_written_at`,`built`);--> statement-breakpoint
ALTER TABLE `snapshot_values` ADD `built` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `rollups` ADD `built` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rollups_accepted` ADD `built` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
DELETE FROM `rollup_state`;
