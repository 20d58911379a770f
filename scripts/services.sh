# Sourced by scripts/test: installs (Debian packages) and starts, on loopback only, what the tests need.
# Later modules add their services here (nats-server, mosquitto, postgresql) so the test command stays one command.
spindle_apt_install() { # installs Debian packages that are missing
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "test: installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
spindle_need_command() { # command, Debian package providing it
  command -v "$1" >/dev/null 2>&1 || spindle_apt_install "$2"
}
spindle_services_for_tests() {
  # The benchmark-peer test runs the npm LTTB packages under Node and the C reference built with gcc.
  spindle_need_command node nodejs
  spindle_need_command npm npm
  spindle_need_command gcc gcc
  # Lattice tests start their own nats-server (JetStream, a free loopback port, a temporary store) and stop it after;
  # the Debian package only has to be installed. NatsServerProcess looks in /usr/sbin, $NATS_SERVER, then PATH.
  [ -x /usr/sbin/nats-server ] || command -v nats-server >/dev/null 2>&1 || spindle_apt_install nats-server
}
spindle_wasm_toolchain() {
  # Guests are C (clang + wasi-libc) and WAT (wabt); wasm-opt from binaryen. Only the rebuild check needs them.
  spindle_apt_install clang lld wasi-libc libclang-rt-dev-wasm32 binaryen wabt
}
