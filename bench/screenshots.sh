#!/usr/bin/env bash
# Refreshes the web viewer's screenshots in docs/viewer/ (docs/viewer.md#screenshots): every page of the
# demo archive at desktop (1280 px) and phone (390 px) widths, taken by headless chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/viewer
ZOOMCHAT_SCREENSHOTS="$(pwd)/docs/viewer" dotnet test tests/ZoomChat.Tests \
  --filter "FullyQualifiedName~ViewerScreenshotTests" --logger "console;verbosity=minimal"
ls -1 docs/viewer/*.png
