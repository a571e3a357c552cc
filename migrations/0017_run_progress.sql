ALTER TABLE `sync_runs` ADD `progressed_at` integer;
