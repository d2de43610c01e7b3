"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { spaceKeys } from "@/lib/spaces/keys";
import { fetchSearch } from "./api";

export const SEARCH_MIN_LENGTH = 2;
const DEBOUNCE_MS = 150;

/** The space lookup behind the header search and the parent pickers: debounced, cached per query. */
export function useSpaceSearch(input: string, withCustomers = false) {
  const [q, setQ] = useState(input.trim());
  useEffect(() => {
    const timer = setTimeout(() => setQ(input.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);
  const enabled = q.length >= SEARCH_MIN_LENGTH;
  const query = useQuery({
    queryKey: spaceKeys.search(q, withCustomers),
    queryFn: ({ signal }) => fetchSearch(q, signal, withCustomers),
    enabled,
    staleTime: 10_000,
    // Keep the last hits on screen while the next keystroke's answer is on its way.
    placeholderData: keepPreviousData,
  });
  return { q, enabled, ...query };
}
