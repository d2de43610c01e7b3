export interface Page<T> {
  items: T[];
  totalNumPages: number;
}

export interface FetchAllPagesOptions {
  /** Pages in flight at once after page 0. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Every page of a paginated list: page 0 first (it says how many there are), then the rest
 * with at most `concurrency` requests in flight. Items come back in page order; one failing
 * page (after the fetch-level retries) fails the whole list rather than returning a silent gap,
 * once no other page is in flight.
 */
export async function fetchAllPages<T>(fetchPage: (page: number) => Promise<Page<T>>, { concurrency, onProgress }: FetchAllPagesOptions): Promise<T[]> {
  const first = await fetchPage(0);
  const total = Math.max(1, first.totalNumPages);
  const pages: T[][] = [first.items];
  let done = 1;
  onProgress?.(done, total);

  let next = 1;
  let failed = false;
  const worker = async () => {
    while (!failed && next < total) {
      const page = next++;
      try {
        pages[page] = (await fetchPage(page)).items;
      } catch (error) {
        failed = true; // stop the other workers from starting pages nobody will use
        throw error;
      }
      done += 1;
      onProgress?.(done, total);
    }
  };
  // On a failure, the pages already on their way are waited for before rejecting: a caller that
  // stores each page (the space index refresh, under its lock) must not see one arrive after it
  // has given up and unlocked.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(Math.max(1, concurrency), total - 1) }, worker));
  const failure = outcomes.find((o) => o.status === "rejected");
  if (failure) throw failure.reason;
  return pages.flat();
}
