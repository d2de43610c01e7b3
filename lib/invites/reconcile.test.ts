import { describe, expect, it } from "vitest";
import { acceptedInvites, type ReconcilableInvite } from "./reconcile";

const invite = (id: string, email: string, status: ReconcilableInvite["status"] = "pending", spaceId = "s1"): ReconcilableInvite => ({ id, spaceId, email, status });

describe("acceptedInvites", () => {
  it("accepts a pending invite whose e-mail appears among the users, ignoring case and spaces", () => {
    expect(acceptedInvites([invite("i1", "anna.muster@example.de")], "s1", [{ id: "u1", email: " Anna.Muster@Example.DE" }])).toEqual([{ inviteId: "i1", userId: "u1" }]);
  });
  it("leaves an invite pending while its e-mail is not among the users", () => {
    expect(acceptedInvites([invite("i1", "anna@example.de")], "s1", [{ id: "u1", email: "bernd@example.de" }])).toEqual([]);
  });
  it("never turns a revoked or an already accepted invite", () => {
    const users = [{ id: "u1", email: "anna@example.de" }];
    expect(acceptedInvites([invite("i1", "anna@example.de", "revoked"), invite("i2", "anna@example.de", "accepted")], "s1", users)).toEqual([]);
  });
  it("only looks at invites of the space whose users it was given", () => {
    const users = [{ id: "u1", email: "anna@example.de" }];
    expect(acceptedInvites([invite("i1", "anna@example.de", "pending", "s2"), invite("i2", "anna@example.de")], "s1", users)).toEqual([{ inviteId: "i2", userId: "u1" }]);
  });
  it("accepts every pending invite of the same e-mail in that space (a resent invite)", () => {
    const users = [{ id: "u1", email: "anna@example.de" }];
    expect(acceptedInvites([invite("i1", "anna@example.de"), invite("i2", "ANNA@example.de")], "s1", users).map((a) => a.inviteId)).toEqual(["i1", "i2"]);
  });
});
