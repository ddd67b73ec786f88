package io.aura.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A server in its own JVM for the kill -9 test: args DATA_DIR PORT_FILE; writes the port when ready. */
public final class ChildServer {

    private ChildServer() {
    }

    public static void main(String[] args) throws Exception {
        AuraServer s = AuraServer.start(ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0,
                Path.of(args[0]), null), Clock.systemUTC());
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(s.port()));
        Files.move(tmp, Path.of(args[1]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join(); // until killed
    }
}
