package org.gridfusion.jobs.workorders;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * {@link WorkOrderLoop} on Flink's keyed two-input harness, keyed as the job keys it: alerts by
 * their order, commands by the order they name.
 */
final class WorkOrderHarness {
  private WorkOrderHarness() {}

  static KeyedTwoInputStreamOperatorTestHarness<String, Alert, WorkOrderCommand, WorkOrder> open()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        new WorkOrderLoop(),
        WorkOrderLoop::orderKey,
        c -> WorkOrderLoop.orderKey(c.getOrderId()),
        Types.STRING);
  }
}
