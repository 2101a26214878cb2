package org.gridfusion.launcher.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on. */
public record Machine(
    int cores, double memoryGib, String cpu, String os, String jvm, long maxHeapMib) {

  public static Machine current() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024) * 10) / 10.0,
        cpuModel(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  /** {@code 2 cores, 23.4 GiB, <cpu>}: the README table's machine column. */
  public String shortDescription() {
    return String.format(
        Locale.ROOT, "%d cores, %.0f GiB%s", cores, memoryGib, cpu.isEmpty() ? "" : ", " + cpu);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
          .findFirst()
          .orElse("");
    } catch (Exception e) {
      return ""; // not Linux
    }
  }
}
