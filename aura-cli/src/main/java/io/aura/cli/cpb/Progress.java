package io.aura.cli.cpb;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a CPB run on standard error: episodes done/total, episodes per second, simulator
 * events per second and the estimated time left. On a terminal one line is rewritten in place
 * (at most 5 times a second); otherwise a plain line is printed at most every {@code periodSec}
 * seconds. The final summary line is printed in both cases. Thread-safe.
 */
final class Progress implements CpbRunner.Listener {
    private final PrintWriter err;
    private final boolean terminal;
    private final long periodNanos;
    private final long start;
    private final String label;
    private long lastPrint;
    private int lastLength;

    Progress(PrintWriter err, boolean terminal, double periodSec) {
        this(err, terminal, periodSec, "cpb");
    }

    /** A progress line that starts with {@code label + ":"}. */
    Progress(PrintWriter err, boolean terminal, double periodSec, String label) {
        this.label = label;
        this.err = err;
        this.terminal = terminal;
        this.periodNanos = terminal ? 200_000_000L : Math.round(periodSec * 1e9);
        this.start = System.nanoTime();
        this.lastPrint = start;
    }

    /** True if standard error is an interactive terminal (System.console(), and isTerminal() on JDK 22+). */
    static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console means an interactive terminal
        }
    }

    @Override
    public synchronized void episodeDone(int done, int total, long events) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < periodNanos) {
            return;
        }
        lastPrint = now;
        String line = line(done, total, events, now);
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            err.print("\r" + line + pad);
            lastLength = line.length();
            if (done == total) {
                err.println();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    private String line(int done, int total, long events, long now) {
        double sec = Math.max(1e-9, (now - start) * 1e-9);
        double eps = done / sec;
        String eta = done == 0 ? "?" : duration((total - done) / eps);
        return String.format(Locale.ROOT, "%s: %d/%d episodes (%.0f%%), %.2f episodes/s, %.3g events/s, elapsed %s, ETA %s",
                label, done, total, 100.0 * done / total, eps, events / sec, duration(sec), done == total ? "0s" : eta);
    }

    static String duration(double sec) {
        long s = Math.round(sec);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
