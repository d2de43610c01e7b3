import { z } from "zod";

/** Page of the spaces table: the browser sends it, the route handler parses it. */
export const SPACE_PAGE_SIZES = [25, 50, 100] as const;
export const SpacesPageQuery = z.object({
  page: z.coerce.number().int().min(0).max(100_000).default(0),
  pageSize: z.coerce
    .number()
    .int()
    .refine((n) => (SPACE_PAGE_SIZES as readonly number[]).includes(n), { error: "pageSize must be 25, 50 or 100" })
    .default(50),
});
export type SpacesPageQuery = z.infer<typeof SpacesPageQuery>;
