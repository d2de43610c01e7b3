import { describe, expect, it, vi } from "vitest";
import { Devices, Spaces } from "./schemas";

describe("list responses", () => {
  it("drop a malformed record and keep the rest of the page, instead of failing it", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const good = { id: "s1", name: "Haus", addressLineOne: "Weg 1", postcode: "10115", city: "Berlin", category: "FLAT" };
    const page = Spaces.parse({ spaces: [good, { id: "s2", name: null, category: "FLAT" }, 42], totalNumPages: 3 });
    expect(page).toEqual({ spaces: [good], totalNumPages: 3 });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toContain("id s2");
    warn.mockRestore();
  });

  it("still refuse a page whose envelope is wrong", () => {
    expect(Devices.safeParse({ devices: "nope", totalNumPages: 1 }).success).toBe(false);
    expect(Spaces.safeParse({ spaces: [] }).success).toBe(false);
  });
});
