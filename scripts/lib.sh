# Shared by scripts/test and scripts/demo. Sourced, not run.

# Installs the Debian packages calljournal needs to build and test, when any is missing.
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        progress "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Finds swift: on PATH, or the toolchain in /opt/swift.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || { echo "error: swift 6.3 is required (https://swift.org/install); not found on PATH or in /opt/swift" >&2; exit 1; }
}

progress() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

BASE_PACKAGES=(libpq-dev postgresql postgresql-contrib postgresql-common pkg-config time curl python3)
