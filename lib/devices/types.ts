import type { Device } from "@/lib/partner-api/schemas";
import type { Breadcrumb } from "@/lib/spaces/types";

/** A space a device is linked to, with its path for display. */
export interface DeviceSpace {
  id: string;
  name: string;
  ancestors: Breadcrumb[];
}

/** GET /api/devices/:id — the device live from the partner API and the spaces it belongs to. */
export interface DeviceDetail {
  device: Device;
  /** The space the device was read from first; writes that need a space use it. */
  spaceId: string;
  spaces: DeviceSpace[];
}
