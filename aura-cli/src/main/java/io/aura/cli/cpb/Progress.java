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
    private int done;
    private int total = -1;
    private long seconds;

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

    /**
     * Between episodes' ends, a line at most every period with the simulated seconds done so far (a
     * 1e6-agent fluid episode takes most of an hour): "cpb: 0/2 episodes (0%), 431 simulated seconds, elapsed 9m10s".
     */
    @Override
    public synchronized void started(int total) {
        this.total = total;
    }

    @Override
    public synchronized void secondSimulated() {
        seconds++;
        long now = System.nanoTime();
        if (now - lastPrint < Math.max(periodNanos, 1_000_000_000L)) {
            return;
        }
        lastPrint = now;
        String line = String.format(Locale.ROOT, "%s: %d/%s episodes%s, %d simulated seconds, elapsed %s", label, done,
                total < 0 ? "?" : Integer.toString(total), total <= 0 ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total),
                seconds, duration((now - start) * 1e-9));
        print(line, false);
    }

    @Override
    public synchronized void episodeDone(int done, int total, long events) {
        this.done = done;
        this.total = total;
        long now = System.nanoTime();
        if (done < total && now - lastPrint < periodNanos) {
            return;
        }
        lastPrint = now;
        print(line(done, total, events, now), done == total);
    }

    private void print(String line, boolean last) {
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            err.print("\r" + line + pad);
            lastLength = line.length();
            if (last) {
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
