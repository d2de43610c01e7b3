import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import type { PartnerClient } from "@/lib/partner-api";
import { isShuttingDown, onShutdown } from "@/lib/server/shutdown";
import { rememberDevices, rememberUsers } from "./index-writes";

export interface CrawlOptions {
  concurrency: number;
  ratePerSecond: number;
}

export interface CrawlHandle {
  /** Resolves with the number of spaces visited once the crawl has finished or stopped. */
  done: Promise<number>;
  stop(): void;
}

// One crawl per process (on globalThis for hot reloads): two would fetch every space twice.
const crawlState = ((globalThis as { __zfSpaceCrawl?: { current?: CrawlHandle } }).__zfSpaceCrawl ??= {});

/** Stop after this many failures in a row: upstream is down, the next refresh starts a new crawl. */
const MAX_CONSECUTIVE_FAILURES = 5;

/**
 * Visits every space once, oldest `devices_crawled_at` first (never crawled first), and stores
 * its devices and users. Returns the running crawl if one is already going.
 */
export function startCrawl(db: Database, client: PartnerClient, options: CrawlOptions): CrawlHandle {
  if (crawlState.current) return crawlState.current;
  // Draining after SIGTERM: no new background work (the next instance's refresh crawls again).
  if (isShuttingDown()) return { done: Promise.resolve(0), stop: () => undefined };
  onShutdown("space crawl", stopCrawl);
  let stopped = false;
  const startedAt = new Date();
  const interval = 1_000 / options.ratePerSecond;
  let nextSlot = 0;
  let failuresInRow = 0;
  const failed: string[] = [];

  // Spaces not visited since this crawl began; claimed in small batches so writes elsewhere
  // (a space detail view) that refresh a space also take it off the list.
  const claim = async (): Promise<string[]> => {
    const rows = await db
      .select({ id: spaceIndex.id })
      .from(spaceIndex)
      .where(
        and(
          or(isNull(spaceIndex.devicesCrawledAt), lt(spaceIndex.devicesCrawledAt, startedAt)),
          failed.length ? notInArray(spaceIndex.id, failed) : undefined,
        ),
      )
      .orderBy(sql`${spaceIndex.devicesCrawledAt} asc nulls first`, asc(spaceIndex.id))
      .limit(options.concurrency * 4);
    return rows.map((r) => r.id);
  };

  const visit = async (spaceId: string) => {
    // Rate limit: starts are spaced `interval` apart across all workers.
    const now = Date.now();
    const wait = Math.max(0, nextSlot - now);
    nextSlot = Math.max(now, nextSlot) + interval;
    if (wait > 0) await sleep(wait);
    if (stopped) return false;
    try {
      const [devices, users] = await Promise.all([client.getAllDevicesInSpace(spaceId), client.getAllUsersInSpace(spaceId)]);
      await rememberDevices(db, spaceId, devices);
      await rememberUsers(db, spaceId, users);
      failuresInRow = 0;
      return true;
    } catch (error) {
      failed.push(spaceId);
      if (++failuresInRow >= MAX_CONSECUTIVE_FAILURES) {
        console.error("Space crawl stopped after repeated upstream failures", error);
        stopped = true;
      }
      return false;
    }
  };

  const run = async () => {
    let visited = 0;
    while (!stopped) {
      const batch = await claim();
      if (batch.length === 0) break;
      const queue = [...batch];
      await Promise.all(
        Array.from({ length: Math.min(options.concurrency, queue.length) }, async () => {
          for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
            if (await visit(id)) visited++;
          }
        }),
      );
    }
    return visited;
  };

  const handle: CrawlHandle = {
    done: run().finally(() => {
      if (crawlState.current === handle) crawlState.current = undefined;
    }),
    stop: () => {
      stopped = true;
    },
  };
  crawlState.current = handle;
  return handle;
}

/** Stops the running crawl, if any, and waits for its in-flight visits. */
export async function stopCrawl(): Promise<void> {
  const current = crawlState.current;
  if (!current) return;
  current.stop();
  await current.done.catch(() => undefined);
}
