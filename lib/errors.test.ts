import { describe, expect, it, vi } from "vitest";

describe("instanceof across two copies of the error modules", () => {
  it("an error from another copy (Next's instrumentation bundle) is still its class and its parents here, and no sibling", async () => {
    const here = await import("@/lib/errors");
    const herePartner = await import("@/lib/partner-api/errors");
    vi.resetModules();
    const there = await import("@/lib/errors");
    const therePartner = await import("@/lib/partner-api/errors");
    expect(there.AppError).not.toBe(here.AppError); // really two copies

    const notFound = new there.NotFoundError("gone");
    expect(notFound instanceof here.AppError).toBe(true);
    expect(notFound instanceof here.NotFoundError).toBe(true);
    expect(notFound instanceof here.ValidationError).toBe(false);
    expect(here.codeOf(notFound)).toBe("not_found");

    const upstream = new therePartner.PartnerApiError({ code: "not_found", status: 404, operation: "getSpace", message: "Space not found", retryable: false });
    expect(upstream instanceof herePartner.PartnerApiError).toBe(true);
    expect(upstream instanceof here.AppError).toBe(true);
    expect(new there.AppError(400, "x", "y") instanceof herePartner.PartnerApiError).toBe(false);
    expect(new Error("plain") instanceof here.AppError).toBe(false);
    expect((null as unknown as object) instanceof here.AppError).toBe(false);
  });
});
