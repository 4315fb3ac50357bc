/**
 * The debugger page's build: static files in dist/ that the service serves at `/` (assets under
 * `/ui/assets/`, hashed names, cached for good). Everything is bundled: the page asks no outside host.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/ui/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // The budget is 400 KB gzipped for all of the page's JavaScript (test/ui checks it); this only quiets Vite's own warning.
    chunkSizeWarningLimit: 1500,
  },
  resolve: {
    alias: [
      // codemirror-json-schema renders schema descriptions as Markdown highlighted by shiki (~80 KB
      // gzipped); ours are plain sentences, shown as text.
      { find: /^.*\/utils\/markdown(\.js)?$/, replacement: fileURLToPath(new URL("./src/editor/plain-markdown.ts", import.meta.url)) },
      // Its parser table imports the JSON5 and YAML parsers too (the yaml and json5 libraries); the editor is JSON only.
      { find: /^\.\.\/parsers(\/index(\.js)?)?$/, replacement: fileURLToPath(new URL("./src/editor/json-parsers.ts", import.meta.url)) },
    ],
  },
});
