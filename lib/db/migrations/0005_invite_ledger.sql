CREATE TABLE "invites" (
	"id" text PRIMARY KEY NOT NULL,
	"space_id" text NOT NULL,
	"email" text NOT NULL,
	"access_role_id" text,
	"access_role_name" text,
	"link" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_by_email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sent_at" timestamp with time zone,
	"send_count" integer DEFAULT 0 NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" text,
	"revoked_at" timestamp with time zone,
	"revoked_by_email" text
);
--> statement-breakpoint
CREATE INDEX "invites_space_idx" ON "invites" USING btree ("space_id");--> statement-breakpoint
CREATE INDEX "invites_status_created_idx" ON "invites" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "invites_email_trgm_idx" ON "invites" USING gin ("email" gin_trgm_ops);