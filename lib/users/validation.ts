import { z } from "zod";

/** The add-user form, in the browser and again in POST /api/spaces/:id/users. */
export const AddUserInput = z.object({
  userId: z.string().trim().min(1, "required"),
  accessRoleId: z.string().trim().min(1, "required"),
});
export type AddUserInput = z.input<typeof AddUserInput>;

