import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF): the only API routes that
// must answer without a session.
const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };
