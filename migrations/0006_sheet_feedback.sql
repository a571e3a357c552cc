ALTER TABLE `sources` ADD `feedback_status` text;--> statement-breakpoint
ALTER TABLE `sources` ADD `feedback_at` integer;--> statement-breakpoint
ALTER TABLE `sources` ADD `feedback_error` text;