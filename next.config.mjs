import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden(): a page a role may not open answers 403 with app/forbidden.tsx, as its API does.
  experimental: { authInterrupts: true },
  // Next's own trailing-slash redirect copies the whole query into Location: a long hostile query
  // makes headers no client can read. Without it, "/x/" is simply not found.
  skipTrailingSlashRedirect: true,
  // Native or WASM packages that must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "better-sqlite3", "pg", "bcryptjs"],
  // Each e2e/benchmark server gets its own build folder so a running demo is never clobbered.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          // The dashboard uses none of these; a injected script must not either.
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
        ],
      },
      {
        // API answers are data, never documents: nothing runs, nothing frames them, nothing caches them.
        source: "/api/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
