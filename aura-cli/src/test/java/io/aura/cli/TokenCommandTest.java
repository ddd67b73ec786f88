package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code aura token} in its own process, with the environment it reads. */
class TokenCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run token(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "io.aura.cli.Main", "token"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("AURA_JWT_SECRET");
        pb.environment().remove("JWT_SECRET");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void onlyTheSecretMattersToMintingAToken() throws Exception {
        String secret = "a-secret-of-at-least-32-bytes-0123456789";
        // the operator review: an unrelated bad setting stopped token minting
        Run r = token(Map.of("AURA_JWT_SECRET", secret, "AURA_POLICY", "bad", "MAX_AGENTS_PER_REQUEST", "-1"), "--subject", "ops",
                "--scopes", "read");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip().split("\\.")).hasSize(3);
        // the secret itself is still checked as the server checks it
        Run weak = token(Map.of("AURA_JWT_SECRET", "short"), "--subject", "ops", "--scopes", "read");
        assertThat(weak.exit()).isEqualTo(2);
        assertThat(weak.err()).startsWith("aura token: ").contains("32");
        Run none = token(Map.of(), "--subject", "ops", "--scopes", "read");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no JWT secret");
    }

    /** An empty --scopes (say, an unset "$SCOPES") minted a token that every endpoint refuses with 403; now it is refused. */
    @Test
    void anEmptyScopeListIsRefusedNotMintedIntoAUselessToken() throws Exception {
        Map<String, String> env = Map.of("AURA_JWT_SECRET", "a-secret-of-at-least-32-bytes-0123456789");
        for (String empty : List.of("", " ", ",")) {
            Run r = token(env, "--subject", "ops", "--scopes", empty);
            assertThat(r.exit()).as("--scopes '" + empty + "': " + r.out()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("aura token: --scopes").contains("analyze, intervene, read, enrol");
        }
        assertThat(token(env, "--subject", "ops", "--scopes", "read,,analyze").exit()).isZero();
    }
}
