# Sourced by the in-process benchmarks (sync.sh, idle-core.sh): JAVA_HOME (JDK 25) and JAR, the JMH benchmarks jar,
# built offline first if it is missing. The caller sets REPO.
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$REPO/ringwall-bench/target/benchmarks.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$REPO" && ./mvnw -B -q -o install -DskipTests) >&2
fi
