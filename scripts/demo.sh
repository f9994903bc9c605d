#!/usr/bin/env bash
# The quick-start demo: starts an engine if needed, builds and runs this repository's hello image,
# fetches its page, and removes what it made. Every docker command it runs is echoed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-engine
[ -f dist/bin/run-image.js ] || npm run --silent build

node bin/build-image.js hello
container=$(node bin/run-image.js hello -k)
cleanup() {
  echo "docker rm -f ${container:0:12}" >&2
  docker rm -f "$container" >/dev/null
  node bin/build-image.js clean
}
trap cleanup EXIT

page=$(node -e '
  const url = "http://localhost:8080/";
  const deadline = Date.now() + 20000;
  (async () => {
    for (;;) {
      try { process.stdout.write(await (await fetch(url)).text()); return; }
      catch (error) { if (Date.now() > deadline) throw error; await new Promise((r) => setTimeout(r, 200)); }
    }
  })().catch((error) => { console.error(`${url} did not answer: ${error.message}`); process.exit(1); });
')
echo "http://localhost:8080/ answers: $page"
