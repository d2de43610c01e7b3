import "server-only";
import { z } from "zod";

/** Space index settings from the environment (documented in README / the issue report). */
export interface SpaceIndexSettings {
  /** Older than this, a read starts a background refresh (stale-while-revalidate). */
  ttlSeconds: number;
  /** Spaces whose devices and users are fetched at once by the background crawl. */
  crawlConcurrency: number;
  /** Spaces the crawl visits per second at most (each visit lists devices and users). */
  crawlRatePerSecond: number;
  /** Off by default under tests (NODE_ENV=test), so a unit test never crawls behind its back. */
  crawlEnabled: boolean;
}

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
    .transform((v) => ["1", "true", "on", "yes"].includes(v))
    .default(fallback);

export function spaceIndexSettings(env: Record<string, string | undefined> = process.env): SpaceIndexSettings {
  // An empty variable means "unset", as for the partner API settings.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = z
    .object({
      SPACE_INDEX_TTL_SECONDS: int(0, 86_400, 300),
      SPACE_CRAWL_CONCURRENCY: int(1, 16, 2),
      SPACE_CRAWL_RATE_PER_SECOND: z.coerce.number().positive().max(1_000).default(5),
      SPACE_CRAWL_ENABLED: flag(env.NODE_ENV !== "test"),
    })
    .safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid space index settings. ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  return {
    ttlSeconds: e.SPACE_INDEX_TTL_SECONDS,
    crawlConcurrency: e.SPACE_CRAWL_CONCURRENCY,
    crawlRatePerSecond: e.SPACE_CRAWL_RATE_PER_SECOND,
    crawlEnabled: e.SPACE_CRAWL_ENABLED,
  };
}
