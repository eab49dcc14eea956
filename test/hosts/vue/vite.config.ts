import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [
    vue({
      template: {
        // The two tags are custom elements, not Vue components.
        compilerOptions: { isCustomElement: (tag) => tag === "call-session-recordings" || tag === "recording-player" },
      },
    }),
  ],
});
