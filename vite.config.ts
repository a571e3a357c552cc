/** Builds the dashboard (web/) into dist/web, which the Worker serves as static assets. */
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  root: "web",
  plugins: [preact()],
  build: { outDir: "../dist/web", emptyOutDir: true, target: "es2020" },
});
