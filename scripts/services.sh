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
  # MQTT tests start their own mosquitto on a free loopback port; only the package has to be installed.
  [ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || spindle_apt_install mosquitto
  # The dashboard's browser test drives headless Chromium through ChromeDriver (Selenium).
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || spindle_apt_install chromium chromium-driver
  # the ArgoCD health check (deploy/kubernetes/argocd/health.lua) is tested under a real Lua 5.4
  command -v lua5.4 >/dev/null 2>&1 || spindle_apt_install lua5.4
  # TLS tests make their CA and certificates with openssl at test time
  command -v openssl >/dev/null 2>&1 || spindle_apt_install openssl
  spindle_postgres
}
spindle_postgres() {
  # Store tests use PostgreSQL on 127.0.0.1:5432 (SPINDLE_PG_URL overrides), user postgres, each test in its own
  # schema. Installed when missing, a cluster created when there is none, started when not running; loopback only.
  [ -n "${SPINDLE_PG_URL:-}" ] && return 0
  spindle_apt_install postgresql
  local ver sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    $sudo pg_createcluster "$ver" main -- --auth-local=trust --auth-host=trust >/dev/null
  fi
  local cluster
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "test: starting PostgreSQL $cluster (127.0.0.1:5432)"
    # Debian's cluster listens on localhost only (listen_addresses defaults to 'localhost').
    $sudo pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || $sudo pg_ctlcluster "$cluster" main start
    local i
    for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  # Tests connect as postgres without a password over TCP: require trust (or a password in SPINDLE_PG_URL).
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    echo "test: PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password; set SPINDLE_PG_URL" >&2
    echo "test:   (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=...)" >&2
    return 1
  fi
}
spindle_wasm_toolchain() {
  # Guests are C (clang + wasi-libc) and WAT (wabt); wasm-opt from binaryen. Only the rebuild check needs them.
  spindle_apt_install clang lld wasi-libc libclang-rt-dev-wasm32 binaryen wabt
}
