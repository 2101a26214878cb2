package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.gridfusion.common.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts GridFusion on this machine; Ctrl-C stops it.",
      "An embedded Kafka (KRaft) and Elasticsearch node for every endpoint not configured, the fusion job on a local Flink MiniCluster, the MQTT endpoint (or, with mqtt.url, the bridge), HTTP camera ingest and department inbox, and the web console with its API. Prints 'endpoint <name> <url>' lines, then 'ready'.",
      "Ctrl-C (or SIGTERM) stops the connectors first, then the fusion job with a savepoint, which the next start resumes from."
    })
final class UpCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    Config config = configOptions.load(); // every problem reported before anything starts
    System.out.println("Starting GridFusion (Kafka, MQTT, Elasticsearch, Flink, connectors)...");
    RunningStack running = RunningStack.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping GridFusion...");
                  running.close();
                  Logging.shutdown();
                  stopped.countDown();
                },
                "gridfusion-shutdown"));
    running.printEndpoints(System.out);
    System.out.println("ready");
    System.out.flush();
    // Until Ctrl-C, or until the job cannot run: then stop everything with the reason rather
    // than keep acknowledging input that nothing processes.
    CompletableFuture<Void> interrupted = new CompletableFuture<>();
    Thread waiter = new Thread(() -> awaitQuietly(stopped, interrupted), "gridfusion-wait");
    waiter.setDaemon(true);
    waiter.start();
    CompletableFuture.anyOf(interrupted, running.fatal()).join();
    if (running.fatal().isDone()) {
      System.err.println("GridFusion stopped: " + running.fatal().join());
      System.err.flush();
      return 1;
    }
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch, CompletableFuture<Void> done) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    done.complete(null);
  }
}
