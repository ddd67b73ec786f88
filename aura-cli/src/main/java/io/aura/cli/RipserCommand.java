package io.aura.cli;

import io.aura.cli.ripser.RipserCli;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aura ripser [options] [file]}: Ripser 1.2.1 compatible persistence barcodes.
 *
 * <p>Ripser's argument syntax is not picocli's ({@code --help} prints Ripser's usage to stderr,
 * {@code --} and unknown options are file names), so a command-level preprocessor takes every
 * remaining argument raw and in order before picocli interprets any of them, and
 * {@link RipserCli} parses them exactly as Ripser does. picocli's {@code @file} expansion is
 * off ({@link Main}), so {@code @NAME} is a file name as in Ripser.
 */
@Command(name = "ripser",
        description = "Vietoris-Rips persistence barcodes, output byte-identical to Ripser 1.2.1.%n"
                + "Usage: aura ripser [--dim k] [--threshold t] [--ratio r] [--format f] [--modulus p]"
                + " [--threads n] [file]",
        preprocessor = RipserCommand.TakeAll.class)
public final class RipserCommand implements Callable<Integer> {

    final List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return RipserCli.run(args, System.in, System.out, System.err);
    }

    /** Moves all remaining arguments, in order, into {@link RipserCommand#args}. */
    static final class TakeAll implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> stack, CommandSpec spec, ArgSpec argSpec, Map<String, Object> info) {
            RipserCommand cmd = spec.commandLine().getCommand();
            while (!stack.isEmpty()) {
                cmd.args.add(stack.pop());
            }
            return true;
        }
    }
}
