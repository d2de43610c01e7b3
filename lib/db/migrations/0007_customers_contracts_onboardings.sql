CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" text NOT NULL,
	"customer_external_id" text NOT NULL,
	"external_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"space_id" text,
	"device_id" text,
	"external_device_id" text,
	"medium" text NOT NULL,
	"start_date" text,
	"window_end" timestamp with time zone,
	"users_remove_at" timestamp with time zone,
	"users_removed_at" timestamp with time zone,
	"created_by_email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_index" (
	"id" text PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text,
	"email" text,
	"search_text" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_index_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "onboardings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"staff_id" text NOT NULL,
	"staff_email" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"values" jsonb NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invites" ALTER COLUMN "link" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ADD COLUMN "channel" text DEFAULT 'space' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_customer_contract_idx" ON "contracts" USING btree ("customer_external_id","external_id");--> statement-breakpoint
CREATE INDEX "contracts_space_idx" ON "contracts" USING btree ("space_id");--> statement-breakpoint
CREATE INDEX "contracts_customer_idx" ON "contracts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_index_search_trgm_idx" ON "customer_index" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "onboardings_staff_idx" ON "onboardings" USING btree ("staff_id","status");