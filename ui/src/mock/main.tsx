// Browser development entry (mock.html): the mock backend stands in for Rust.
import { renderApp } from "../render";
import { installMockBackend } from "./backend";

const params = new URLSearchParams(location.search);
installMockBackend({
  autoStart: true,
  seed: Number(params.get("seed") ?? "") || 7,
  // `?history=3000`: minutes of made-up 1m history per symbol (to try scrolling back).
  historyMinutes: Number(params.get("history") ?? "") || undefined,
  notifications:
    params.get("notify") === "off"
      ? { available: false, error: "No notification service on the session bus (org.freedesktop.Notifications)" }
      : { available: true, error: null },
});
renderApp();
