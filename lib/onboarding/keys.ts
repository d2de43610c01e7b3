/** TanStack Query keys of the onboarding feature. */
export const onboardingKeys = {
  all: ["onboardings"] as const,
  open: () => [...onboardingKeys.all, "open"] as const,
  detail: (id: string) => [...onboardingKeys.all, "detail", id] as const,
  checks: (id: string) => [...onboardingKeys.all, "checks", id] as const,
};
