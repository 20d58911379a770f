# Sourced by scripts/test: installs (Debian packages) and starts, on loopback only, the services tests need.
# The foundation's tests need no service; the function is where later modules add theirs
# (nats-server, mosquitto, postgresql), so that the test command stays one command.
spindle_apt_install() { # installs Debian packages that are missing
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "test: installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
spindle_services_for_tests() {
  :
}
