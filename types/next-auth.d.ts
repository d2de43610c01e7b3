import type { Role } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";

// What our callbacks in lib/auth/options.ts put into the token and the session. Token fields are
// optional: a token issued before they existed may lack them, and getSessionUser checks them again.
declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    id?: string;
    role?: Role;
  }
}
