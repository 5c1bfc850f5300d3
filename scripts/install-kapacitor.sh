#!/usr/bin/env bash
# Build kapacitord and the kapacitor CLI (Kapacitor v1.8.3) from source, using
# only the Go module proxy and crates.io, into a cache outside the repository.
#
# Usage: scripts/install-kapacitor.sh
#
# Environment:
#   ANTEATER_CACHE          cache root                 (default: ~/.cache/anteater)
#   ANTEATER_KAPACITOR_DIR  bin dir for the binaries   (default: $ANTEATER_CACHE/kapacitor-1.8.3/bin)
#   RUSTUP_TOOLCHAIN        Rust toolchain for libflux (default: the installed rustup default)
#
# The bin directory is printed as the LAST line of stdout; all progress goes
# to stderr. When both binaries already exist there and report 1.8.3 the
# script returns at once.
#
# Why it looks like this:
#   * `go install github.com/influxdata/kapacitor/cmd/...@v1.8.3` is refused
#     (its go.mod has replace directives), so the module is downloaded through
#     the Go proxy, copied to a writable place and built with `go build`.
#   * kapacitord links libflux (Rust) through cgo. Its `#cgo pkg-config: flux`
#     is answered by InfluxData's pkg-config wrapper
#     (github.com/influxdata/pkg-config), which runs `cargo build --release` on
#     the flux module sources. The toolchain pinned by flux (rust-toolchain,
#     1.63) cannot be downloaded here, so the installed one is forced with
#     RUSTUP_TOOLCHAIN, and flux's `deny(warnings)` is neutralised with
#     --cap-lints=warn (newer rustc has new lints), added by a RUSTC_WRAPPER.
#   * GOTOOLCHAIN=local: never try to download a Go toolchain.
set -euo pipefail

KAPACITOR_VERSION=1.8.3
KAPACITOR_MODULE=github.com/influxdata/kapacitor
PKG_CONFIG_MODULE=github.com/influxdata/pkg-config
PKG_CONFIG_VERSION=v0.2.12

