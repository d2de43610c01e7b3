/**
 * Data access of the partner API: SQL in, contract-shaped objects out. Every field the spec
 * marks `required` is filled (never null), so responses validate against openapi.yaml.
 */
import {
  CATEGORY_ICONS,
  COUNTRY,
  DEVICE_TYPE_INFO,
  PARTNER_ID,
  PARTNER_OWNER_USER_ID,
  PROVIDER_INFO,
  deviceTypeImageUrl,
  providerLogoUrl,
  type SandboxProvider,
} from "./catalog";
import type { Db } from "./db";
import type { RawReading } from "./readings";
import { fromBerlinLocal } from "../lib/readings/time";
import type {
  AccessRole,
  Customer,
  Device,
  DeviceStatus,
  DeviceType,
  Direction,
  Medium,
  Metadata,
  Space,
  SpaceCategory,
  User,
} from "../lib/partner-api/schemas";

export interface SpaceRow {
  seq: number;
  id: string;
  name: string;
  address_line_one: string;
  address_line_two: string | null;
  postcode: string;
  city: string;
  category: SpaceCategory;
  parent_id: string | null;
  ltt: number;
  created_at: string;
}

export interface DeviceRow {
  seq: number;
  id: string;
  name: string;
  status: DeviceStatus;
  device_type: DeviceType;
  medium: Medium;
  provider: SandboxProvider;
  external_id: string | null;
  melo: string | null;
  malo: string | null;
  serial_number: string | null;
  extra_meta: string;
  error_message: string | null;
  directions: string;
  conversion_factor: number | null;
  created_at: string;
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  phone: string;
  created_at: string;
  last_login: string;
  login_count: number;
}

interface RoleRow {
  id: string;
  name: string;
  description: string;
  permission_ids: string;
  is_default: number;
}

export interface InviteRow {
  token: string;
  space_id: string;
  email: string;
  access_role_id: string;
  created_at: string;
  accepted_user_id: string | null;
}

export interface CustomerRow {
  seq: number;
  id: string;
  external_id: string;
  email: string | null;
  name: string | null;
  created_at: string;
}

export interface CustomerInviteRow {
  token: string;
  customer_id: string;
  email: string;
  created_at: string;
  accepted_user_id: string | null;
}

export interface ContractRow {
  seq: number;
  id: string;
  customer_id: string;
  external_id: string;
  address_line_one: string;
  address_line_two: string | null;
  postcode: string;
  city: string;
  space_id: string;
  device_seq: number | null;
  device_id: string | null;
  /** `YYYY-MM-DD`, a Berlin calendar day. */
  start_date: string | null;
  medium: Medium;
  /** JSON object of the contract's `custom_attributes`. */
  custom_attributes: string;
  /** Epoch seconds. */
  time_window_start: number | null;
  time_window_end: number | null;
  created_at: string;
}

/** A half-open interval [from, to) of epoch seconds; null is unbounded on that side. */
export interface TimeWindow {
  from: number | null;
  to: number | null;
}

export interface NewDeviceRecord {
  name: string;
  status: DeviceStatus;
  deviceType: DeviceType;
  medium: Medium;
  provider: SandboxProvider;
  externalId?: string;
  melo?: string;
  malo?: string;
  serialNumber?: string;
  extraMeta?: Metadata[];
  directions: Direction[];
  conversionFactor?: number;
}

export interface Page<T> {
  items: T[];
  totalNumPages: number;
}

const nowIso = () => new Date().toISOString();

/** Epoch seconds of 00:00 Europe/Berlin on a `YYYY-MM-DD` day (midnight is never in a DST gap there). */
export function berlinMidnight(day: string): number {
  const t = fromBerlinLocal(`${day}T00:00`);
  if (t.kind === "ok") return t.seconds;
  if (t.kind === "ambiguous") return t.earlier;
  throw new Error(`not a calendar day: ${day}`);
}
const orNull = (s: string | undefined) => (s === undefined || s === "" ? null : s);

function paginate<T>(total: number, page: number, pageSize: number, load: (limit: number, offset: number) => T[]): Page<T> {
  return { items: load(pageSize, page * pageSize), totalNumPages: Math.ceil(total / pageSize) };
}

export class Store {
  constructor(readonly db: Db) {}

  // -- spaces --------------------------------------------------------------------------------

