import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

/** Add a colleague (POST /api/staff); no password: they set it through a one-time link. */
export const AddStaffInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "email" })),
  name: z.string({ error: "required" }).trim().min(1, { error: "required" }).max(120, { error: "tooLong" }),
  role: z.enum(ROLES, { error: "required" }),
  // "sso": the account waits for its first SSO sign-in (verified e-mail); no password link.
  signIn: z.enum(["password", "sso"]).default("password"),
});
export type AddStaffInput = z.input<typeof AddStaffInput>;

/** PATCH /api/staff/:id */
export const UpdateStaffInput = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    // Lets the next SSO sign-in with this (verified) e-mail take the password account over.
    allowSso: z.literal(true).optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.allowSso !== undefined, { error: "empty" });
