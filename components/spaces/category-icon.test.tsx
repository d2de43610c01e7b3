// @vitest-environment jsdom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SPACE_CATEGORIES } from "@/lib/partner-api/schemas";
import { CATEGORY_ICONS, CategoryIcon, categoryIcon } from "./category-icon";

afterEach(cleanup);

describe("category icons", () => {
  it("covers every category of the contract, and nothing else", () => {
    expect(Object.keys(CATEGORY_ICONS).sort()).toEqual([...SPACE_CATEGORIES].sort());
  });

  it("falls back for a category a newer API might send", () => {
    expect(categoryIcon("SPACESHIP")).toBeTruthy();
  });

  it("renders a decorative svg", () => {
    const { container } = render(<CategoryIcon category="FLAT" />);
    const svg = container.querySelector("svg");
    expect(svg?.getAttribute("aria-hidden")).toBe("true");
  });
});
