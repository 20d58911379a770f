package io.spindle.cli;

import io.spindle.lattice.CtlException;
import io.spindle.lattice.transport.TransportException;
import io.spindle.wasm.ComponentException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a failed command into one line {@code spindle: <what>: <why>} on stderr, exit 1; stack traces only on request. */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        cmd.getOut().flush();
        err.println("spindle: " + describe(ex, cmd));
        if (debug(parsed)) ex.printStackTrace(err);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    static String describe(Throwable ex, CommandLine cmd) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) ex = u.getCause();
        if (ex instanceof CliFailure f) return f.getMessage();
        if (ex instanceof ComponentException c) return c.getMessage(); // names the component, the call and the reason
        if (ex instanceof CtlException || ex instanceof TransportException)
            return cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^spindle ", "") + ": " + ex.getMessage();
        if (ex instanceof NoSuchFileException e) return e.getFile() + ": no such file";
        if (ex instanceof AccessDeniedException e) return e.getFile() + ": permission denied";
        if (ex instanceof FileSystemException e && e.getFile() != null)
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        String what = cmd.getCommandName();
        String why = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof IOException) why = "I/O error: " + why;
        else if (!(ex instanceof IllegalArgumentException || ex instanceof IllegalStateException))
            why = why + " (" + ex.getClass().getSimpleName() + "; rerun with --verbose for the stack trace)";
        return what + ": " + why.replace('\n', ' ');
    }

    /** Why an I/O operation failed, in words, without the exception's class name. */
    static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** --verbose on any command of the line, or SPINDLE_DEBUG=1. */
    static boolean debug(ParseResult parsed) {
        if ("1".equals(System.getenv("SPINDLE_DEBUG"))) return true;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) if (p.hasMatchedOption("--verbose")) return true;
        return false;
    }
}
