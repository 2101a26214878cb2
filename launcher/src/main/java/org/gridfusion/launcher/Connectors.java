package org.gridfusion.launcher;

import java.util.concurrent.CountDownLatch;

/** Runs one connector in the foreground until Ctrl-C, closing it cleanly. */
final class Connectors {
  private Connectors() {}

  static int runUntilStopped(AutoCloseable connector, String what) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    connector.close();
                  } catch (Exception e) {
                    System.err.println("error stopping " + what + ": " + e);
                  }
                  Logging.shutdown();
                  stopped.countDown();
                }));
    System.out.println(what + " running; Ctrl-C to stop");
    stopped.await();
    return 0;
  }
}