  getSpace(id: string): SpaceRow | undefined {
    return this.db.prepare("SELECT * FROM spaces WHERE id = ?").get(id) as SpaceRow | undefined;
  }

  listSpaces(page: number, pageSize: number): Page<Space> {
    const total = (this.db.prepare("SELECT count(*) AS n FROM spaces").get() as { n: number }).n;
    return paginate(total, page, pageSize, (limit, offset) => {
      const rows = this.db.prepare("SELECT * FROM spaces ORDER BY seq LIMIT ? OFFSET ?").all(limit, offset) as SpaceRow[];
      return this.toApiSpaces(rows);
    });
  }

  insertSpace(s: Omit<SpaceRow, "seq" | "created_at">): void {
    this.db
      .prepare(
        `INSERT INTO spaces (id, name, address_line_one, address_line_two, postcode, city, category, parent_id, ltt, created_at)
         VALUES (@id, @name, @address_line_one, @address_line_two, @postcode, @city, @category, @parent_id, @ltt, @created_at)`,
      )
      .run({ ...s, created_at: nowIso() });
  }

  updateSpace(row: SpaceRow): void {
    this.db
      .prepare(
        `UPDATE spaces SET name = @name, address_line_one = @address_line_one, address_line_two = @address_line_two,
         postcode = @postcode, city = @city, category = @category, parent_id = @parent_id WHERE id = @id`,
      )
      .run(row);
  }

  countChildren(spaceId: string): number {
    return (this.db.prepare("SELECT count(*) AS n FROM spaces WHERE parent_id = ?").get(spaceId) as { n: number }).n;
  }

  /** Whether `candidate` is `spaceId` or lies below it (a parent there would make a cycle). */
  isSelfOrDescendant(candidate: string, spaceId: string): boolean {
    for (let id: string | null = candidate; id; id = this.getSpace(id)?.parent_id ?? null) {
      if (id === spaceId) return true;
    }
    return false;
  }

  /** Deletes the space, its memberships and invites, and every device linked to it. */
  deleteSpace(spaceId: string): void {
    this.db.transaction(() => {
      const seqs = this.db.prepare("SELECT device_seq FROM space_devices WHERE space_id = ?").pluck().all(spaceId) as number[];
      for (const seq of seqs) this.deleteDevice(seq);
      this.db.prepare("DELETE FROM space_users WHERE space_id = ?").run(spaceId);
      this.db.prepare("DELETE FROM invites WHERE space_id = ?").run(spaceId);
      this.db.prepare("DELETE FROM spaces WHERE id = ?").run(spaceId);
    })();
  }

