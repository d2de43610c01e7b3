/** TanStack Query keys of the readings feature. */
export const readingKeys = {
  all: ["readings"] as const,
  device: (deviceId: string) => [...readingKeys.all, "device", deviceId] as const,
  series: (deviceId: string, params: Record<string, string>) => [...readingKeys.device(deviceId), params] as const,
};
