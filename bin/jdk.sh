# Sourced by the scripts in bin/: sets JAVA_HOME to a JDK >= 21, whatever the machine's default is.
# Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm and /opt/java, and takes the newest.
java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

find_jdk() {
    local best="" best_version=0 candidate version
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        version=$(java_major "$candidate")
        if [ "${version:-0}" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
            best=$candidate
            best_version=$version
        fi
    done
    [ -n "$best" ] || { echo "No JDK >= 21 found (looked at JAVA_HOME, /usr/lib/jvm, /opt/java)." >&2; return 1; }
    echo "$best"
}

CLINICAL_JAVA_HOME=$(find_jdk)
export CLINICAL_JAVA_HOME
