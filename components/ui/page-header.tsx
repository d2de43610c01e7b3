import type { ReactNode } from "react";

/** The top of a page: its title, one line on what it is for, and page-wide actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <div className="flex-1">
        <h1 className="text-xl font-semibold">{title}</h1>
        {description ? <p className="text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}
