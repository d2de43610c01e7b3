"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { Button, type ButtonProps } from "./button";
import { cn } from "./cn";

/** The one dialog shell: overlay, title, optional description, close button, scrollable body. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  size = "md",
  testId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  size?: "sm" | "md" | "lg";
  testId?: string;
}) {
  const t = useTranslations("common");
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          data-testid={testId}
          // Escape closes an open combobox list first (Radix listens before the input can stop it).
          onEscapeKeyDown={(event) => {
            const target = event.target instanceof HTMLElement ? event.target : null;
            if (target?.getAttribute("role") === "combobox" && target.getAttribute("aria-expanded") === "true") event.preventDefault();
          }}
          // Without a description Radix warns; aria-describedby undefined tells it none is meant.
          {...(description ? {} : { "aria-describedby": undefined })}
          className={cn(
            "fixed left-1/2 top-[10vh] z-50 max-h-[80vh] w-[calc(100vw-2rem)] -translate-x-1/2 overflow-y-auto rounded-lg border border-slate-200 bg-white p-5 shadow-xl",
            size === "sm" ? "max-w-md" : size === "md" ? "max-w-lg" : "max-w-2xl",
          )}
        >
          <div className="mb-4 flex items-start gap-3">
            <div className="min-w-0 flex-1">
              <RadixDialog.Title className="text-base font-semibold">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description className="mt-1 text-sm text-slate-600">{description}</RadixDialog.Description>
              ) : null}
            </div>
            <RadixDialog.Close aria-label={t("close")} className="rounded p-1 text-slate-500 hover:bg-slate-100">
              <X aria-hidden className="size-4" />
            </RadixDialog.Close>
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Buttons at the bottom right of a dialog. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="mt-5 flex justify-end gap-2">{children}</div>;
}

/**
 * A button that opens a dialog. The body is mounted per opening (a fresh form, a fresh
 * idempotency key each time) and gets `close` to call when it is done.
 */
export function DialogButton({
  label,
  icon,
  variant = "secondary",
  title,
  size = "md",
  testId,
  children,
}: {
  label: string;
  icon?: ReactNode;
  variant?: ButtonProps["variant"];
  title: string;
  size?: "sm" | "md" | "lg";
  testId?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant={variant} onClick={() => setOpen(true)}>
        {icon}
        {label}
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title={title} size={size} testId={testId}>
        {open ? children(() => setOpen(false)) : null}
      </Dialog>
    </>
  );
}
