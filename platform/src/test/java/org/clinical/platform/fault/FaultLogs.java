package org.clinical.platform.fault;

import org.clinical.platform.support.TestRun;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fault tests' logs, a directory per test under {@code target/fault-tests} ({@link FaultTest}), kept after
 * the run for whoever looks into a failure. A run claims each directory it writes into with a file {@code run}
 * holding its {@link TestRun#ID}; its first claim deletes the directories of runs that are over
 * ({@link TestRun#isOver}), killed or not: what is left is the logs of the latest run, and of runs going on.
 */
final class FaultLogs {

    private static final String CLAIM = "run";
    private static boolean swept;

    private FaultLogs() {
    }

    static synchronized void claim(File dir) {
        Path claim = dir.toPath().resolve(CLAIM);
        try {
            if (!Files.exists(claim)) {
                Files.writeString(claim, TestRun.ID);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!swept) {
            swept = true;
            deleteOver(dir.getAbsoluteFile().toPath().getParent());
        }
    }

    private static void deleteOver(Path logs) {
        List<Path> dirs;
        try (var list = Files.list(logs)) {
            dirs = list.filter(dir -> Files.isRegularFile(dir.resolve(CLAIM))).toList();
        } catch (IOException e) {
            System.err.println("could not list " + logs + ": " + e);
            return;
        }
        for (Path dir : dirs) {
            try {
                if (TestRun.isOver(Files.readString(dir.resolve(CLAIM)).trim())) {
                    TestRun.deleteTree(dir);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }
}
