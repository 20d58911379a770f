package io.spindle.sources.opcua;

import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/** A monitored item on a node's Value that knows its {@link MonitoredNode}, so a notification finds it without lookup. */
final class NodeItem extends OpcUaMonitoredItem {
    final MonitoredNode node;

    NodeItem(NodeId nodeId, MonitoredNode node) {
        super(new ReadValueId(nodeId, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
        this.node = node;
    }
}
