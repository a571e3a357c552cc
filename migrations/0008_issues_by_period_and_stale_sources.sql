CREATE TABLE `source_periods` (
	`source_id` integer NOT NULL,
	`period` text NOT NULL,
	`communes` integer NOT NULL,
	PRIMARY KEY(`source_id`, `period`)
);
--> statement-breakpoint
CREATE INDEX `issues_period_idx` ON `issues` (`period`,`severity`,`indicator_code`);--> statement-breakpoint
CREATE INDEX `sources_status_idx` ON `sources` (`last_status`);--> statement-breakpoint
INSERT INTO `source_periods` (`source_id`, `period`, `communes`)
SELECT `source_id`, `period`, COUNT(DISTINCT `unit_code`) FROM `indicator_values` GROUP BY `source_id`, `period`;
