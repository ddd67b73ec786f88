package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help shows its examples whole: a copied example runs as written. */
class HelpTest {

    static void collect(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }

    @Test
    void noExampleIsBrokenOverTwoLines() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        int examples = 0;
        for (CommandLine c : all) {
            String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> lines = usage.lines().toList();
            for (String f : c.getCommandSpec().usageMessage().footer()) {
                for (String line : String.format(f).split("\n")) {
                    if (line.strip().startsWith("aura ") || line.contains(" aura ")) {
                        examples++;
                        assertThat(lines).as(c.getCommandName() + "'s --help shows its example whole: " + line).contains(line);
                    }
                }
            }
            assertThat(lines).as(c.getCommandName()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Main.HELP_WIDTH));
        }
        assertThat(examples).as("examples checked").isGreaterThan(10);
    }

    /** Every command's --help offers "-V, --version"; each printed nothing but the top level's (exit 0, no output). */
    @Test
    void everyCommandThatOffersVersionPrintsIt() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        int checked = 0;
        for (CommandLine c : all) {
            if (c.getCommandSpec().optionsMap().containsKey("--version")) {
                List<String> path = new ArrayList<>();
                for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
                    path.add(0, p.getCommandName());
                }
                path.add("--version");
                CliRun r = CliRun.of(path.toArray(String[]::new));
                assertThat(r.code()).as(path.toString()).isZero();
                assertThat(r.out()).as(path.toString()).startsWith("aura 0.").contains("Java ");
                checked++;
            }
        }
        assertThat(checked).as("commands checked").isGreaterThan(10);
    }
}
