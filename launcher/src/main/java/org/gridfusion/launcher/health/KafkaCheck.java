package org.gridfusion.launcher.health;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.kafka.KafkaConnection;

/** Kafka's health: the cluster answers a metadata request within 3 s, with its login. */
public final class KafkaCheck implements Supplier<ComponentHealth>, AutoCloseable {
  private final KafkaConnection kafka;
  private final Admin admin;

  public KafkaCheck(KafkaConnection kafka) {
    this.kafka = kafka;
    Properties p = kafka.properties("gridfusion-health");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    // A broker that is down is asked again at the next probe; no need to hammer it meanwhile.
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    this.admin = Admin.create(p);
  }

  @Override
  public ComponentHealth get() {
    try {
      int brokers = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
      return ComponentHealth.up(kafka.bootstrap() + ", " + brokers + " broker(s)");
    } catch (ExecutionException e) {
      return ComponentHealth.down(kafka.bootstrap() + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComponentHealth.unknown("interrupted");
    } catch (Exception e) {
      return ComponentHealth.down(kafka.bootstrap() + " does not answer (" + e + ")");
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(3));
  }
}
