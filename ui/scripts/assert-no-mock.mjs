// Fails the build if the mock backend leaked into the bundle the app ships (dist/).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const MARKERS = ["__TICKWARDEN_MOCK_BACKEND__", "mock backend: unknown command"];
const dist = join(import.meta.dirname, "..", "dist");

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

const leaks = [];
for (const f of files(dist)) {
  const text = readFileSync(f, "utf8");
  for (const m of MARKERS) if (text.includes(m)) leaks.push(`${f}: ${m}`);
}
if (leaks.length > 0) {
  console.error(`mock backend code found in dist/:\n${leaks.join("\n")}`);
  process.exit(1);
}
console.log("dist/ is free of mock code");
