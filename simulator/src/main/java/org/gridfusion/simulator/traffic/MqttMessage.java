package org.gridfusion.simulator.traffic;

/**
 * A sensor reading as published: topic {@code gf/sensors/{type}/{deviceId}} and JSON payload
 * (§2.2).
 */
public record MqttMessage(String topic, String payload) {}
