package io.aura.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A server in its own JVM for the kill -9 tests: args DATA_DIR PORT_FILE [AURA_DB_URL]; writes the
 * port when ready.
 */
public final class ChildServer {

    private ChildServer() {
    }

    public static void main(String[] args) throws Exception {
        // (the embedded store's user, so that a server on the default URL opens the same file afterwards)
        Map<String, String> env = args.length > 2 ? Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_DB_URL", args[2], "AURA_DB_USER", "aura")
                : Map.of("AURA_JWT_SECRET", TestServer.SECRET);
        AuraServer s = AuraServer.start(ServerConfig.fromEnv(env, 0,
                Path.of(args[0]), null), Clock.systemUTC());
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(s.port()));
        Files.move(tmp, Path.of(args[1]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join(); // until killed
    }
}
