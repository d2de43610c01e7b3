/**
 * `/__sandbox/*`: what a test or the demo needs besides the partner API (no auth): the e-mail
 * outbox, the customer's side of an invite (space and customer invites), what a user may see of a
 * device's readings, the contracts of a set of customers, fault knobs, call statistics and token control.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { HttpError, notFound, parseWith } from "./http";
import type { TokenIssuer } from "./jwt";
import { deviceReadings, type Route, type RouteContext } from "./partner";
import type { Store } from "./store";
import type { Faults, SandboxStats } from "./server";
import { ReadingsQuery } from "../lib/partner-api/schemas";

export interface ControlContext extends RouteContext {
  /** Runs `fn` once this request's answer has been sent (or the client has gone). */
  afterResponse(fn: () => void): void;
}

export interface ControlRoute extends Omit<Route, "operationId" | "handle"> {
  handle(ctx: ControlContext): unknown;
}

const OutboxMail = z.object({ to: z.email(), subject: z.string().min(1).max(300), body: z.string().max(20_000), link: z.url().optional() });

export const FaultsPatch = z
  .object({
    latencyMs: z.number().min(0),
    latencyOperations: z.array(z.string()).nullable(),
    errorRate: z.number().min(0).max(1),
    rateLimitRate: z.number().min(0).max(1),
    retryAfterSeconds: z.number().int().min(0),
    tokenLifetimeSeconds: z.number().int().min(1),
    failNext: z
      .object({
        status: z.number().int().min(400).max(599),
        count: z.number().int().min(1),
        operations: z.array(z.string()).optional(),
      })
      .nullable(),
    /**
     * An outage: the sandbox stops listening and cuts every connection for this long, as if the
     * process were stopped (connecting is refused), then comes back with all its state. Not a
     * setting but an action, so GET /faults does not show it; 0 does nothing. The control API
     * shares the port, so it is unreachable during the outage too: that is intended, wait it out.
     */
    downForMs: z.number().min(0).max(600_000),
  })
  .partial()
  .strict();

export interface ControlDeps {
  store: Store;
  tokens: TokenIssuer;
  getFaults(): Faults;
  setFaults(patch: Partial<Faults>): void;
  stats(): SandboxStats;
  resetStats(): void;
  goDown(ms: number): Promise<void>;
}

const AcceptBody = z.object({ name: z.string().optional() }).optional();

