package org.gridfusion.jobs.records;

import org.apache.flink.util.OutputTag;

/**
 * The one side output of the jobs: dead letters as contract §3 JSON, bound for {@code
 * gf.deadletter}.
 */
public final class DeadLetters {
  public static final OutputTag<String> TAG = new OutputTag<>("dead-letters") {};

  private DeadLetters() {}
}
