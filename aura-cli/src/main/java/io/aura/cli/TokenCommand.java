package io.aura.cli;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import io.aura.server.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aura token}: mints an operator JWT signed with AURA_JWT_SECRET (or JWT_SECRET). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Mint an operator token (HS256 JWT) with the server's secret from AURA_JWT_SECRET or JWT_SECRET.%n"
                + "Scopes: analyze, intervene, read, enrol, or 'all'.",
        footer = {"%nExample:",
                "  export TOKEN=$(aura token --subject alice --scopes analyze,read --ttl 3600)"})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--subject", required = true, paramLabel = "NAME", description = "who the token is for (the 'sub' claim)")
    String subject;

    @Option(names = "--scopes", paramLabel = "LIST", defaultValue = "all",
            description = "comma-separated scopes: analyze, intervene, read, enrol, or all (default ${DEFAULT-VALUE})")
    String scopes;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "3600",
            description = "lifetime in seconds, 1..31622400 (default ${DEFAULT-VALUE})")
    long ttl;

    @Override
    public Integer call() {
        try {
            if (blank(System.getenv("AURA_JWT_SECRET")) && blank(System.getenv("JWT_SECRET"))) {
                throw new IllegalArgumentException("no JWT secret: set AURA_JWT_SECRET (or JWT_SECRET) to the secret the server"
                        + " runs with; a server started with --dev has a throw-away secret no other process knows, and the"
                        + " operator token it prints is the one for it");
            }
            // only the secret is read (and checked as the server checks it): another setting's bad value is the server's business
            java.util.Map<String, String> secret = new java.util.HashMap<>();
            for (String k : java.util.List.of("AURA_JWT_SECRET", "JWT_SECRET")) {
                if (System.getenv(k) != null) {
                    secret.put(k, System.getenv(k));
                }
            }
            ServerConfig config = ServerConfig.fromEnv(secret, 0, Path.of("."), null);
            if (ttl < 1 || ttl > Tokens.MAX_TTL.toSeconds()) {
                throw new IllegalArgumentException("--ttl must be in 1.." + Tokens.MAX_TTL.toSeconds() + " seconds, got " + ttl);
            }
            java.util.Set<String> granted = AuraServer.parseScopes(scopes);
            if (granted.isEmpty()) {
                throw new IllegalArgumentException("--scopes names no scope, and a token without one opens nothing (403 everywhere);"
                        + " give analyze, intervene, read, enrol (comma-separated) or all");
            }
            String token = new Tokens(config.jwtSecret(), Clock.systemUTC())
                    .operator(subject, granted, Duration.ofSeconds(ttl));
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("aura token: " + e.getMessage());
            return 2;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
