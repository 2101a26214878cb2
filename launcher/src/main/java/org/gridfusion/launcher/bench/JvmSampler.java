package org.gridfusion.launcher.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * CPU and heap of this JVM — which holds Kafka, the MQTT broker, the Flink MiniCluster, the
 * connectors and the benchmark itself; Elasticsearch runs as a child process and shows only in the
 * system CPU.
 *
 * <p>Heap is taken as used <em>after</em> the latest garbage collection (from the collectors'
 * notifications), the figure that reveals a leak; the plain used heap only shows where the young
 * generation happens to be.
 */
final class JvmSampler implements AutoCloseable {
  /** One reading. CPU loads are shares of the whole machine (0..1), -1 when unknown. */
  record Sample(
      long at,
      double processCpu,
      double systemCpu,
      double loadAverage,
      long heapUsed,
      long heapAfterGc) {}

  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final List<Registration> registrations = new ArrayList<>();
  private volatile long heapAfterGc = -1;

  private record Registration(NotificationEmitter emitter, NotificationListener listener) {}

  JvmSampler() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) continue;
      NotificationListener listener =
          (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) return;
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            heapAfterGc = heapOf(info.getGcInfo().getMemoryUsageAfterGc());
          };
      emitter.addNotificationListener(listener, null, null);
      registrations.add(new Registration(emitter, listener));
    }
  }

  private long heapOf(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream()
        .filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }

  Sample sample() {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new Sample(
        System.currentTimeMillis(),
        os.getProcessCpuLoad(),
        os.getCpuLoad(),
        os.getSystemLoadAverage(),
        used,
        heapAfterGc < 0 ? used : heapAfterGc);
  }

  @Override
  public void close() {
    for (Registration r : registrations) {
      try {
        r.emitter().removeNotificationListener(r.listener());
      } catch (Exception ignored) {
        // already gone
      }
    }
  }
}
