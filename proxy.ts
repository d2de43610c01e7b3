import { withAuth } from "next-auth/middleware";

// Send signed-out visitors of any page to /login. Not a security boundary: every page and
// route handler checks the session and role again on the server.
export default withAuth({ pages: { signIn: "/login" } });

export const config = {
  // Everything but the login page, next-auth's endpoints, API routes (they answer 401 JSON
  // themselves) and static files.
  matcher: ["/((?!login|api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
