package io.aura.server;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One server for a class of A2A tests, and an operator token with every skill's scope. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class A2aServer {

    TestServer s;
    String all;
    int ids;

    @BeforeAll
    void start(@TempDir Path dir) {
        s = new TestServer(Map.of(), dir);
        all = s.token("analyze", "intervene", "read");
    }

    @AfterAll
    void stop() {
        s.close();
    }
}
