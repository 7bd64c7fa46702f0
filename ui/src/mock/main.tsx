// Browser development entry (mock.html): the mock backend stands in for Rust.
import { renderApp } from "../render";
import { installMockBackend } from "./backend";

const params = new URLSearchParams(location.search);
installMockBackend({
  autoStart: true,
  seed: Number(params.get("seed") ?? "") || 7,
  notifications:
    params.get("notify") === "off"
      ? { available: false, error: "No notification service on the session bus (org.freedesktop.Notifications)" }
      : { available: true, error: null },
});
renderApp();
