CREATE TABLE `boundaries` (
	`unit_code` text PRIMARY KEY NOT NULL,
	`topology` text NOT NULL,
	`communes` integer NOT NULL,
	`gzip_bytes` integer NOT NULL,
	`uploaded_at` integer NOT NULL,
	`uploaded_by` text NOT NULL
);
