# Shared helpers for scripts/setup, scripts/demo and scripts/test. Sourced, not run.

# The repository root (the folder above scripts/).
TAAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '%s: %s\n' "${TAAS_SCRIPT:-taas}" "$*"; }
die() { printf '%s: error: %s\n' "${TAAS_SCRIPT:-taas}" "$*" >&2; exit 1; }

# Finds the Swift toolchain: on PATH, or in /opt/swift (where some machines keep it off PATH).
require_swift() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 \
        || die "swift is not on PATH: install a Swift 6.1 (or newer) toolchain for Linux from swift.org and put its usr/bin on PATH"
}
