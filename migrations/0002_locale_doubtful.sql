DROP INDEX `values_rollup_idx`;--> statement-breakpoint
ALTER TABLE `indicator_values` ADD `doubtful` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `values_rollup_idx` ON `indicator_values` (`unit_code`,`period`,`indicator_code`,`value`,`approximate`,`doubtful`,`first_written_at`);--> statement-breakpoint
ALTER TABLE `snapshot_values` ADD `doubtful` integer DEFAULT false NOT NULL;