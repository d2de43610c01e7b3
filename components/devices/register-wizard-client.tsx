"use client";

import dynamic from "next/dynamic";

/** The wizard reads its draft from the browser's storage, so it renders in the browser only. */
export const RegisterWizardClient = dynamic(() => import("./register-wizard").then((m) => m.RegisterWizard), { ssr: false });
