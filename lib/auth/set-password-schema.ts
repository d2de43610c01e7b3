import { z } from "zod";

/** The set-password form (a one-time link's page), in the browser and again in POST /api/password-links. */
export const SetPasswordInput = z
  .object({
    token: z.string().min(20, { error: "linkInvalid" }).max(200, { error: "linkInvalid" }),
    password: z.string().min(10, { error: "passwordTooShort" }).max(200, { error: "passwordTooLong" }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "passwordMismatch" });
export type SetPasswordInput = z.infer<typeof SetPasswordInput>;
