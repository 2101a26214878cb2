package org.gridfusion.simulator.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Keeps everything it is sent, acknowledging at once. */
final class RecordingTrafficSink implements TrafficSink {
  final List<MqttMessage> sensors = new ArrayList<>();
  final List<List<String>> cameraBatches = new ArrayList<>();
  final List<List<String>> departmentFiles = new ArrayList<>();
  private final SinkCounters counters = new SinkCounters();
  int flushes;
  boolean closed;

  @Override
  public synchronized void sendSensor(String topic, String payloadJson) {
    sensors.add(new MqttMessage(topic, payloadJson));
    counters.sent(TrafficSource.SENSOR, 1);
    counters.acknowledged(TrafficSource.SENSOR, 1);
    notifyAll();
  }

  @Override
  public synchronized void sendCameraBatch(List<String> eventJsons) {
    cameraBatches.add(eventJsons);
    counters.sent(TrafficSource.CAMERA, eventJsons.size());
    counters.acknowledged(TrafficSource.CAMERA, eventJsons.size());
    notifyAll();
  }

  @Override
  public synchronized void sendDepartment(List<String> jsonLines) {
    departmentFiles.add(jsonLines);
    counters.sent(TrafficSource.DEPARTMENT, jsonLines.size());
    counters.acknowledged(TrafficSource.DEPARTMENT, jsonLines.size());
  }

  @Override
  public synchronized void flush() {
    flushes++;
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized List<String> cameraEvents() {
    return cameraBatches.stream().flatMap(List::stream).toList();
  }

  /** Waits until a sensor reading has been sent (woken by the send, not by a clock). */
  synchronized void awaitSensorReading(Duration timeout) throws InterruptedException {
    await(() -> !sensors.isEmpty(), timeout, "a sensor reading");
  }

  /** Waits until a camera event has been sent. */
  synchronized void awaitCameraEvent(Duration timeout) throws InterruptedException {
    await(() -> !cameraBatches.isEmpty(), timeout, "a camera event");
  }

  private void await(BooleanSupplier done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new AssertionError("no " + what + " sent within " + timeout);
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
