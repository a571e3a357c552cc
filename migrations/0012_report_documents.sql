CREATE TABLE `report_settings` (
	`unit_code` text PRIMARY KEY NOT NULL,
	`parent_agency` text NOT NULL,
	`agency` text NOT NULL,
	`place_name` text NOT NULL,
	`symbol` text NOT NULL,
	`signer_authority` text NOT NULL,
	`signer_title` text NOT NULL,
	`signer_name` text NOT NULL,
	`recipients` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_templates` (
	`unit_code` text PRIMARY KEY NOT NULL,
	`file_name` text NOT NULL,
	`bytes` integer NOT NULL,
	`parts` integer NOT NULL,
	`uploaded_at` integer NOT NULL,
	`uploaded_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_template_parts` (
	`unit_code` text NOT NULL,
	`part` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`unit_code`, `part`)
);
