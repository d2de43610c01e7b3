import { createElement } from "react";
import {
  BedDouble,
  Briefcase,
  Building,
  Building2,
  CircleHelp,
  DoorOpen,
  Factory,
  FolderTree,
  House,
  Leaf,
  MapPinned,
  ShoppingBag,
  SolarPanel,
  Square,
  Stethoscope,
  Store,
  UtensilsCrossed,
  Wind,
  Zap,
  type LucideIcon,
} from "lucide-react";
import type { SpaceCategory } from "@/lib/partner-api/schemas";
import { cn } from "@/components/ui/cn";

/** The one place that maps a space category to its icon (tree rows, search hits, space page). */
export const CATEGORY_ICONS: Record<SpaceCategory, LucideIcon> = {
  HOTEL: BedDouble,
  RESTAURANT: UtensilsCrossed,
  HOUSEHOLD: House,
  OFFICE: Briefcase,
  PV_SYSTEM: SolarPanel,
  COMMERCIAL: Store,
  BIOGAS: Leaf,
  RETAIL: ShoppingBag,
  SINGLE_FAMILY_HOME: House,
  PRODUCTION: Factory,
  FLAT: DoorOpen,
  WIND_ENERGY: Wind,
  DOCTORS_OFFICE: Stethoscope,
  GROUPING: FolderTree,
  APARTMENT_BUILDING: Building2,
  REGION: MapPinned,
  ROOM: Square,
  LANDLORD_TO_TENANT_ELECTRICITY_PROJECT: Zap,
};

export function categoryIcon(category: string): LucideIcon {
  return (CATEGORY_ICONS as Record<string, LucideIcon | undefined>)[category] ?? (category ? Building : CircleHelp);
}

/** Decorative: the category is always also named in text or a title next to it. */
export function CategoryIcon({ category, className }: { category: string; className?: string }) {
  // createElement: the icon is looked up from a static map, not a component made during render.
  return createElement(categoryIcon(category), { "aria-hidden": true, className: cn("size-4 shrink-0 text-slate-500", className) });
}
