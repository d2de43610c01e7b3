import { z } from "zod";
import { Id } from "@/lib/input/id";

/** The add-user form, in the browser and again in POST /api/spaces/:id/users. */
export const AddUserInput = z.object({
  userId: Id,
  accessRoleId: Id,
});
export type AddUserInput = z.input<typeof AddUserInput>;

