package io.aura.server;

import java.util.Map;

/** The end-to-end suite on the embedded H2 database. */
class H2ServerTest extends ServerSuite {
    @Override
    Map<String, String> dbEnv() {
        return TestServer.dbEnv(null);
    }
}
