/**
 * Request schemas of the spaces route handlers, shared by the forms (react-hook-form + zod) and the
 * handlers. Error messages are short codes the UI translates (`required`, `tooLong`, …).
 * No `server-only`: the browser bundles these.
 */
import { z } from "zod";
import { Id } from "@/lib/input/id";
import { SpaceCategory } from "@/lib/partner-api/schemas";

export const SPACE_LIMITS = { name: 120, addressLine: 200, postcode: 10, city: 100, searchQuery: 200, searchLimit: 50 } as const;

const text = (max: number) => z.string({ error: "required" }).trim().min(1, { error: "required" }).max(max, { error: "tooLong" });
const optionalText = (max: number) => z.string().trim().max(max, { error: "tooLong" });
const postcode = text(SPACE_LIMITS.postcode).regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, { error: "invalid" });
const category = z.enum(SpaceCategory.options, { error: "required" });
const spaceId = Id;

/** New space: the contract's NewSpace with friendly limits. An empty second address line is no line. */
export const CreateSpaceInput = z.object({
  name: text(SPACE_LIMITS.name),
  addressLineOne: text(SPACE_LIMITS.addressLine),
  addressLineTwo: optionalText(SPACE_LIMITS.addressLine).optional(),
  postcode,
  city: text(SPACE_LIMITS.city),
  category,
  parentSpaceId: spaceId.optional(),
  isParticipatingInLttProject: z.boolean().optional(),
});
export type CreateSpaceInput = z.infer<typeof CreateSpaceInput>;

/** Only the changed fields; `null` clears the second address line or moves the space to the top level. */
export const UpdateSpaceInput = z
  .object({
    name: text(SPACE_LIMITS.name).optional(),
    addressLineOne: text(SPACE_LIMITS.addressLine).optional(),
    addressLineTwo: optionalText(SPACE_LIMITS.addressLine).nullable().optional(),
    postcode: postcode.optional(),
    city: text(SPACE_LIMITS.city).optional(),
    category: category.optional(),
    parentSpaceId: spaceId.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), { error: "empty" });
export type UpdateSpaceInput = z.infer<typeof UpdateSpaceInput>;

/** Deleting asks for the space's name, typed again. */
export const DeleteSpaceInput = z.object({ confirmName: z.string({ error: "required" }).min(1, { error: "required" }) });
export type DeleteSpaceInput = z.infer<typeof DeleteSpaceInput>;

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** `parent`: `root`, `orphans` or a space id; `category` filters (with parent=root: a flat list of that category). */
export const TreeQuery = z.object({
  parent: z.union([z.enum(["root", "orphans"]), Id], { error: "invalidId" }).default("root"),
  category: z.preprocess(emptyAsUndefined, SpaceCategory.optional()),
});
export type TreeQuery = z.infer<typeof TreeQuery>;

export const TreePathQuery = z.object({ id: spaceId });
export type TreePathQuery = z.infer<typeof TreePathQuery>;

export const SearchQuery = z.object({
  q: z.string({ error: "required" }).trim().min(1, { error: "required" }).max(SPACE_LIMITS.searchQuery, { error: "tooLong" }),
  limit: z.coerce.number().int().min(1).max(SPACE_LIMITS.searchLimit, { error: "tooLarge" }).default(20),
  /** The header search also looks up customers (number, name, e-mail); the parent pickers do not. */
  customers: z.enum(["0", "1"]).default("0"),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
