#!/usr/bin/env bash
# Re-fetch the portal's front-end files from npm at their pinned versions and copy only the
# built files the portal serves (with their licences) into the package.
set -euo pipefail
cd "$(dirname "$0")/.."
USWDS=3.14.0
GRAPHIQL=3.8.3
REACT=18.3.1
AXE=4.14.1
STATIC=web/portal/static
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts \
  "@uswds/uswds@$USWDS" "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" "axe-core@$AXE" >/dev/null)
nm="$scratch/node_modules"

rm -rf "$STATIC/uswds" "$STATIC/graphiql" tests/vendor/axe-core
mkdir -p "$STATIC/uswds/css" "$STATIC/graphiql" tests/vendor/axe-core
cp "$nm/@uswds/uswds/dist/css/uswds.min.css" "$STATIC/uswds/css/"
cp "$nm/@uswds/uswds/LICENSE.md" "$STATIC/uswds/"
# Only the fonts and images the stylesheet refers to (the hero picture is not used).
grep -o 'url(\.\./[^)]*)' "$STATIC/uswds/css/uswds.min.css" | sed 's/^url(\.\.\///; s/)$//' \
  | sort -u | grep -v '^img/hero' | while read -r asset; do
    mkdir -p "$STATIC/uswds/$(dirname "$asset")"
    cp "$nm/@uswds/uswds/dist/$asset" "$STATIC/uswds/$asset"
  done
cp "$nm/@uswds/uswds/dist/img/us_flag_small.png" "$STATIC/uswds/img/"

cp "$nm/graphiql/graphiql.min.js" "$nm/graphiql/graphiql.min.css" "$STATIC/graphiql/"
cp "$nm/graphiql/LICENSE" "$STATIC/graphiql/LICENSE-graphiql"
cp "$nm/react/umd/react.production.min.js" "$STATIC/graphiql/"
cp "$nm/react/LICENSE" "$STATIC/graphiql/LICENSE-react"
cp "$nm/react-dom/umd/react-dom.production.min.js" "$STATIC/graphiql/"
cp "$nm/react-dom/LICENSE" "$STATIC/graphiql/LICENSE-react-dom"

cp "$nm/axe-core/axe.min.js" "$nm/axe-core/LICENSE" tests/vendor/axe-core/
printf 'uswds %s\ngraphiql %s\nreact %s\nreact-dom %s\naxe-core %s\n' \
  "$USWDS" "$GRAPHIQL" "$REACT" "$REACT" "$AXE" > "$STATIC/VERSIONS"
echo "vendored into $STATIC and tests/vendor"
