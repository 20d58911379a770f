#!/usr/bin/env bash
# Builds Spindle's guest components: every directory under components/ with C sources (except sdk/) becomes
# <dir>/<dir>.wasm, and every components/adversarial/*.wat becomes the .wasm beside it.
#
#   components/build.sh           build in place
#   components/build.sh --check   rebuild into a temporary directory and fail (exit 1, naming the file) when a
#                                 rebuilt binary differs from the one in the tree (CI: the committed binaries must be
#                                 what the sources build to)
#
# Toolchain (Debian/Ubuntu): apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 binaryen wabt
# C is compiled with clang --target=wasm32-wasi -O2 -ffp-contract=off (the LTTB component must round like Java, so
# no contraction into fused multiply-adds) and linked as a reactor (-mexec-model=reactor); wasm-opt -Oz (as fast as
# -O2 here, and smaller) then strips debug info, producers and target features and keeps the `spindle:world` custom
# section. A built module may import only the world's log and config functions (checked). The build is
# byte-reproducible from any checkout path: sources are compiled by relative name, without debug info.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=build
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "usage: components/build.sh [--check]" >&2; exit 2 ;;
esac

CLANG="${CLANG:-clang}"
WASM_OPT="${WASM_OPT:-wasm-opt}"
WAT2WASM="${WAT2WASM:-wat2wasm}"
WASM_OBJDUMP="${WASM_OBJDUMP:-wasm-objdump}"
CFLAGS=(--target=wasm32-wasi -mbulk-memory -O2 -ffp-contract=off -DNDEBUG -Wall -Wextra)
LDFLAGS=(--target=wasm32-wasi -mexec-model=reactor)
OPTFLAGS=(--enable-bulk-memory -Oz --one-caller-inline-max-function-size=0 --strip-debug --strip-producers --strip-target-features)

toolchain_help="install it with: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 binaryen wabt"
missing=()
for tool in "$CLANG" wasm-ld "$WASM_OPT" "$WAT2WASM" "$WASM_OBJDUMP"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "components/build.sh: missing toolchain: ${missing[*]}; $toolchain_help" >&2
    exit 3
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The C toolchain must link a wasm32-wasi reactor (wasi-libc and the wasm32 compiler-rt builtins present).
printf 'unsigned long long f(unsigned long long a, unsigned long long b) { return (unsigned long long)(((unsigned __int128)a * b) >> 64); }\n' > "$work/probe.c"
if ! "$CLANG" "${CFLAGS[@]}" "${LDFLAGS[@]}" -Wl,--export=f -o "$work/probe.wasm" "$work/probe.c" 2> "$work/probe.err"; then
    echo "components/build.sh: $CLANG cannot build a wasm32-wasi reactor:" >&2
    sed 's/^/  /' "$work/probe.err" >&2
    echo "components/build.sh: $toolchain_help" >&2
    exit 3
fi

# build_c <component dir> <output file>
# Sources are compiled one by one and linked without an optimisation level: the clang driver would otherwise run
# wasm-opt itself with default inlining, which folds the hot loops back into one huge function that the host's JIT
# optimises far worse (measured 2.5x slower under Chicory). wasm-opt then runs once, without one-caller inlining.
build_c() {
    local dir="$1" out="$2" name f
    name="$(basename "$dir")"
    local objs=()
    rm -rf "$work/obj" && mkdir -p "$work/obj"
    while IFS= read -r f; do
        (cd "$dir" && "$CLANG" "${CFLAGS[@]}" -c "$f" -o "$work/obj/${f%.c}.o")
        objs+=("$work/obj/${f%.c}.o")
    done < <(cd "$dir" && LC_ALL=C ls -1 -- *.c)
    "$CLANG" "${LDFLAGS[@]}" -o "$work/$name.raw.wasm" "${objs[@]}"
    local opt="$work/$name.opt.wasm"
    "$WASM_OPT" "${OPTFLAGS[@]}" "$work/$name.raw.wasm" -o "$opt"
    # Only the world's imports (no WASI), and the world marker.
    local bad
    bad="$("$WASM_OBJDUMP" -x -j Import "$opt" 2>/dev/null | sed -n 's/.* <- \(.*\)$/\1/p' \
        | grep -v -x -e 'spindle:telemetry/log@0\.1\.0\.log' -e 'spindle:telemetry/config@0\.1\.0\.get' || true)"
    if [ -n "$bad" ]; then
        echo "components/build.sh: $name imports what the world does not offer: $bad" >&2
        exit 1
    fi
    if ! "$WASM_OBJDUMP" -h "$opt" | grep -q '"spindle:world"'; then
        echo "components/build.sh: $name lacks the spindle:world custom section" >&2
        exit 1
    fi
    cp "$opt" "$out"
}

# build_wat <file.wat> <output file>
build_wat() {
    (cd "$(dirname "$1")" && "$WAT2WASM" "$(basename "$1")" -o "$2")
}

targets=() # triples: source kind, source, output relative to components/
for dir in "$here"/*/; do
    dir="${dir%/}"
    name="$(basename "$dir")"
    [ "$name" = sdk ] && continue
    compgen -G "$dir/*.c" >/dev/null || continue
    targets+=("c" "$dir" "$name/$name.wasm")
done
if [ -d "$here/adversarial" ]; then
    for wat in "$here"/adversarial/*.wat; do
        [ -e "$wat" ] || continue
        base="$(basename "$wat" .wat)"
        targets+=("wat" "$wat" "adversarial/$base.wasm")
    done
fi

status=0
for ((i = 0; i < ${#targets[@]}; i += 3)); do
    kind="${targets[i]}" src="${targets[i + 1]}" rel="${targets[i + 2]}"
    if [ "$mode" = build ]; then
        out="$here/$rel"
    else
        out="$work/out/$rel"
        mkdir -p "$(dirname "$out")"
    fi
    if [ "$kind" = c ]; then build_c "$src" "$out"; else build_wat "$src" "$out"; fi
    if [ "$mode" = build ]; then
        echo "built components/$rel ($(wc -c < "$out") bytes)"
    elif [ ! -f "$here/$rel" ]; then
        echo "components/$rel: missing (run components/build.sh and commit it)" >&2
        status=1
    elif ! cmp -s "$out" "$here/$rel"; then
        echo "components/$rel: differs from what its sources build to (run components/build.sh and commit it)" >&2
        status=1
    else
        echo "ok components/$rel"
    fi
done
exit $status
