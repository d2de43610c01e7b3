import { afterEach, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { createPartnerClient } from "./client";
import { fetchAllPages } from "./paginate";
import { startFakeApi, type FakeApi } from "./testing/fake-api";

/** A fake paginated source with random per-page latency that records how many pages are in flight. */
function source(totalNumPages: number, failPage?: number) {
  const stats = { inFlight: 0, maxInFlight: 0, requested: [] as number[] };
  const fetchPage = async (page: number) => {
    stats.requested.push(page);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await sleep(2 + Math.random() * 15);
    stats.inFlight -= 1;
    if (page === failPage) throw new Error(`page ${page} failed`);
    return { items: [`${page}a`, `${page}b`], totalNumPages };
  };
  return { stats, fetchPage };
}

describe("fetchAllPages", () => {
  it("returns every page in order, never more than `concurrency` in flight, reporting progress", async () => {
    const { stats, fetchPage } = source(20);
    const progress: Array<[number, number]> = [];
    const items = await fetchAllPages(fetchPage, { concurrency: 3, onProgress: (done, total) => progress.push([done, total]) });
    expect(items).toEqual(Array.from({ length: 20 }, (_, p) => [`${p}a`, `${p}b`]).flat());
    expect(stats.maxInFlight).toBe(3);
    expect(stats.requested[0]).toBe(0);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, 20]));
  });

  it("makes one request for a single page or an empty list", async () => {
    for (const total of [0, 1]) {
      const { stats, fetchPage } = source(total);
      expect(await fetchAllPages(fetchPage, { concurrency: 6 })).toEqual(["0a", "0b"]);
      expect(stats.requested).toEqual([0]);
    }
  });

  it("rejects when one page fails and stops starting new pages", async () => {
    const { stats, fetchPage } = source(50, 4);
    await expect(fetchAllPages(fetchPage, { concurrency: 2 })).rejects.toThrow("page 4 failed");
    await sleep(50);
    expect(stats.requested.length).toBeLessThan(50);
  });

  it("rejects only once the pages already in flight have come back, so none arrives after the failure", async () => {
    const { stats, fetchPage } = source(50, 4);
    const arrived: number[] = [];
    const failed = fetchAllPages(
      async (page) => {
        const result = await fetchPage(page);
        arrived.push(page);
        return result;
      },
      { concurrency: 4 },
    ).catch((error: Error) => ({ error, inFlight: stats.inFlight, arrivedBefore: arrived.length }));
    const outcome = await failed;
    expect(outcome).toMatchObject({ error: { message: "page 4 failed" }, inFlight: 0 });
    await sleep(50);
    expect(arrived.length).toBe((outcome as { arrivedBefore: number }).arrivedBefore);
  });
});

describe("getAll* through the client", () => {
  let fake: FakeApi;
  afterEach(() => fake?.close());

  it("fetches all spaces with pageConcurrency requests in flight at most", async () => {
    const total = 9;
    fake = await startFakeApi(async (call) => {
      const page = Number(call.query.get("page"));
      await sleep(10 + Math.random() * 10);
      return { body: { spaces: [{ id: `s-${page}`, name: `Space ${page}`, addressLineOne: "a", postcode: "1", city: "c", category: "FLAT" }], totalNumPages: total } };
    });
    const progress: number[] = [];
    const spaces = await createPartnerClient(fake.config({ pageConcurrency: 3, pageSize: 1 })).getAllSpaces((done) => progress.push(done));
    expect(spaces.map((s) => s.id)).toEqual(Array.from({ length: total }, (_, p) => `s-${p}`));
    expect(fake.maxInFlight).toBe(3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fake.calls.every((c) => c.query.get("pageSize") === "1")).toBe(true);
  });
});
