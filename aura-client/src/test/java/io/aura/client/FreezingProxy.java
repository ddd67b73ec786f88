package io.aura.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a local port whose open connections can be frozen: they stay open but carry
 * nothing more either way, as a connection does behind a NAT that forgot it or to a host that lost
 * power. Connections made after a freeze relay normally.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    /** Copies one direction of one connection until it is frozen or closed. */
    private static final class Pipe {
        volatile boolean frozen;
    }

    FreezingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on the open connections carry nothing (and stay open). */
    void freeze() {
        pipes.forEach(p -> p.frozen = true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Pipe pipe = new Pipe();
        pipes.add(pipe);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                InputStream is = from.getInputStream();
                OutputStream os = to.getOutputStream();
                int n;
                while ((n = is.read(buf)) >= 0) {
                    if (pipe.frozen) {
                        while (!from.isClosed()) { // hold the connection open, carry nothing
                            Thread.sleep(50);
                        }
                        return;
                    }
                    os.write(buf, 0, n);
                    os.flush();
                }
                from.close(); // one side ended: so does the relayed connection
                to.close();
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
