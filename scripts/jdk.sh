# Sourced by ./demo, ./bench and .ci/run: make JAVA_HOME point at a JDK >= 21.
# Keeps a suitable JAVA_HOME or default java; otherwise picks the newest JDK >= 21 found in the usual
# JVM folders. Prints a clear error and returns 1 when there is none.

vipflip_java_major() { # $1 = path to a java binary
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

vipflip_select_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(vipflip_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
    major=$(vipflip_java_major "$(command -v java)")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(vipflip_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best=$candidate; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "error: vipflip needs a JDK 21 or newer (javac included); none found in JAVA_HOME, PATH or the usual JVM folders." >&2
    echo "       Install one (e.g. Temurin 21) and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
  PATH="$JAVA_HOME/bin:$PATH"
  export PATH
}

# Newer JDKs warn about Maven's own use of sun.misc.Unsafe and about DynamoDB Local's native library; the
# warnings are harmless and hide the output that matters. Only JDKs that know these flags get them.
vipflip_quiet_jvm_flags() {
  local major
  major=$(vipflip_java_major "$JAVA_HOME/bin/java")
  VIPFLIP_JAVA_FLAGS="--enable-native-access=ALL-UNNAMED"
  if [ "${major:-0}" -ge 24 ] 2>/dev/null; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  export VIPFLIP_JAVA_FLAGS
}
