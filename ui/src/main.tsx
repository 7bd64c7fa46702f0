// The entry the Tauri window loads (index.html).
import { renderApp } from "./render";

renderApp();
