package org.gridfusion.console;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open server-sent-event streams and what goes out on them. Each client has a sender thread and
 * a bounded queue of its own, so the Kafka consumer that publishes never waits on a slow browser; a
 * client that falls more than {@link #QUEUE} events behind is closed (its page reconnects and
 * reloads what it shows). A comment every 15 s keeps idle streams open through proxies and finds
 * clients that went away.
 */
final class EventHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  static final int QUEUE = 2_000;

  /** The events of the contract's {@code /v1/alerts/stream}; the page's stream carries them all. */
  static final String ALERT = "alert";

  static final String GRID = "grid";
  static final String WORKORDER = "workorder";

  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-sse-heartbeat");
            t.setDaemon(true);
            return t;
          });

  EventHub() {
    heartbeat.scheduleAtFixedRate(
        () -> channels.forEach(c -> c.send(null, "keep-alive")), 15, 15, TimeUnit.SECONDS);
  }

  private final class Channel {
    final SseClient client;
    final Set<String> events;

    /**
     * Set once the request is over (the browser went away, the server stops): from then on the
     * client is not touched at all, since Jetty recycles a finished request and Javalin, resuming a
     * recycled request, fails on every access.
     */
    volatile boolean over;

    final ThreadPoolExecutor sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "console-sse-sender");
              t.setDaemon(true);
              return t;
            });

    Channel(SseClient client, Set<String> events) {
      this.client = client;
      this.events = events;
    }

    /** Queues one event ({@code event} null: a comment); closes a client that is too far behind. */
    void send(String event, String data) {
      if (over || (event != null && !events.contains(event))) return;
      try {
        sender.execute(
            () -> {
              if (over || client.terminated()) return;
              if (event == null) client.sendComment(data);
              else client.sendEvent(event, data);
            });
      } catch (RejectedExecutionException e) {
        LOG.info("Closing an event stream {} events behind", QUEUE);
        close();
      }
    }

    void close() {
      channels.remove(this);
      sender.shutdownNow();
      if (!over) client.close();
    }

    void over() {
      over = true;
      channels.remove(this);
      sender.shutdownNow();
    }
  }

  /** Serves {@code client} the given events until it goes away. */
  void open(SseClient client, Set<String> events) {
    Channel c = new Channel(client, events);
    client.keepAlive();
    try {
      client
          .ctx()
          .req()
          .getAsyncContext()
          .addListener(
              new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent e) {
                  c.over();
                }

                @Override
                public void onTimeout(AsyncEvent e) {
                  c.over();
                }

                @Override
                public void onError(AsyncEvent e) {
                  c.over();
                }

                @Override
                public void onStartAsync(AsyncEvent e) {}
              });
    } catch (IllegalStateException e) {
      // not asynchronous (cannot happen under Javalin's event-stream handler): nothing to watch
    }
    client.onClose(
        () -> {
          channels.remove(c);
          c.sender.shutdownNow();
        });
    channels.add(c);
    c.send(null, "connected");
  }

  /** Sends one event, JSON text, to every stream that carries its kind. */
  void publish(String event, String json) {
    channels.forEach(c -> c.send(event, json));
  }

  int clients() {
    return channels.size();
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    channels.forEach(Channel::close);
  }
}
