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
}