export function controlRoutes(deps: ControlDeps): ControlRoute[] {
  const { store, tokens } = deps;
  const invite = (token: string) => {
    const row = store.getInvite(token);
    if (!row) throw notFound(`Unknown invite: ${token}`);
    return row;
  };
  const customerInvite = (token: string) => {
    const row = store.getCustomerInvite(token);
    if (!row) throw notFound(`Unknown customer invite: ${token}`);
    return row;
  };
  return [
    {
      method: "GET",
      path: "/health",
      handle: () => ({
        ok: true,
        spaces: store.db.prepare("SELECT count(*) FROM spaces").pluck().get() as number,
      }),
    },
    {
      // The dashboard's own e-mails (set-password links) in the demo: MAIL_OUTBOX_URL points here.
      method: "POST",
      path: "/outbox",
      handle: ({ body }) => {
        const mail = parseWith(OutboxMail, body);
        store.insertEmail({ to: mail.to, subject: mail.subject, body: mail.body, inviteLink: mail.link ?? "", inviteToken: "", spaceId: "", accessRoleId: "" });
        return { ok: true };
      },
    },
    {
      method: "GET",
      path: "/outbox",
      handle: ({ query }) => ({ emails: store.listEmails(query.get("to") ?? undefined) }),
    },
    {
      method: "GET",
      path: "/invites/{token}",
      handle: ({ params }) => {
        const row = invite(params.token);
        return {
          token: row.token,
          email: row.email,
          spaceId: row.space_id,
          accessRoleId: row.access_role_id,
          createdAt: row.created_at,
          acceptedUserId: row.accepted_user_id,
        };
      },
    },
    {
      method: "POST",
      path: "/invites/{token}/accept",
      handle: ({ params, body }) => {
        const row = invite(params.token);
        const accept = parseWith(AcceptBody, body);
        if (!store.getSpace(row.space_id)) throw notFound(`The space of this invite no longer exists: ${row.space_id}`);
        const userId = store.db.transaction(() => {
          const id = store.loginUserByEmail(row.email, accept?.name, randomUUID());
          // A second accept keeps whatever role the user has by now.
          if (!row.accepted_user_id) store.upsertMember(row.space_id, id, row.access_role_id);
          store.markInviteAccepted(row.token, id);
          return id;
        })();
        return { userId, spaceId: row.space_id };
      },
    },
    {
      method: "GET",
      path: "/customer-invites/{token}",
      handle: ({ params }) => {
        const row = customerInvite(params.token);
        return {
          token: row.token,
          email: row.email,
          customerId: row.customer_id,
          createdAt: row.created_at,
          acceptedUserId: row.accepted_user_id,
        };
      },
    },
    {
      method: "POST",
      path: "/customer-invites/{token}/accept",
      handle: ({ params, body }) => {
        const row = customerInvite(params.token);
        const accept = parseWith(AcceptBody, body);
        const customer = store.findCustomer(row.customer_id);
        if (!customer) throw notFound(`The customer of this invite no longer exists: ${row.customer_id}`);
        return store.db.transaction(() => {
          const userId = store.loginUserByEmail(row.email, accept?.name ?? customer.name ?? undefined, randomUUID());
          store.linkCustomerUser(customer.id, userId);
          // Every space of the customer's contracts; contracts added later add their space themselves.
          const roleId = store.defaultRoleId();
          const spaceIds = store.customerSpaceIds(customer.id);
          for (const spaceId of spaceIds) store.addMemberIfAbsent(spaceId, userId, roleId);
          store.markCustomerInviteAccepted(row.token, userId);
          return { userId, customerId: customer.id, spaceIds };
        })();
      },
    },
    {
      // getReadingsByDevice as the user would see it: only the windows of the user's contracts on the device.
      method: "GET",
      path: "/users/{userId}/devices/{deviceId}/readings",
      handle: ({ params, query }) => {
        if (!store.userExists(params.userId)) throw notFound(`User not found: ${params.userId}`);
        const device = store.getDevice(params.deviceId);
        if (!device) throw notFound(`Device not found: ${params.deviceId}`);
        const q = parseWith(ReadingsQuery, Object.fromEntries(query));
        return deviceReadings(store, device, q, store.visibleWindows(params.userId, device.seq));
      },
    },
    {
      // Read-only: what a test counts after a bulk import (the partner API lists customers, not contracts).
      method: "GET",
      path: "/contracts",
      handle: ({ query }) => {
        const prefix = query.get("customerPrefix") ?? "";
        if (!prefix) throw new HttpError(400, "customerPrefix is required (the external ids of one run's customers start with it)");
        return { contracts: store.contractsOfCustomerPrefix(prefix) };
      },
    },
    { method: "GET", path: "/faults", handle: () => deps.getFaults() },
    {
      method: "PUT",
      path: "/faults",
      handle: ({ body, afterResponse }) => {
        const { downForMs, ...patch } = parseWith(FaultsPatch, body);
        deps.setFaults(patch);
        // Only after the answer is out: going down now would cut off this very response.
        if (downForMs) afterResponse(() => void deps.goDown(downForMs));
        return deps.getFaults();
      },
    },
    { method: "GET", path: "/stats", handle: () => deps.stats() },
    {
      method: "POST",
      path: "/stats/reset",
      handle: () => {
        deps.resetStats();
        return deps.stats();
      },
    },
    { method: "GET", path: "/tokens", handle: () => ({ tokens: tokens.allIssued() }) },
    {
      method: "POST",
      path: "/tokens/revoke",
      handle: () => {
        tokens.revokeAll();
        return { revoked: true };
      },
    },
  ];
}
