package io.aura.cli;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import io.aura.server.Tokens;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aura serve}: the HTTP API (docs/api.md) with configuration from the environment (docs/configuration.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the AURA server: the HTTP API, health and metrics.%n"
                + "Configuration comes from environment variables (docs/configuration.md); AURA_JWT_SECRET is required.",
        footer = {"%nExamples:",
                "  AURA_JWT_SECRET=\"$(openssl rand -base64 48)\" aura serve --port 8080",
                "  aura serve --dev            # throw-away secret; prints an operator token"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./aura-data",
            description = "directory of the embedded database when AURA_DB_URL is unset (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--dev", description = "without AURA_JWT_SECRET: generate a throw-away secret and print an operator token with every scope")
    boolean dev;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String devSecret = null;
        if (dev) {
            byte[] b = new byte[48];
            new SecureRandom().nextBytes(b);
            devSecret = Base64.getEncoder().encodeToString(b);
        }
        AuraServer server;
        try {
            ServerConfig config = ServerConfig.fromEnv(System.getenv(), port, dataDir, devSecret);
            server = AuraServer.start(config, Clock.systemUTC());
            if (dev && devSecret.equals(config.jwtSecret())) {
                String token = server.tokens().operator("dev-operator", Set.copyOf(Tokens.SCOPES), Duration.ofHours(12));
                err.println("aura serve --dev: throw-away secret; operator token (all scopes, 12 h):");
                err.println(token);
                err.flush();
            } else if (dev) {
                err.println("aura serve --dev: ignored, the server runs with the secret of AURA_JWT_SECRET/JWT_SECRET;"
                        + " mint a token with: aura token --subject NAME");
                err.flush();
            }
        } catch (IllegalArgumentException e) {
            err.println("aura serve: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("aura serve: cannot start: " + rootMessage(e));
            return 1;
        }
        err.println("aura serve: listening on http://localhost:" + server.port() + " (Ctrl-C stops)");
        err.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "aura-shutdown"));
        stopped.await();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t == e || t.getMessage() == null || String.valueOf(e.getMessage()).contains(t.getMessage())) {
            return String.valueOf(e.getMessage()); // the cause says nothing the message does not
        }
        return e.getMessage() + " (" + t.getMessage() + ")";
    }
}
