package io.aura.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import io.aura.cli.ripser.RipserCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aura} command: the entry point of the launcher script. */
@Command(name = "aura",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "AURA predicts and stops cascading failures in multi-agent systems.%n"
                + "Run 'aura COMMAND --help' for the options of a command.",
        subcommands = {CommandLine.HelpCommand.class, RipserCommand.class, AnalyzeCommand.class,
            SampleCommand.class, BenchCommand.class, TrainCommand.class, ModelTrainCommand.class, ServeCommand.class,
            TokenCommand.class, CapacityCommand.class, DemoCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ripser")) {
            // fast path: Ripser parses its own arguments; skip building the picocli model
            System.exit(RipserCli.run(List.of(args).subList(1, args.length), System.in, System.out, System.err));
        }
        System.exit(run(args));
    }

    /** Columns of every --help. */
    static final int HELP_WIDTH = 120;

    /** Runs the command line and returns the exit status (used by tests, no System.exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        // "@file" arguments are file names (as in Ripser), not picocli argument files; 120 columns so that no
        // example of a --help is broken over two lines (copied, the second half ran as a command of its own)
        CommandLine cl = new CommandLine(new Main()).setExpandAtFiles(false).setUsageHelpWidth(HELP_WIDTH);
        giveVersion(cl);
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        return cl.setParameterExceptionHandler((ex, args) -> benchParameterError(ex, args, usage));
    }

    /** Every command's --help offers -V/--version (the standard help options): each prints the version, as aura's does. */
    private static void giveVersion(CommandLine c) {
        if (c.getCommandSpec().versionProvider() == null) {
            c.getCommandSpec().versionProvider(new Version());
        }
        c.getSubcommands().values().forEach(Main::giveVersion);
    }

    /**
     * The bench commands report every bad input in one line on standard error (docs/cpb.md, "Errors"), also what picocli
     * itself rejects (a value of the wrong type, an unknown or repeated option), with a pointer to --help and
     * picocli's suggestion for a misspelt option; the other commands keep picocli's message and usage.
     */
    private static int benchParameterError(CommandLine.ParameterException ex, String[] args,
            CommandLine.IParameterExceptionHandler usage) throws Exception {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        if (!name.startsWith("aura bench ")) {
            return usage.handleParseException(ex, args);
        }
        StringBuilder line = new StringBuilder(name).append(": ").append(ex.getMessage().strip().replace('\n', ' '));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", u.getSuggestions())).append('?');
        }
        line.append(" (see '").append(name).append(" --help')");
        cmd.getErr().println(line);
        cmd.getErr().flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"aura " + p.getProperty("version", "unknown") + " (Java "
                    + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")"};
        }
    }
}
