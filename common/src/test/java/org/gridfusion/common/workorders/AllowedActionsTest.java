package org.gridfusion.common.workorders;

import static org.assertj.core.api.Assertions.assertThat;

import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderStatus;
import org.junit.jupiter.api.Test;

class AllowedActionsTest {
  @Test
  void everyStatusHasItsActionsAndAClosedOrderNone() {
    for (WorkOrderStatus s : WorkOrderStatus.values())
      assertThat(AllowedActions.allowed(s)).isNotNull();
    assertThat(AllowedActions.allowed(WorkOrderStatus.REPORTED))
        .containsExactly(WorkOrderAction.GRAB, WorkOrderAction.DISPATCH);
    assertThat(AllowedActions.allowed(WorkOrderStatus.HANDLED))
        .containsExactly(WorkOrderAction.RATE, WorkOrderAction.CLOSE);
    assertThat(AllowedActions.allowed(WorkOrderStatus.CLOSED)).isEmpty();
    assertThat(AllowedActions.isAllowed(WorkOrderStatus.DISPATCHED, WorkOrderAction.RATE))
        .isFalse();
  }
}
