import type { CustomerHit } from "@/lib/customers/types";

/**
 * What the spaces route handlers answer, shared by the handlers (server) and the components
 * (browser). Request bodies are the zod schemas in lib/spaces/validation.ts.
 */
import type { Device, User } from "@/lib/partner-api/schemas";
import type { Placement } from "./tree";

/** One space as the index knows it: enough for a tree row, a search hit or a breadcrumb. */
export interface SpaceSummary {
  id: string;
  name: string;
  addressLineOne: string;
  addressLineTwo: string | null;
  postcode: string;
  city: string;
  category: string;
  parentId: string | null;
  placement: Placement;
  /** Direct child spaces. */
  childCount: number;
  /** Devices linked to the space, once the index has seen them (null: not crawled yet). */
  deviceCount: number | null;
}

export interface Breadcrumb {
  id: string;
  name: string;
  category: string;
}

/** GET /api/spaces/tree?parent=root|orphans|<id>[&category=…] */
export interface TreeChildrenResponse {
  parent: string;
  nodes: SpaceSummary[];
}

/** GET /api/spaces/tree/path?id=… : the ancestors to expand to reveal a space. */
export interface TreePathResponse {
  id: string;
  placement: Placement;
  ancestors: Breadcrumb[];
}

export type SearchField =
  | "name"
  | "address"
  | "postcode"
  | "city"
  | "externalId"
  | "serialNumber"
  | "deviceName"
  | "email";

export interface SearchHit {
  space: SpaceSummary;
  ancestors: Breadcrumb[];
  matched: { field: SearchField; value: string };
  score: number;
}

/** GET /api/spaces/search?q=…&limit=… */
export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  /** With `customers=1`: matching customers, shown before the spaces. */
  customers?: CustomerHit[];
  /** Time the server spent on the search, also sent as a Server-Timing header. */
  tookMs: number;
}

/** GET /api/spaces/index, POST /api/spaces/index (refresh now) */
export interface IndexStatus {
  state: "empty" | "building" | "ready" | "refreshing" | "failed";
  spaces: number;
  pagesDone: number;
  pagesTotal: number;
  startedAt: string | null;
  finishedAt: string | null;
  lastDurationMs: number | null;
  error: string | null;
  /** Spaces whose devices and users the background crawl has seen. */
  crawledSpaces: number;
  /** Upstream records stored only after removing invalid characters or cutting over-long text. */
  cleanedRecords: number;
}

/** GET /api/spaces/:id */
export interface SpaceDetail {
  space: SpaceSummary & { country: string | null; isParticipatingInLttProject: boolean };
  ancestors: Breadcrumb[];
  children: SpaceSummary[];
  /** Live from the partner API; null when it could not be fetched (error says why). */
  devices: Device[] | null;
  users: User[] | null;
  upstreamError: string | null;
  /** What deleting the space affects (for the manager's confirmation). */
  impact: { descendantSpaces: number; devices: number };
}

/** POST /api/spaces, PATCH /api/spaces/:id */
export interface SpaceWriteResponse {
  space: SpaceSummary;
}
