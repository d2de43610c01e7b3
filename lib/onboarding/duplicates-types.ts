/** What already exists for a draft, found before anything is sent (GET /api/onboardings/:id/checks). */
export interface DuplicateReport {
  /** The customer number is known: the onboarding adds to this customer instead of making another. */
  existingCustomer: { id: string; externalId: string; name: string | null; email: string | null } | null;
  /** This contract number of this customer was already created through the dashboard. */
  existingContract: { id: string; spaceId: string | null } | null;
  /** The MeLo/MaLo is already a device's external id in these spaces. */
  meterInSpaces: { spaceId: string; spaceName: string | null; deviceId: string; deviceName: string }[];
  /** Spaces with the same address under the same parent. */
  sameAddressSpaces: { id: string; name: string }[];
}

