package org.gridfusion.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets some processes listen on, read from Linux's {@code /proc/net/tcp} and {@code
 * tcp6} and matched to the processes' open files (socket inodes), so a test can check what
 * GridFusion opened to the network — this JVM and its child processes (the Elasticsearch node).
 */
public final class ListeningSockets {
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
  private static final String LISTEN = "0A";

  /**
   * One listening socket.
   *
   * @param address the local address as text ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0},
   *     {@code ::})
   */
  public record Listener(String address, int port, long pid) {
    public boolean loopback() {
      return address.equals("127.0.0.1") || address.equals("::1") || address.startsWith("127.");
    }

    @Override
    public String toString() {
      return (address.contains(":") ? "[" + address + "]" : address)
          + ":"
          + port
          + " (pid "
          + pid
          + ")";
    }
  }

  private ListeningSockets() {}

  /** Every socket that {@code pids} listen on. */
  public static List<Listener> of(Set<Long> pids) throws IOException {
    List<Listener> out = new ArrayList<>();
    for (long pid : pids) {
      Set<String> inodes = socketInodes(pid);
      if (inodes.isEmpty()) continue;
      read(Path.of("/proc", Long.toString(pid), "net", "tcp"), false, inodes, pid, out);
      read(Path.of("/proc", Long.toString(pid), "net", "tcp6"), true, inodes, pid, out);
    }
    return out;
  }

  /** This JVM and every process it started, directly or not. */
  public static Set<Long> thisJvmAndItsChildren() {
    Set<Long> pids = new HashSet<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) inodes.add(m.group(1));
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while we listed them
        }
      }
    } catch (IOException gone) {
      // the process ended
    }
    return inodes;
  }

  private static void read(Path table, boolean v6, Set<String> inodes, long pid, List<Listener> out)
      throws IOException {
    if (!Files.exists(table)) return;
    List<String> lines = Files.readAllLines(table);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) continue;
      String[] local = f[1].split(":");
      out.add(
          new Listener(v6 ? ipv6(local[0]) : ipv4(local[0]), Integer.parseInt(local[1], 16), pid));
    }
  }

  /** {@code 0100007F} (little-endian) is 127.0.0.1. */
  private static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 24) & 0xff);
  }

  /** Four little-endian 32-bit words; IPv4-mapped addresses are shown as IPv4. */
  private static String ipv6(String hex) {
    if (hex.equals("00000000000000000000000000000000")) return "::";
    if (hex.equals("00000000000000000000000001000000")) return "::1";
    if (hex.startsWith("0000000000000000FFFF0000")) return ipv4(hex.substring(24));
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < 4; w++) {
      String word = hex.substring(w * 8, w * 8 + 8);
      String be =
          word.substring(6, 8) + word.substring(4, 6) + word.substring(2, 4) + word.substring(0, 2);
      if (w > 0) sb.append(':');
      sb.append(be, 0, 4).append(':').append(be, 4, 8);
    }
    return sb.toString().toLowerCase();
  }
}
