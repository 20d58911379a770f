# Sourced by ./spindle, scripts/test and .ci/run: sets JAVA_HOME to a JDK >= 21.
# Keeps the caller's JAVA_HOME/java when it is new enough, else takes the newest under /usr/lib/jvm.
spindle_java_major() { # prints the feature version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
spindle_find_jdk() {
  local cand major best="" best_major=0
  for cand in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(spindle_java_major "$cand/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major=$major; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(spindle_java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
  :
elif SPINDLE_JDK=$(spindle_find_jdk); then
  export JAVA_HOME="$SPINDLE_JDK"
else
  echo "spindle: needs a JDK 21 or newer (javac included); found none in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "spindle: on Debian: sudo apt-get install openjdk-21-jdk (or any Temurin >= 21), or set JAVA_HOME." >&2
  return 1 2>/dev/null || exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
# Maven: the machine's own when installed, else the wrapper (downloads Maven 3.9.16 from Maven Central once).
if command -v mvn >/dev/null 2>&1; then
  SPINDLE_MVN=mvn
else
  SPINDLE_MVN="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/mvnw"
fi
export SPINDLE_MVN