  private toApiSpaces(rows: SpaceRow[]): Space[] {
    const members = new Map<string, string[]>();
    if (rows.length > 0) {
      const marks = rows.map(() => "?").join(",");
      const links = this.db
        .prepare(`SELECT space_id, user_id FROM space_users WHERE space_id IN (${marks}) ORDER BY added_seq`)
        .all(...rows.map((r) => r.id)) as { space_id: string; user_id: string }[];
      for (const l of links) members.set(l.space_id, [...(members.get(l.space_id) ?? []), l.user_id]);
    }
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      addressLineOne: r.address_line_one,
      ...(r.address_line_two ? { addressLineTwo: r.address_line_two } : {}),
      postcode: r.postcode,
      city: r.city,
      ownerUserId: PARTNER_OWNER_USER_ID,
      category: r.category,
      categoryIcon: CATEGORY_ICONS[r.category] ?? "mdi-map-marker",
      associatedUsersId: members.get(r.id) ?? [],
      country: COUNTRY,
      ...(r.parent_id ? { parentSpaceId: r.parent_id } : {}),
      isParticipatingInLttProject: r.ltt === 1,
    }));
  }

  // -- users, roles, memberships -------------------------------------------------------------

  listRoles(): AccessRole[] {
    const rows = this.db.prepare("SELECT * FROM access_roles ORDER BY seq").all() as RoleRow[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      permissionIds: JSON.parse(r.permission_ids) as string[],
    }));
  }

  roleExists(id: string): boolean {
    return this.db.prepare("SELECT 1 FROM access_roles WHERE id = ?").get(id) !== undefined;
  }

  defaultRoleId(): string {
    return this.db.prepare("SELECT id FROM access_roles WHERE is_default = 1 ORDER BY seq LIMIT 1").pluck().get() as string;
  }

  userExists(id: string): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE id = ?").get(id) !== undefined;
  }

  /** The user with this e-mail (case-insensitive), created when there is none; counts a login. */
  loginUserByEmail(email: string, name: string | undefined, newId: string): string {
    const existing = this.db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string | undefined;
    const now = nowIso();
    if (existing) {
      this.db.prepare("UPDATE users SET last_login = ?, login_count = login_count + 1 WHERE id = ?").run(now, existing);
      return existing;
    }
    const displayName = name?.trim() || email.split("@")[0];
    this.db
      .prepare("INSERT INTO users (id, name, email, phone, created_at, last_login, login_count) VALUES (?, ?, ?, '', ?, ?, 1)")
      .run(newId, displayName, email, now, now);
    return newId;
  }

  listMembers(spaceId: string, page: number, pageSize: number): Page<User> {
    const total = (this.db.prepare("SELECT count(*) AS n FROM space_users WHERE space_id = ?").get(spaceId) as { n: number }).n;
    return paginate(total, page, pageSize, (limit, offset) => {
      const rows = this.db
        .prepare(
          `SELECT u.* FROM space_users m JOIN users u ON u.id = m.user_id WHERE m.space_id = ?
           ORDER BY m.added_seq LIMIT ? OFFSET ?`,
        )
        .all(spaceId, limit, offset) as UserRow[];
      return rows.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        partnerId: PARTNER_ID,
        lastLogin: u.last_login,
        phoneNumber: u.phone,
        createdAt: u.created_at,
        loginCount: u.login_count,
        picture: `https://www.gravatar.com/avatar/${u.id.replace(/-/g, "")}?d=identicon`,
      }));
    });
  }

  /** Adds the member, or changes the role of an existing one. */
  upsertMember(spaceId: string, userId: string, roleId: string): void {
    this.db
      .prepare(
        `INSERT INTO space_users (space_id, user_id, access_role_id, added_seq)
         VALUES (?, ?, ?, (SELECT coalesce(max(added_seq), 0) + 1 FROM space_users))
         ON CONFLICT(space_id, user_id) DO UPDATE SET access_role_id = excluded.access_role_id`,
      )
      .run(spaceId, userId, roleId);
  }

  /** Returns how many memberships were removed. */
  removeMembers(spaceId: string, userId?: string): number {
    if (userId === undefined) return this.db.prepare("DELETE FROM space_users WHERE space_id = ?").run(spaceId).changes;
    return this.db.prepare("DELETE FROM space_users WHERE space_id = ? AND user_id = ?").run(spaceId, userId).changes;
  }

  // -- invites and outbox --------------------------------------------------------------------

  insertInvite(invite: Omit<InviteRow, "created_at" | "accepted_user_id">): void {
    this.db
      .prepare("INSERT INTO invites (token, space_id, email, access_role_id, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(invite.token, invite.space_id, invite.email, invite.access_role_id, nowIso());
  }

  getInvite(token: string): InviteRow | undefined {
    return this.db.prepare("SELECT * FROM invites WHERE token = ?").get(token) as InviteRow | undefined;
  }

  markInviteAccepted(token: string, userId: string): void {
    this.db.prepare("UPDATE invites SET accepted_user_id = ? WHERE token = ?").run(userId, token);
  }

  insertEmail(e: { to: string; subject: string; body: string; inviteLink: string; inviteToken: string; spaceId: string; accessRoleId: string }): void {
    this.db
      .prepare(
        `INSERT INTO outbox (recipient, subject, body, invite_link, invite_token, space_id, access_role_id, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.to, e.subject, e.body, e.inviteLink, e.inviteToken, e.spaceId, e.accessRoleId, nowIso());
  }

  listEmails(to?: string) {
    const rows = this.db
      .prepare(`SELECT * FROM outbox ${to ? "WHERE lower(recipient) = lower(?)" : ""} ORDER BY id`)
      .all(...(to ? [to] : [])) as {
      id: number;
      recipient: string;
      subject: string;
      body: string;
      invite_link: string;
      invite_token: string;
      space_id: string;
      access_role_id: string;
      sent_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      to: r.recipient,
      subject: r.subject,
      body: r.body,
      inviteLink: r.invite_link,
      inviteToken: r.invite_token,
      spaceId: r.space_id,
      accessRoleId: r.access_role_id,
      sentAt: r.sent_at,
    }));
  }


  // -- customers, customer invites, contracts ------------------------------------------------

  /** By platform id first, else by the partner's external id (paths accept either). */
  findCustomer(idOrExternalId: string): CustomerRow | undefined {
    return (this.db.prepare("SELECT * FROM customers WHERE id = ?").get(idOrExternalId) ??
      this.db.prepare("SELECT * FROM customers WHERE external_id = ?").get(idOrExternalId)) as CustomerRow | undefined;
  }

  getCustomerByExternalId(externalId: string): CustomerRow | undefined {
    return this.db.prepare("SELECT * FROM customers WHERE external_id = ?").get(externalId) as CustomerRow | undefined;
  }

  insertCustomer(c: Pick<CustomerRow, "id" | "external_id" | "email" | "name">): void {
    this.db
      .prepare("INSERT INTO customers (id, external_id, email, name, created_at) VALUES (@id, @external_id, @email, @name, @created_at)")
      .run({ ...c, created_at: nowIso() });
  }

  updateCustomer(c: Pick<CustomerRow, "id" | "email" | "name">): void {
    this.db.prepare("UPDATE customers SET email = @email, name = @name WHERE id = @id").run(c);
  }

  listCustomers(page: number, pageSize: number): Page<Customer> {
    const total = (this.db.prepare("SELECT count(*) AS n FROM customers").get() as { n: number }).n;
    return paginate(total, page, pageSize, (limit, offset) => {
      const rows = this.db.prepare("SELECT * FROM customers ORDER BY seq LIMIT ? OFFSET ?").all(limit, offset) as CustomerRow[];
      return rows.map((r) => ({
        id: r.id,
        external_id: r.external_id,
        ...(r.email ? { email: r.email } : {}),
        ...(r.name ? { name: r.name } : {}),
      }));
    });
  }

  insertCustomerInvite(invite: Pick<CustomerInviteRow, "token" | "customer_id" | "email">): void {
    this.db
      .prepare("INSERT INTO customer_invites (token, customer_id, email, created_at) VALUES (?, ?, ?, ?)")
      .run(invite.token, invite.customer_id, invite.email, nowIso());
  }

  getCustomerInvite(token: string): CustomerInviteRow | undefined {
    return this.db.prepare("SELECT * FROM customer_invites WHERE token = ?").get(token) as CustomerInviteRow | undefined;
  }

  markCustomerInviteAccepted(token: string, userId: string): void {
    this.db.prepare("UPDATE customer_invites SET accepted_user_id = ? WHERE token = ?").run(userId, token);
  }

  linkCustomerUser(customerId: string, userId: string): void {
    this.db.prepare("INSERT OR IGNORE INTO customer_users (customer_id, user_id) VALUES (?, ?)").run(customerId, userId);
  }

  customerUserIds(customerId: string): string[] {
    return this.db.prepare("SELECT user_id FROM customer_users WHERE customer_id = ? ORDER BY user_id").pluck().all(customerId) as string[];
  }

  /**
   * Every contract of the customers whose external id starts with `prefix` (the control API's
   * check that a run created each contract once), oldest first. Compared with substr, not LIKE,
   * so `%` and `_` in a prefix are plain characters.
   */
  contractsOfCustomerPrefix(prefix: string): { id: string; customerExternalId: string; externalId: string; spaceId: string }[] {
    return this.db
      .prepare(
        `SELECT c.id, cu.external_id AS customerExternalId, c.external_id AS externalId, c.space_id AS spaceId
         FROM contracts c JOIN customers cu ON cu.id = c.customer_id
         WHERE substr(cu.external_id, 1, length(@prefix)) = @prefix ORDER BY c.seq`,
      )
      .all({ prefix }) as { id: string; customerExternalId: string; externalId: string; spaceId: string }[];
  }

  /** The (still existing) spaces of the customer's contracts, oldest contract first. */
  customerSpaceIds(customerId: string): string[] {
    return this.db
      .prepare(
        `SELECT DISTINCT c.space_id FROM contracts c JOIN spaces s ON s.id = c.space_id
         WHERE c.customer_id = ? ORDER BY c.seq`,
      )
      .pluck()
      .all(customerId) as string[];
  }

  /** Adds the member unless already there (an existing membership keeps its role). */
  addMemberIfAbsent(spaceId: string, userId: string, roleId: string): void {
    this.db
      .prepare(
        `INSERT INTO space_users (space_id, user_id, access_role_id, added_seq)
         VALUES (?, ?, ?, (SELECT coalesce(max(added_seq), 0) + 1 FROM space_users))
         ON CONFLICT(space_id, user_id) DO NOTHING`,
      )
      .run(spaceId, userId, roleId);
  }

  /** The customer's contract by platform id first, else by the partner's external id. */
  findContract(customerId: string, idOrExternalId: string): ContractRow | undefined {
    return (this.db.prepare("SELECT * FROM contracts WHERE customer_id = ? AND id = ?").get(customerId, idOrExternalId) ??
      this.db.prepare("SELECT * FROM contracts WHERE customer_id = ? AND external_id = ?").get(customerId, idOrExternalId)) as
      | ContractRow
      | undefined;
  }

  getContractByExternalId(customerId: string, externalId: string): ContractRow | undefined {
    return this.db.prepare("SELECT * FROM contracts WHERE customer_id = ? AND external_id = ?").get(customerId, externalId) as
      | ContractRow
      | undefined;
  }

  insertContract(c: Omit<ContractRow, "seq" | "created_at" | "time_window_start" | "time_window_end">): void {
    this.db
      .prepare(
        `INSERT INTO contracts (id, customer_id, external_id, address_line_one, address_line_two, postcode, city, space_id,
           device_seq, device_id, start_date, medium, custom_attributes, created_at)
         VALUES (@id, @customer_id, @external_id, @address_line_one, @address_line_two, @postcode, @city, @space_id,
           @device_seq, @device_id, @start_date, @medium, @custom_attributes, @created_at)`,
      )
      .run({ ...c, created_at: nowIso() });
  }

  /** The contract's own fields; its space, device and medium stay as they were created. */
  updateContract(c: ContractRow): void {
    this.db
      .prepare(
        `UPDATE contracts SET address_line_one = @address_line_one, address_line_two = @address_line_two,
         postcode = @postcode, city = @city, start_date = @start_date, custom_attributes = @custom_attributes,
         time_window_start = @time_window_start, time_window_end = @time_window_end WHERE id = @id`,
      )
      .run(c);
  }

  /** Devices whose external id, MeLo or MaLo equals `value` (a contract's meter), oldest first. */
  findDevicesByMeterId(value: string): DeviceRow[] {
    return this.db
      .prepare("SELECT * FROM devices WHERE external_id = @v OR melo = @v OR malo = @v ORDER BY seq")
      .all({ v: value }) as DeviceRow[];
  }

  /**
   * The windows in which `userId` may see the device: one per contract on it of a customer the user
   * is linked to, [max(start_date 00:00 Berlin, timeWindowStart), min(start_date of the next later
   * contract on the device 00:00 Berlin, timeWindowEnd)). Empty windows are left out.
   */
  visibleWindows(userId: string, deviceSeq: number): TimeWindow[] {
    const all = this.db.prepare("SELECT * FROM contracts WHERE device_seq = ? ORDER BY seq").all(deviceSeq) as ContractRow[];
    const mine = new Set(this.db.prepare("SELECT customer_id FROM customer_users WHERE user_id = ?").pluck().all(userId) as string[]);
    const starts = [...new Set(all.map((c) => c.start_date).filter((d): d is string => d !== null))].sort();
    const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
    const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
    return all
      .filter((c) => mine.has(c.customer_id))
      .map((c) => {
        // A contract without start date sees from the beginning; any dated contract on the meter ends it.
        const next = starts.find((d) => c.start_date === null || d > c.start_date);
        return {
          from: max(c.start_date === null ? null : berlinMidnight(c.start_date), c.time_window_start),
          to: min(next === undefined ? null : berlinMidnight(next), c.time_window_end),
        };
      })
      .filter((w) => w.from === null || w.to === null || w.from < w.to);
  }

  // -- devices -------------------------------------------------------------------------------

  getDevice(id: string): DeviceRow | undefined {
    return this.db.prepare("SELECT * FROM devices WHERE id = ?").get(id) as DeviceRow | undefined;
  }

  /** Devices any of whose external ids (external id, MeLo, MaLo, serial number) equals `value`. */
  findDevicesByExternalId(value: string): DeviceRow[] {
    return this.db
      .prepare("SELECT * FROM devices WHERE external_id = @v OR melo = @v OR malo = @v OR serial_number = @v")
      .all({ v: value }) as DeviceRow[];
  }

  /** The space's non-smart meters of a medium, newest first. */
  findNonSmartMeters(spaceId: string, medium: Medium): DeviceRow[] {
    return this.db
      .prepare(
        `SELECT d.* FROM devices d JOIN space_devices l ON l.device_seq = d.seq
         WHERE l.space_id = ? AND d.provider = 'NON_SMART_METER_PROVIDER' AND d.medium = ? ORDER BY d.seq DESC`,
      )
      .all(spaceId, medium) as DeviceRow[];
  }

  insertDevice(id: string, d: NewDeviceRecord): DeviceRow {
    this.db
      .prepare(
        `INSERT INTO devices (id, name, status, device_type, medium, provider, external_id, melo, malo, serial_number,
           extra_meta, directions, conversion_factor, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id, d.name, d.status, d.deviceType, d.medium, d.provider, orNull(d.externalId), orNull(d.melo), orNull(d.malo),
        orNull(d.serialNumber), JSON.stringify(d.extraMeta ?? []), d.directions.join(","), d.conversionFactor ?? null, nowIso(),
      );
    return this.getDevice(id)!;
  }

  updateDevice(row: DeviceRow): void {
    this.db
      .prepare(
        `UPDATE devices SET name = @name, status = @status, external_id = @external_id, melo = @melo,
         serial_number = @serial_number, extra_meta = @extra_meta, error_message = @error_message,
         directions = @directions WHERE seq = @seq`,
      )
      .run(row);
  }

  deleteDevice(seq: number): void {
    // A contract outlives its meter (the customer keeps it); it just has no device any more.
    this.db.prepare("UPDATE contracts SET device_seq = NULL, device_id = NULL WHERE device_seq = ?").run(seq);
    this.db.prepare("DELETE FROM readings WHERE device_seq = ?").run(seq);
    this.db.prepare("DELETE FROM space_devices WHERE device_seq = ?").run(seq);
    this.db.prepare("DELETE FROM devices WHERE seq = ?").run(seq);
  }

  getLink(spaceId: string, seq: number): { is_main: number } | undefined {
    return this.db.prepare("SELECT is_main FROM space_devices WHERE space_id = ? AND device_seq = ?").get(spaceId, seq) as
      | { is_main: number }
      | undefined;
  }

  /** Links (or re-links) a device. Making it the main device clears the flag on the previous main device of its medium. */
  link(spaceId: string, device: DeviceRow, isMain: boolean, excludedFromCost: boolean): void {
    this.db.transaction(() => {
      if (isMain) {
        this.db
          .prepare(
            `UPDATE space_devices SET is_main = 0 WHERE space_id = ? AND is_main = 1
             AND device_seq IN (SELECT seq FROM devices WHERE medium = ?)`,
          )
          .run(spaceId, device.medium);
      }
      this.db
        .prepare(
          `INSERT INTO space_devices (space_id, device_seq, is_main, excluded_from_cost) VALUES (?, ?, ?, ?)
           ON CONFLICT(space_id, device_seq) DO UPDATE SET is_main = excluded.is_main, excluded_from_cost = excluded.excluded_from_cost`,
        )
        .run(spaceId, device.seq, isMain ? 1 : 0, excludedFromCost ? 1 : 0);
    })();
  }

  setMainFlag(spaceId: string, device: DeviceRow, isMain: boolean): void {
    if (isMain) {
      const excluded = this.db
        .prepare("SELECT excluded_from_cost FROM space_devices WHERE space_id = ? AND device_seq = ?")
        .pluck()
        .get(spaceId, device.seq) as number;
      this.link(spaceId, device, true, excluded === 1);
    } else {
      this.db.prepare("UPDATE space_devices SET is_main = 0 WHERE space_id = ? AND device_seq = ?").run(spaceId, device.seq);
    }
  }

  unlink(spaceId: string, seq: number): number {
    return this.db.prepare("DELETE FROM space_devices WHERE space_id = ? AND device_seq = ?").run(spaceId, seq).changes;
  }

  mainDevice(spaceId: string, medium: Medium): DeviceRow | undefined {
    return this.db
      .prepare(
        `SELECT d.* FROM space_devices l JOIN devices d ON d.seq = l.device_seq
         WHERE l.space_id = ? AND l.is_main = 1 AND d.medium = ?`,
      )
      .get(spaceId, medium) as DeviceRow | undefined;
  }

  listDevices(spaceId: string, page: number, pageSize: number): Page<Device> {
    const total = (this.db.prepare("SELECT count(*) AS n FROM space_devices WHERE space_id = ?").get(spaceId) as { n: number }).n;
    return paginate(total, page, pageSize, (limit, offset) => {
      const rows = this.db
        .prepare(
          `SELECT d.*, l.is_main FROM space_devices l JOIN devices d ON d.seq = l.device_seq
           WHERE l.space_id = ? ORDER BY d.seq LIMIT ? OFFSET ?`,
        )
        .all(spaceId, limit, offset) as (DeviceRow & { is_main: number })[];
      return rows.map((r) => this.toApiDevice(r, r.is_main === 1));
    });
  }

  private toApiDevice(d: DeviceRow, isMain: boolean): Device {
    const span = this.db
      .prepare("SELECT min(ts) AS first, max(ts) AS last FROM readings WHERE device_seq = ?")
      .get(d.seq) as { first: number | null; last: number | null };
    // The contract requires both times: a device without readings reports its creation time.
    const time = (ts: number | null) => (ts === null ? d.created_at : new Date(ts * 1000).toISOString());
    const ids: [string, string | null][] = [
      ["Externe ID", d.external_id],
      ["MeLo", d.melo],
      ["MaLo", d.malo],
      ["Zählernummer", d.serial_number],
    ];
    const externalIds = ids.filter((e): e is [string, string] => e[1] !== null);
    const type = DEVICE_TYPE_INFO[d.device_type];
    const provider = PROVIDER_INFO[d.provider];
    return {
      id: d.id,
      name: d.name,
      status: d.status,
      latestReadingTime: time(span.last),
      firstReadingTime: time(span.first),
      directions: d.directions.split(","),
      provider: d.provider,
      providerName: provider.name,
      providerDescription: provider.description,
      providerLogoUrl: providerLogoUrl(d.provider),
      deviceType: d.device_type,
      deviceTypeDescription: type.description,
      deviceTypeImageUrl: deviceTypeImageUrl(d.device_type),
      deviceTypeIcon: type.icon,
      isMainDeviceAllowed: type.mainAllowed,
      isMainDevice: isMain,
      metaData: [
        ...externalIds.map(([label, value]) => ({ label, value })),
        ...(JSON.parse(d.extra_meta) as Metadata[]),
      ],
      createdAt: d.created_at,
      ...(d.error_message ? { errorMessage: d.error_message } : {}),
      medium: d.medium,
      imageUrl: deviceTypeImageUrl(d.device_type),
      ownerUserId: PARTNER_OWNER_USER_ID,
      ...(externalIds.length > 0 ? { externalDeviceId: d.external_id ?? externalIds[0][1] } : {}),
      externalDeviceIds: externalIds.map(([, value]) => value),
    };
  }

  // -- readings ------------------------------------------------------------------------------

  upsertReading(seq: number, obis: string, ts: number, value: number): void {
    this.db.prepare("INSERT OR REPLACE INTO readings (device_seq, obis, ts, value) VALUES (?, ?, ?, ?)").run(seq, obis, ts, value);
  }

  hasReading(seq: number, obis: string, ts: number): boolean {
    return this.db.prepare("SELECT 1 FROM readings WHERE device_seq = ? AND obis = ? AND ts = ?").get(seq, obis, ts) !== undefined;
  }

  /** Readings in [from, to] plus, per code, the last one before `from` (baseline of the first bucket). */
  readingsForWindow(seq: number, from: number, to: number): RawReading[] {
    return this.db
      .prepare(
        `SELECT obis, ts, value FROM readings r WHERE device_seq = @seq AND (
           (ts >= @from AND ts <= @to)
           OR ts = (SELECT max(ts) FROM readings b WHERE b.device_seq = @seq AND b.obis = r.obis AND b.ts < @from))
         ORDER BY obis, ts`,
      )
      .all({ seq, from, to }) as RawReading[];
  }
}
