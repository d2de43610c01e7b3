"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { createOnboarding } from "./api";

/** /onboarding/new: makes a server-side draft and continues at its own address (so a reload resumes it). */
export function StartOnboarding() {
  const router = useRouter();
  const writeError = useWriteError();
  const create = useMutation({ mutationFn: () => createOnboarding("customer"), onSuccess: ({ onboarding }) => router.replace(`/onboarding/${onboarding.id}`) });
  const { mutate } = create;
  useEffect(() => mutate(), [mutate]);
  return create.isError ? <Alert>{writeError(create.error)}</Alert> : <p className="text-sm text-slate-500">…</p>;
}
