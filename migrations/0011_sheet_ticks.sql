CREATE TABLE `sheet_ticks` (
	`source_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`state` text NOT NULL,
	`cell` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`source_id`, `unit_code`, `period`)
);
--> statement-breakpoint
CREATE INDEX `approvals_updated_idx` ON `approvals` (`updated_at`);
