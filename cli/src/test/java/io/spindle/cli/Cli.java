package io.spindle.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the spindle command in-process with captured output, as the tests' one way in. */
final class Cli {
    record Result(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        return runWithStdin(null, args);
    }

    /** Runs with stdin replaced by the given text (null: leave stdin alone). */
    static synchronized Result runWithStdin(String stdin, String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        InputStream saved = System.in;
        try {
            if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int exit = cmd.execute(args);
            return new Result(exit, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    /** The repository root (surefire sets spindle.root). */
    static Path root() {
        String dir = System.getProperty("spindle.root");
        if (dir == null) throw new IllegalStateException("system property spindle.root is not set (surefire sets it)");
        return Path.of(dir);
    }

    static Path shared() {
        String dir = System.getProperty("spindle.shared");
        if (dir == null) throw new IllegalStateException("system property spindle.shared is not set (surefire sets it)");
        return Path.of(dir);
    }
}
