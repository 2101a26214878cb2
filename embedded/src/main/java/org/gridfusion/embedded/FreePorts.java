package org.gridfusion.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds free TCP ports on the loopback interface.
 *
 * <p>A port found here is only free at the moment it is returned: another process may take it
 * before the caller binds. That race is accepted for a local development and test stack.
 */
public final class FreePorts {
  private FreePorts() {}

  /** One currently free loopback port. */
  public static int find() {
    return find(1)[0];
  }

  /**
   * {@code count} distinct free ports. The sockets are held open together so the operating system
   * cannot hand out the same ephemeral port twice.
   */
  public static int[] find(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on the loopback interface", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Nothing was bound to it but the probe; the port is released either way.
        }
      }
    }
  }

  /** {@code port} itself, or a free port when it is 0. */
  public static int orFree(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port == 0 ? find() : port;
  }
}
