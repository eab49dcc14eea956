import { createApp } from "vue";
import "call-recordings"; // defines <call-session-recordings> and <recording-player>
import App from "./App.vue";

createApp(App).mount("#app");
