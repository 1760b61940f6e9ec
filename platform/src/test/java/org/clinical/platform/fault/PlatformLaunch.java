package org.clinical.platform.fault;

import org.clinical.platform.support.TestRun;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the fault tests start the packaged jar quickly: extracted once per build of the jar
 * ({@code java -Djarmode=tools extract}, plain jars on the class path), with a class-data-sharing archive of
 * the platform's classes that the first start dumps when it stops gracefully and later starts map: about
 * twice as fast a start on a busy two-core machine. Only one start at a time dumps the archive.
 */
final class PlatformLaunch {

    private static final File JAR = new File(System.getProperty("clinical.fault.jar", "target/clinical-platform.jar"));
    private static final String PARTIAL = ".partial-";
    private static Path extracted;
    private static FaultPlatform dumping;

    private PlatformLaunch() {
    }

    /** The java command line for the platform, without its settings (given in the environment). */
    static synchronized List<String> command(FaultPlatform platform, File tmp) {
        Path app = extracted();
        File archive = app.resolve("platform.jsa").toFile();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp.getAbsolutePath(),
                "-Daxoniq.update-checker.disabled=true"));
        if (archive.isFile()) {
            command.add("-XX:SharedArchiveFile=" + archive);
        } else if (dumping == null) {
            dumping = platform;
            command.add("-XX:+AutoCreateSharedArchive");
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", app.resolve(JAR.getName()).toString()));
        return command;
    }

    /** The platform stopped: if it was to dump the archive, it has (graceful stop) or never will (killed). */
    static synchronized void stopped(FaultPlatform platform) {
        if (dumping == platform) {
            dumping = null;
        }
    }

    /**
     * Extracts into a directory of this run's, moved to its final name once complete: a run killed while it
     * extracts leaves no half extract that later runs would start, only a directory a later run deletes.
     */
    private static Path extracted() {
        if (extracted != null) {
            return extracted;
        }
        Path dir = JAR.getAbsoluteFile().toPath().resolveSibling("fault-app-" + JAR.lastModified() + "-" + JAR.length());
        deleteLeftovers(dir);
        if (!Files.isDirectory(dir)) {
            Path partial = dir.resolveSibling(dir.getFileName() + PARTIAL + TestRun.ID);
            run(List.of(java(), "-Djarmode=tools", "-jar", JAR.getAbsolutePath(), "extract", "--destination",
                    partial.toString()));
            try {
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) {
                    throw new UncheckedIOException(e);
                }
                delete(partial); // another run's extract was complete first
            }
        }
        extracted = dir;
        return dir;
    }

    /** Extracts of earlier builds of the jar (about 200 MB each) and partial ones of runs that are over. */
    private static void deleteLeftovers(Path current) {
        File[] dirs = current.getParent().toFile().listFiles(f -> f.getName().startsWith("fault-app-"));
        for (File dir : dirs == null ? new File[0] : dirs) {
            String name = dir.getName();
            boolean partial = name.contains(PARTIAL);
            if (partial ? TestRun.isOver(name.substring(name.indexOf(PARTIAL) + PARTIAL.length()))
                    : !dir.toPath().equals(current)) {
                delete(dir.toPath());
            }
        }
    }

    private static void delete(Path dir) {
        try {
            TestRun.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("failed: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
