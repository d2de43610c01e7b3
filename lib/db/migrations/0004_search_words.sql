CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_words_word_trgm_idx" ON "search_words" USING gist ("word" gist_trgm_ops);--> statement-breakpoint
-- The crawl writes device and user rows one space at a time. With GIN's fast update those rows
-- pile up in a pending list that every search scans linearly (PGlite has no autovacuum to merge
-- it): 0.7 ms became 9 ms per trigram lookup. Written straight into the index instead.
ALTER INDEX "space_device_index_search_trgm_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "space_user_index_email_trgm_idx" SET (fastupdate = off);
