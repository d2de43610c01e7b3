CREATE TABLE "space_device_index" (
	"space_id" text NOT NULL,
	"device_id" text NOT NULL,
	"name" text NOT NULL,
	"device_type" text NOT NULL,
	"medium" text NOT NULL,
	"status" text NOT NULL,
	"is_main" boolean NOT NULL,
	"external_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"serial_number" text,
	"search_text" text NOT NULL,
	"raw" jsonb NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "space_device_index_space_id_device_id_pk" PRIMARY KEY("space_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "space_index" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address_line_one" text NOT NULL,
	"address_line_two" text,
	"postcode" text NOT NULL,
	"city" text NOT NULL,
	"country" text,
	"category" text NOT NULL,
	"parent_id" text,
	"placement" text DEFAULT 'root' NOT NULL,
	"path" text[] DEFAULT '{}'::text[] NOT NULL,
	"child_count" integer DEFAULT 0 NOT NULL,
	"device_count" integer,
	"search_text" text NOT NULL,
	"raw" jsonb NOT NULL,
	"generation" bigint NOT NULL,
	"devices_crawled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "space_index_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"state" text DEFAULT 'empty' NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"pages_done" integer DEFAULT 0 NOT NULL,
	"pages_total" integer DEFAULT 0 NOT NULL,
	"last_duration_ms" integer,
	"error" text,
	"generation" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "space_index_state_single_row_check" CHECK ("space_index_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "space_user_index" (
	"space_id" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "space_user_index_space_id_user_id_pk" PRIMARY KEY("space_id","user_id")
);
--> statement-breakpoint
CREATE INDEX "space_device_index_search_trgm_idx" ON "space_device_index" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "space_index_parent_idx" ON "space_index" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "space_index_search_trgm_idx" ON "space_index" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "space_user_index_email_trgm_idx" ON "space_user_index" USING gin ("email" gin_trgm_ops);