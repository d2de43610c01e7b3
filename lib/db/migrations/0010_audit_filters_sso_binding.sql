ALTER TABLE "staff_accounts" ADD COLUMN "sso_subject" text;--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD COLUMN "sso_takeover_allowed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_email","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD CONSTRAINT "staff_accounts_sso_subject_unique" UNIQUE("sso_subject");