log() { printf '[install-kapacitor] %s\n' "$*" >&2; }
die() { printf '[install-kapacitor] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_ROOT=${ANTEATER_CACHE:-$HOME/.cache/anteater}
BIN_DIR=${ANTEATER_KAPACITOR_DIR:-$CACHE_ROOT/kapacitor-$KAPACITOR_VERSION/bin}
WORK_DIR=$CACHE_ROOT/kapacitor-$KAPACITOR_VERSION/build

# is_installed DIR: both binaries present and reporting the wanted version.
is_installed() {
    local dir=$1 out
    [[ -x $dir/kapacitord && -x $dir/kapacitor ]] || return 1
    out=$("$dir/kapacitord" version 2>/dev/null) || return 1
    [[ $out == *" $KAPACITOR_VERSION "* || $out == *" $KAPACITOR_VERSION" ]] || return 1
    out=$("$dir/kapacitor" version 2>/dev/null) || return 1
    [[ $out == *" $KAPACITOR_VERSION "* || $out == *" $KAPACITOR_VERSION" ]] || return 1
}

if is_installed "$BIN_DIR"; then
    log "kapacitor $KAPACITOR_VERSION already installed in $BIN_DIR"
    printf '%s\n' "$BIN_DIR"
    exit 0
fi

# ---------------------------------------------------------------- prerequisites
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH: $2"; }
need go    "install Go >= 1.25.7 (https://go.dev/dl or the distro package)"
need cargo "install Rust (rustup) - libflux is a Rust library linked into kapacitord"
need rustc "install Rust (rustup) - libflux is a Rust library linked into kapacitord"
need cc    "install a C compiler (e.g. apt-get install gcc) - kapacitord uses cgo"

export GOTOOLCHAIN=local
export GOFLAGS=-mod=mod
export CGO_ENABLED=1

GO_MIN=1.25.7   # the go directive of kapacitor v1.8.3's go.mod
go_version=$(go env GOVERSION 2>/dev/null || true)
log "using $go_version ($(command -v go)), $(rustc --version 2>/dev/null), $(cc --version 2>/dev/null | head -n1)"
go_num=${go_version#go}
go_num=${go_num%%[!0-9.]*}
if [[ -z $go_num || $(printf '%s\n%s\n' "$GO_MIN" "$go_num" | sort -V | head -n1) != "$GO_MIN" ]]; then
    die "Go >= $GO_MIN is required to build kapacitor $KAPACITOR_VERSION, found '${go_version:-none}' (GOTOOLCHAIN=local: no toolchain download)"
fi

# Force the installed Rust toolchain: flux pins 1.63 in its rust-toolchain file
# and rustup would try (and fail) to download it.
if command -v rustup >/dev/null 2>&1 && [[ -z ${RUSTUP_TOOLCHAIN:-} ]]; then
    # The default toolchain (asked from / so no rust-toolchain file applies),
    # else the first installed one.
    RUSTUP_TOOLCHAIN=$(cd / && rustup show active-toolchain 2>/dev/null | awk 'NR==1{print $1}') || true
    if [[ -z $RUSTUP_TOOLCHAIN ]]; then
        RUSTUP_TOOLCHAIN=$(rustup toolchain list 2>/dev/null | awk '$1 ~ /-/ {print $1; exit}') || true
    fi
    [[ -n $RUSTUP_TOOLCHAIN ]] || die "rustup has no installed toolchain; run 'rustup default stable' (or install one)"
fi
if [[ -n ${RUSTUP_TOOLCHAIN:-} ]]; then
    export RUSTUP_TOOLCHAIN
    log "forcing Rust toolchain RUSTUP_TOOLCHAIN=$RUSTUP_TOOLCHAIN (flux pins an undownloadable 1.63)"
fi
mkdir -p "$WORK_DIR" "$BIN_DIR"

# Only one build at a time per cache directory.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$WORK_DIR/.lock"
    if ! flock -n 9; then
        log "another install-kapacitor.sh is building in $WORK_DIR; waiting for it"
        flock 9
    fi
    if is_installed "$BIN_DIR"; then
        log "kapacitor $KAPACITOR_VERSION was installed in $BIN_DIR meanwhile"
        printf '%s\n' "$BIN_DIR"
        exit 0
    fi
fi

# ------------------------------------------------------- InfluxData pkg-config
TOOLS_DIR=$WORK_DIR/tools
PKG_CONFIG_BIN=$TOOLS_DIR/pkg-config
if [[ ! -x $PKG_CONFIG_BIN ]]; then
    log "building $PKG_CONFIG_MODULE@$PKG_CONFIG_VERSION"
    mkdir -p "$TOOLS_DIR"
    (cd "$WORK_DIR" && GOBIN=$TOOLS_DIR GOFLAGS= go install "$PKG_CONFIG_MODULE@$PKG_CONFIG_VERSION") >&2 \
        || die "go install $PKG_CONFIG_MODULE@$PKG_CONFIG_VERSION failed (is the Go module proxy reachable?)"
fi
export PKG_CONFIG=$PKG_CONFIG_BIN

# flux's crates have #![deny(warnings)]; lints added to rustc since 1.63 are
# fatal. RUSTFLAGS=--cap-lints=warn is not enough: the wrapper passes
# --target to cargo, and then RUSTFLAGS does not reach host builds, and
# flux-core is also a build-dependency (host) of flux. A RUSTC_WRAPPER sees
# every rustc call, so it caps lints everywhere (crates.io deps already get
# --cap-lints=allow from cargo and are left alone).
RUSTC_CAP_WRAPPER=$TOOLS_DIR/rustc-cap-lints
cat > "$RUSTC_CAP_WRAPPER.tmp" <<'WRAPPER'
#!/bin/sh
# RUSTC_WRAPPER used by install-kapacitor.sh: add --cap-lints=warn to every
# rustc call that does not already cap lints. Called as: wrapper rustc ARGS...
if [ -n "${ANTEATER_INNER_RUSTC_WRAPPER:-}" ]; then
    set -- "$ANTEATER_INNER_RUSTC_WRAPPER" "$@"
fi
for a in "$@"; do
    case $a in
        --cap-lints|--cap-lints=*) exec "$@" ;;
    esac
done
exec "$@" --cap-lints=warn
WRAPPER
chmod +x "$RUSTC_CAP_WRAPPER.tmp"
mv -f "$RUSTC_CAP_WRAPPER.tmp" "$RUSTC_CAP_WRAPPER"
if [[ -n ${RUSTC_WRAPPER:-} && ${RUSTC_WRAPPER} != "$RUSTC_CAP_WRAPPER" ]]; then
    export ANTEATER_INNER_RUSTC_WRAPPER=$RUSTC_WRAPPER
fi
export RUSTC_WRAPPER=$RUSTC_CAP_WRAPPER

# ------------------------------------------------------------ kapacitor source
SRC_DIR=$WORK_DIR/src
if [[ ! -f $SRC_DIR/.complete ]]; then
    log "downloading $KAPACITOR_MODULE@v$KAPACITOR_VERSION from the Go module proxy"
    mod_json=$(cd "$WORK_DIR" && GOFLAGS= go mod download -json "$KAPACITOR_MODULE@v$KAPACITOR_VERSION") \
        || die "go mod download $KAPACITOR_MODULE@v$KAPACITOR_VERSION failed: $mod_json"
    mod_dir=$(printf '%s\n' "$mod_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)
    [[ -n $mod_dir && -d $mod_dir ]] || die "could not find the module directory in: $mod_json"
    rm -rf "$SRC_DIR" "$SRC_DIR.tmp"
    cp -R "$mod_dir" "$SRC_DIR.tmp"
    chmod -R u+w "$SRC_DIR.tmp"
    printf '%s\n' "$mod_json" > "$SRC_DIR.tmp/.module.json"
    mv -T "$SRC_DIR.tmp" "$SRC_DIR"
    touch "$SRC_DIR/.complete"
fi
# ------------------------------------------------------------- flux sources
# The pkg-config wrapper builds libflux from a writable copy of the flux module
# in $GOCACHE/pkgconfig/<module>@<version>, and reuses that directory as it is
# if it exists. Make that copy ourselves, atomically, so an interrupted earlier
# copy can never leave a half-populated source tree behind.
flux_info=$(cd "$SRC_DIR" && go list -m -f '{{.Path}}@{{.Version}} {{.Dir}}' github.com/influxdata/flux) \
    || die "cannot resolve the github.com/influxdata/flux module of kapacitor $KAPACITOR_VERSION"
flux_modver=${flux_info%% *}
flux_dir=${flux_info#* }
if [[ -z $flux_dir || ! -d $flux_dir ]]; then
    (cd "$SRC_DIR" && go mod download "$flux_modver") >&2 || die "go mod download $flux_modver failed"
    flux_dir=$(cd "$SRC_DIR" && go list -m -f '{{.Dir}}' github.com/influxdata/flux)
    [[ -n $flux_dir && -d $flux_dir ]] || die "flux module directory not found after download ($flux_modver)"
fi
flux_perm=$(stat -c '%a' "$flux_dir")   # the wrapper tests the owner write bit (0200), not access(2)
if (( (8#$flux_perm & 8#200) != 0 )); then
    log "flux sources at $flux_dir are writable; the pkg-config wrapper builds libflux in place"
else
    gocache=$(go env GOCACHE)
    [[ -n $gocache && $gocache != off ]] || die "GOCACHE is off; the pkg-config wrapper needs a Go build cache"
    flux_copy=$gocache/pkgconfig/$flux_modver
    count_files() { (cd "$1" && find . -path ./libflux/target -prune -o -type f -print | wc -l); }
    if [[ -d $flux_copy && ! -f $flux_copy/.anteater-complete ]]; then
        if [[ $(count_files "$flux_dir") == "$(count_files "$flux_copy")" ]]; then
            touch "$flux_copy/.anteater-complete"
        else
            log "removing incomplete flux copy $flux_copy"
            rm -rf "$flux_copy"
        fi
    fi
    if [[ ! -d $flux_copy ]]; then
        log "copying $flux_modver sources to $flux_copy"
        mkdir -p "$(dirname "$flux_copy")"
        rm -rf "$flux_copy.tmp.$$"
        cp -R "$flux_dir" "$flux_copy.tmp.$$"
        chmod -R u+w "$flux_copy.tmp.$$"
        touch "$flux_copy.tmp.$$/.anteater-complete"
        mv -T "$flux_copy.tmp.$$" "$flux_copy" 2>/dev/null || rm -rf "$flux_copy.tmp.$$"
    fi
fi

commit=$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p' "$SRC_DIR/.module.json" | head -n1)
commit=${commit:-unknown}

# ----------------------------------------------------------------------- build
STAGE_DIR=$WORK_DIR/stage
rm -rf "$STAGE_DIR"
mkdir -p "$STAGE_DIR"
ldflags="-X main.version=$KAPACITOR_VERSION -X main.commit=$commit -X main.branch=v$KAPACITOR_VERSION -X main.platform=OSS"
log "building kapacitord and kapacitor (the first build compiles libflux with cargo: about 10-30 minutes on 2 cores)"
start=$(date +%s)
if ! (cd "$SRC_DIR" && go build -o "$STAGE_DIR/" -ldflags "$ldflags" ./cmd/kapacitord ./cmd/kapacitor) >&2; then
    die "go build failed in $SRC_DIR (env: GOTOOLCHAIN=$GOTOOLCHAIN GOFLAGS=$GOFLAGS PKG_CONFIG=$PKG_CONFIG RUSTUP_TOOLCHAIN=${RUSTUP_TOOLCHAIN:-} RUSTC_WRAPPER=$RUSTC_WRAPPER); set PKG_CONFIG_LOG=/tmp/pkgconfig.log for the libflux/cargo log"
fi
log "build finished in $(( $(date +%s) - start ))s"

for b in kapacitord kapacitor; do
    [[ -x $STAGE_DIR/$b ]] || die "build produced no $b in $STAGE_DIR"
    mv -f "$STAGE_DIR/$b" "$BIN_DIR/$b"
done
rmdir "$STAGE_DIR" 2>/dev/null || true

is_installed "$BIN_DIR" || die "installed binaries in $BIN_DIR do not report version $KAPACITOR_VERSION: $("$BIN_DIR/kapacitord" version 2>&1 || true)"
log "$("$BIN_DIR/kapacitord" version 2>&1 | head -n1)"
log "installed kapacitord and kapacitor $KAPACITOR_VERSION in $BIN_DIR"
printf '%s\n' "$BIN_DIR"
