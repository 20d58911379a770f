#!/usr/bin/env bash
# Builds a real kube-apiserver (v1.20.2, Debian 12's Kubernetes source, Go 1.19) for the operator tests and lays out
# $CACHE/k8s/1.20.2-linux-amd64/{kube-apiserver,etcd,kubectl}; returns at once when they are already there.
# CACHE is ${SPINDLE_KUBE_CACHE:-$HOME/.cache/spindle/kube}. Recipe and reasons: ../shared/notes/kubernetes-apiserver.md.
# Cold: 4.5 minutes on 2 idle cores, 10 on busy ones (6 CPU-minutes); the binary is reproducible (same sha256).
# Needs 1.5 GB of scratch space under CACHE (removed after) and a 34 MB source download from deb.debian.org.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/services.sh"

K8S_VERSION=1.20.2
DEB_VERSION=1.20.5+really1.20.2-1.1+deb12u1 # bookworm-security; its .orig.tar.gz is the upstream v1.20.2 tree with vendor/
cache="${SPINDLE_KUBE_CACHE:-$HOME/.cache/spindle/kube}"
out="$cache/k8s/$K8S_VERSION-linux-amd64"
log() { echo "kube-apiserver: $*"; }
cached() { [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ] && [ -x "$out/kubectl" ] && log "cached in $out"; }

cached && exit 0
mkdir -p "$cache"
# One build at a time per cache (parallel test runs wait instead of building twice); under the lock, scratch dirs
# left by a killed build are removed.
exec 9>"$cache/.lock"
if ! flock -n 9; then
  log "another build is running; waiting for it"
  flock 9
fi
cached && exit 0
rm -rf "$cache"/build.*
[ "$(uname -m)" = x86_64 ] || { log "only linux-amd64 is supported (this is $(uname -m))" >&2; exit 1; }
start=$(date +%s)

# Build tools only; etcd and kubectl are taken out of their .debs below so nothing is installed that would start a
# service (etcd-server) or replace a kubectl already on PATH (kubernetes-client).
spindle_apt_install golang-go golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev ca-certificates
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# A private apt configuration (own source list, lists and cache) so the machine's apt state is left untouched.
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/debs"
cat >"$work/apt/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
EOF
apt_own=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o Debug::NoLocking=1)
# apt drops to user _apt for downloads, which cannot write into this private (mode 700) tree.
[ "$(id -u)" -ne 0 ] || apt_own+=(-o APT::Sandbox::User=root)
log "fetching package lists (private apt state in $work/apt)"
apt-get "${apt_own[@]}" update -qq
log "downloading kubernetes $DEB_VERSION source, etcd-server and kubernetes-client"
(cd "$work" && apt-get "${apt_own[@]}" source -qq --download-only "kubernetes=$DEB_VERSION")
(cd "$work/debs" && apt-get "${apt_own[@]}" download -qq etcd-server kubernetes-client)

log "unpacking"
gopath="$work/gopath"
src="$gopath/src/k8s.io/kubernetes"
mkdir -p "$src" "$work/root"
tar -xzf "$work"/kubernetes_*.orig.tar.gz -C "$src" --strip-components=1
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

# Go 1.19 crashes v1.20.2's vendored reflect2 (SIGSEGV serving a custom resource): use Debian's patched copies.
for pkg in github.com/modern-go/reflect2 github.com/json-iterator/go; do
  rm -rf "$src/vendor/$pkg"
  cp -r "/usr/share/gocode/src/$pkg" "$src/vendor/$pkg"
done

# GOPATH mode (module mode fails with "updates to go.mod needed"); a private Go build cache removed with $work.
export GOPATH="$gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOCACHE="$work/gocache" GOTOOLCHAIN=local
cd "$src"

log "generating pkg/generated/openapi (openapi-gen)"
go build -o "$work/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
# The input packages are the ones upstream's build/root/Makefile.generated_files picks for pkg/generated/openapi: Go
# files outside vendor/ (staging seen as vendor/k8s.io) that carry a "// +k8s:" tag and name +k8s:openapi-gen=, minus
# code-generator and sample-apiserver. The other generated openapi files ship in the tarball.
inputs=$(find . \( -path ./vendor -o -path './_*' -o -path './.*' \) -prune -o -type f -name '*.go' -print0 |
  { xargs -0 grep -l '^// *+k8s:' || true; } | { xargs grep -l '+k8s:openapi-gen=' || true; } |
  sed -e 's#^\./staging/src/#vendor/#' -e 's#^\./##' | xargs -n1 dirname | LC_ALL=C sort -u |
  grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' |
  sed 's#^#k8s.io/kubernetes/#' | paste -sd, -)
"$work/openapi-gen" --logtostderr -v 0 \
  --input-dirs "$inputs" \
  --output-package k8s.io/kubernetes/pkg/generated/openapi \
  --output-file-base zz_generated.openapi \
  --output-base "$gopath/src" \
  --go-header-file vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
  --report-filename "$work/openapi-violations.list"
# Same check as upstream's: a different report means different inputs, so a different API surface.
if ! diff <(LC_ALL=C sort api/api-rules/violation_exceptions.list) <(LC_ALL=C sort "$work/openapi-violations.list"); then
  log "openapi-gen's API rule report differs from api/api-rules/violation_exceptions.list (wrong inputs?)" >&2
  exit 1
fi

log "building kube-apiserver (the long part: 4 to 9 minutes on 2 cores)"
ldflags="-s -w"
for vpkg in k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version k8s.io/kubernetes/vendor/k8s.io/component-base/version; do
  ldflags+=" -X $vpkg.gitVersion=v$K8S_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=20"
  ldflags+=" -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"
done
go build -trimpath -ldflags "$ldflags" -o "$work/kube-apiserver" ./cmd/kube-apiserver
"$work/kube-apiserver" --version | grep -q "v$K8S_VERSION" || { log "built binary does not report v$K8S_VERSION" >&2; exit 1; }

# Staged then renamed so a half-written layout is never mistaken for a cached one.
stage="$work/out"
mkdir -p "$stage"
mv "$work/kube-apiserver" "$stage/kube-apiserver"
cp "$work/root/usr/bin/etcd" "$stage/etcd"
cp "$work/root/usr/bin/kubectl" "$stage/kubectl"
chmod 755 "$stage"/*
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$stage" "$out"
log "done in $(($(date +%s) - start)) s: $out ($(du -sh "$out" | cut -f1))"
