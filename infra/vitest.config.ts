import { defineConfig } from "vitest/config";

/** `npm run check:infra`'s tests: Pulumi mocks of infra/*.ts, the image's layout, the bundles in .build/image. */
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["infra/test/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
