import { z } from "zod";

/** GET /api/customers */
export const ListCustomersQuery = z.object({
  q: z.string().trim().max(200, { error: "tooLong" }).optional(),
  page: z.coerce.number().int().min(0).default(0),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCustomersQuery = z.infer<typeof ListCustomersQuery>;

/** The partner's ERP numbers (customer and contract): printable, no slashes, not too long. */
export const ErpNumber = z
  .string({ error: "required" })
  .trim()
  .min(1, { error: "required" })
  .max(64, { error: "tooLong" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, { error: "erpNumber" });
