# Sourced by bin/run and benchmarks/run.sh (after bin/jdk.sh): the platform on a JDK AOT cache
# (docs/operations.md, "Faster start: a JDK AOT cache").

# Whether the JDK at CLINICAL_JAVA_HOME has the AOT cache's one-step training (JDK 25 or later).
aot_supported() {
    "$CLINICAL_JAVA_HOME/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '
}

# aot_prepare JAR APP_DIR CACHE: extracts JAR into APP_DIR with Spring Boot's jar tools (an AOT cache takes no
# classes from nested jars) unless APP_DIR holds that very jar already; a new jar also deletes CACHE, which would
# no longer match it. Then sets AOT_JAR, the jar to run, and AOT_OPTION: -XX:AOTCache=CACHE, or, when CACHE does
# not exist, -XX:AOTCacheOutput=CACHE (a training run: the JVM writes the cache as it exits).
aot_prepare() {
    local jar=$1 app=$2 cache=$3 sum
    sum=$(sha256sum "$jar" | cut -d' ' -f1)
    if [ "$(cat "$app/.jar-sha256" 2>/dev/null)" != "$sum" ]; then
        rm -rf "$app" "$cache"
        mkdir -p "$(dirname "$app")"
        "$CLINICAL_JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$app" >/dev/null
        echo "$sum" >"$app/.jar-sha256"
    fi
    AOT_JAR=$app/clinical-platform.jar
    if [ -f "$cache" ]; then
        AOT_OPTION=-XX:AOTCache=$cache
    else
        AOT_OPTION=-XX:AOTCacheOutput=$cache
    fi
}
