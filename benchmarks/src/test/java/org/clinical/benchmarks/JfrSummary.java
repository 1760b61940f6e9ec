package org.clinical.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the platform's CPU went during a profiled bench run (benchmarks/run.sh with PROFILE=1): reads the JFR
 * execution samples and prints, per subsystem (library), the share of samples with one of its frames on the
 * stack ("on the stack"; wrappers such as the security filter chain are on every request's stack) and the share
 * whose innermost recognised frame is its own ("innermost": where the time is actually spent), and the hottest
 * innermost non-JDK methods. Run with the JDK's single-file launcher:
 * {@code java benchmarks/src/test/java/org/clinical/benchmarks/JfrSummary.java recording.jfr}.
 */
public final class JfrSummary {

    private static final Map<String, List<String>> SUBSYSTEMS = new LinkedHashMap<>();

    static {
        SUBSYSTEMS.put("JDBC (PostgreSQL driver)", List.of("org.postgresql."));
        SUBSYSTEMS.put("HikariCP", List.of("com.zaxxer.hikari."));
        SUBSYSTEMS.put("Kafka", List.of("org.apache.kafka.", "kafka."));
        SUBSYSTEMS.put("Redis (Lettuce)", List.of("io.lettuce."));
        SUBSYSTEMS.put("Jackson", List.of("com.fasterxml.jackson."));
        SUBSYSTEMS.put("XStream", List.of("com.thoughtworks.xstream."));
        SUBSYSTEMS.put("JWT (nimbus)", List.of("com.nimbusds."));
        SUBSYSTEMS.put("hashing/crypto (JDK)", List.of("java.security.", "sun.security.", "javax.crypto.",
                "com.sun.crypto."));
        SUBSYSTEMS.put("Bean Validation", List.of("org.hibernate.validator.", "jakarta.validation."));
        SUBSYSTEMS.put("Axon", List.of("org.axonframework."));
        SUBSYSTEMS.put("Spring tx/JDBC", List.of("org.springframework.transaction.", "org.springframework.jdbc."));
        SUBSYSTEMS.put("Spring Security", List.of("org.springframework.security."));
        SUBSYSTEMS.put("Spring MVC/web", List.of("org.springframework.web."));
        SUBSYSTEMS.put("Spring (other)", List.of("org.springframework."));
        SUBSYSTEMS.put("Micrometer", List.of("io.micrometer."));
        SUBSYSTEMS.put("logging", List.of("ch.qos.logback.", "org.slf4j.", "org.apache.logging."));
        SUBSYSTEMS.put("Tomcat", List.of("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat."));
        SUBSYSTEMS.put("platform (org.clinical)", List.of("org.clinical."));
    }

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Integer> onStack = new HashMap<>();
        Map<String, Integer> innermost = new HashMap<>();
        Map<String, Integer> hotMethods = new HashMap<>();
        Map<String, Integer> hotPlatform = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            Set<String> seen = new HashSet<>();
            String first = null;
            String firstMethod = null;
            String firstPlatform = null;
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                String method = type + "." + frame.getMethod().getName();
                String subsystem = subsystem(type);
                if (subsystem != null) {
                    seen.add(subsystem);
                    if (first == null) {
                        first = subsystem;
                    }
                }
                if (firstMethod == null && !type.startsWith("java.") && !type.startsWith("jdk.")
                        && !type.startsWith("sun.")) {
                    firstMethod = method;
                }
                if (firstPlatform == null && type.startsWith("org.clinical.")) {
                    firstPlatform = method;
                }
            }
            seen.forEach(s -> onStack.merge(s, 1, Integer::sum));
            innermost.merge(first == null ? "JDK/other" : first, 1, Integer::sum);
            hotMethods.merge(firstMethod == null ? "(JDK only)" : firstMethod, 1, Integer::sum);
            if (firstPlatform != null) {
                hotPlatform.merge(firstPlatform, 1, Integer::sum);
            }
        }
        if (samples == 0) {
            System.out.println("  profile         no execution samples");
            return;
        }
        System.out.println("  profile         " + samples + " JFR execution samples of the platform JVM");
        System.out.println("  innermost       " + top(innermost, samples, 10));
        System.out.println("  on the stack    " + top(onStack, samples, 12));
        System.out.println("  hot non-JDK     " + top(hotMethods, samples, 6));
        System.out.println("  hot platform    " + top(hotPlatform, samples, 6));
    }

    private static String subsystem(String type) {
        for (Map.Entry<String, List<String>> entry : SUBSYSTEMS.entrySet()) {
            for (String prefix : entry.getValue()) {
                if (type.startsWith(prefix)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }

    private static String top(Map<String, Integer> counts, int total, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / total) + " %")
                .collect(Collectors.joining(", "));
    }
}
