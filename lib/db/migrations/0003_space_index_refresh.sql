ALTER TABLE "space_index" DROP COLUMN "generation";--> statement-breakpoint
-- Half of each page stays free, so the refresh's second pass (placement, path, child count) is a
-- heap-only update that does not touch the trigram index: 0.6 s instead of 2.7 s for 20,000 rows.
ALTER TABLE "space_index" SET (fillfactor = 50);
