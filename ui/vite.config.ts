/// <reference types="vitest/config" />
import { resolve } from "node:path";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = import.meta.dirname;

// Two entries: index.html is the app the Tauri window loads (built into dist/);
// mock.html installs the mock backend first and is only ever built into dist-mock/
// (`--mode mock`), so mock code can never reach the bundle the app ships.
export default defineConfig(({ mode }) => {
  const mock = mode === "mock";
  return {
    plugins: [react()],
    clearScreen: false,
    server: { port: 5173, strictPort: true },
    preview: { port: 4173, strictPort: true },
    build: {
      outDir: mock ? "dist-mock" : "dist",
      emptyOutDir: true,
      // WebKitGTK / WKWebView / WebView2 of the Tauri 2 baseline.
      target: ["es2021", "chrome105", "safari15"],
      chunkSizeWarningLimit: 800,
      rollupOptions: {
        input: resolve(root, mock ? "mock.html" : "index.html"),
      },
    },
    test: {
      environment: "jsdom",
      setupFiles: ["./src/test/setup.ts"],
      include: ["src/**/*.test.{ts,tsx}"],
      restoreMocks: true,
    },
  };
});
