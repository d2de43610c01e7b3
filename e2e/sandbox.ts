import type { APIRequestContext } from "@playwright/test";
import type { Device, Space } from "../lib/partner-api/schemas";
import { E2E_CLIENT_ID, E2E_CLIENT_SECRET, SANDBOX_URL } from "./env";

/** Reads the sandbox partner API directly: what is really upstream, independent of the dashboard. */
export class SandboxApi {
  private token: string | null = null;

  constructor(private readonly request: APIRequestContext) {}

  private async get<T>(path: string): Promise<T> {
    if (!this.token) {
      const res = await this.request.post(`${SANDBOX_URL}/partner/auth/token`, {
        data: { clientId: E2E_CLIENT_ID, clientSecret: E2E_CLIENT_SECRET },
      });
      this.token = ((await res.json()) as { accessToken: string }).accessToken;
    }
    const res = await this.request.get(`${SANDBOX_URL}/partner${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok()) throw new Error(`sandbox GET ${path}: ${res.status()}`);
    return (await res.json()) as T;
  }

  async spaces(): Promise<Space[]> {
    const all: Space[] = [];
    for (let page = 0; ; page++) {
      const body = await this.get<{ spaces: Space[]; totalNumPages: number }>(`/spaces?page=${page}&pageSize=100`);
      all.push(...body.spaces);
      if (page + 1 >= body.totalNumPages) return all;
    }
  }

  async devices(spaceId: string): Promise<Device[]> {
    return (await this.get<{ devices: Device[] }>(`/spaces/${spaceId}/devices?pageSize=100`)).devices;
  }

  async customers(): Promise<{ id: string; external_id: string; email?: string; name?: string }[]> {
    const all: { id: string; external_id: string }[] = [];
    for (let page = 0; ; page++) {
      const body = await this.get<{ customers: { id: string; external_id: string }[]; totalNumPages: number }>(`/customers?page=${page}&pageSize=100`);
      all.push(...body.customers);
      if (page + 1 >= body.totalNumPages) return all;
    }
  }

  async outbox(to: string): Promise<{ inviteToken: string; inviteLink: string }[]> {
    return ((await (await this.request.get(`${SANDBOX_URL}/__sandbox/outbox?to=${encodeURIComponent(to)}`)).json()) as { emails: { inviteToken: string; inviteLink: string }[] }).emails;
  }

  async stats(): Promise<{ requests: Record<string, number> }> {
    return (await this.request.get(`${SANDBOX_URL}/__sandbox/stats`)).json();
  }
}
