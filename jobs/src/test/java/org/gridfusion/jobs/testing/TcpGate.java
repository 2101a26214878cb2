package org.gridfusion.jobs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port in front of a real server that first behaves like a hung one — it takes connections and
 * requests and never answers, the harder outage for a client (a refused connection fails at once; a
 * hung server holds each request until the client's socket timeout) — until {@link #open} closes
 * what it holds and forwards from then on. A test points a client at {@link #url} and decides when
 * the server is "back" without stopping a server other tests share. {@link #givenUp} counts held
 * connections the client closed itself (its request timed out).
 */
public final class TcpGate implements AutoCloseable {
  private final URI target;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private final AtomicInteger givenUp = new AtomicInteger();
  private final ServerSocket server;
  private volatile boolean forwarding;

  /** A gate in front of {@code targetUrl} (http://host:port), holding every request. */
  public TcpGate(String targetUrl) {
    this.target = URI.create(targetUrl);
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "tcp-gate-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  /** The gate's URL, same scheme as the target. */
  public String url() {
    return target.getScheme() + "://127.0.0.1:" + server.getLocalPort();
  }

  /** Held connections their client closed (a request given up) while the gate held them. */
  public int givenUp() {
    return givenUp.get();
  }

  /** From now on, connections reach the target; the held ones are closed (clients retry). */
  public synchronized void open() {
    forwarding = true;
    held.forEach(TcpGate::close);
    held.clear();
  }

  private void accept() {
    while (true) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (hold(in)) continue;
      try {
        Socket out = new Socket(target.getHost(), target.getPort());
        synchronized (this) {
          sockets.add(in);
          sockets.add(out);
        }
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        close(in);
      }
    }
  }

  /** Reads and drops what the client sends, never answers; counts the client closing first. */
  private synchronized boolean hold(Socket in) {
    if (forwarding) return false;
    held.add(in);
    Thread drain =
        new Thread(
            () -> {
              try {
                InputStream i = in.getInputStream();
                byte[] buf = new byte[8192];
                while (i.read(buf) >= 0) {
                  // dropped
                }
                if (!forwarding) givenUp.incrementAndGet();
              } catch (IOException ignored) {
                // closed by open() or reset
              }
            },
            "tcp-gate-hold");
    drain.setDaemon(true);
    drain.start();
    return true;
  }

  private static void pump(Socket from, Socket to) throws IOException {
    InputStream i = from.getInputStream();
    OutputStream o = to.getOutputStream();
    Thread t =
        new Thread(
            () -> {
              try {
                i.transferTo(o);
              } catch (IOException ignored) {
                // the other side went away
              } finally {
                close(from);
                close(to);
              }
            },
            "tcp-gate-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public synchronized void close() throws IOException {
    server.close();
    sockets.forEach(TcpGate::close);
    held.forEach(TcpGate::close);
  }
}
