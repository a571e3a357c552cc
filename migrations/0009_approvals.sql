CREATE TABLE `approvals` (
	`unit_code` text NOT NULL,
	`period` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer,
	`submitted_by` text,
	`accepted_at` integer,
	`accepted_by` text,
	`returned_at` integer,
	`returned_by` text,
	`reason` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`unit_code`, `period`)
);
--> statement-breakpoint
CREATE INDEX `approvals_period_idx` ON `approvals` (`period`,`state`);--> statement-breakpoint
CREATE TABLE `pending_values` (
	`unit_code` text NOT NULL,
	`indicator_code` text NOT NULL,
	`period` text NOT NULL,
	`value` real,
	`raw` text,
	`cell` text,
	`source_id` integer NOT NULL,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`unit_code`, `indicator_code`, `period`)
);
