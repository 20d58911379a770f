package io.spindle.sources.opcua;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The test server's address space: a "Machine" folder of variables that tests add and write. Writes are pushed to the
 * monitored items at once (as event-driven PLC servers do), so a test knows exactly which values the client must see.
 */
final class TestNamespace extends ManagedNamespaceWithLifecycle {
    static final String URI = "urn:spindle:test";

    private final Map<NodeId, Set<DataItem>> items = new ConcurrentHashMap<>();
    private final Map<NodeId, UaVariableNode> variables = new ConcurrentHashMap<>();
    private UaFolderNode folder;

    TestNamespace(OpcUaServer server) {
        super(server, URI);
        getLifecycleManager().addStartupTask(() -> {
            folder = new UaFolderNode(getNodeContext(), newNodeId("Machine"), newQualifiedName("Machine"),
                    LocalizedText.english("Machine"));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes,
                    NodeIds.ObjectsFolder.expanded(), false));
        });
    }

    /** Adds variable {@code Machine/<name>} (browse name {@code name}) of the data type with an initial value. */
    NodeId addVariable(String name, NodeId dataType, DataValue initial) {
        NodeId id = newNodeId("Machine/" + name);
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(id)
                .setAccessLevel(AccessLevel.READ_WRITE)
                .setUserAccessLevel(AccessLevel.READ_WRITE)
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDataType(dataType)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .build();
        node.setValue(initial);
        getNodeManager().addNode(node);
        folder.addOrganizes(node);
        variables.put(id, node);
        return id;
    }

    /** Sets a variable's value and hands it to every monitored item on it. */
    void write(NodeId id, DataValue value) {
        UaVariableNode node = variables.get(id);
        if (node == null) throw new IllegalArgumentException("no variable " + id);
        synchronized (node) {
            node.setValue(value);
            for (DataItem item : items.getOrDefault(id, Set.of())) push(item, value);
        }
    }

    private static void push(DataItem item, DataValue value) {
        if (item.isSamplingEnabled()) item.setValue(DataValue.derivedValue(value, item.getTimestampsToReturn()));
    }

    @Override
    public void onDataItemsCreated(List<DataItem> created) {
        for (DataItem item : created) {
            if (!AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) continue;
            NodeId id = item.getReadValueId().getNodeId();
            UaVariableNode node = variables.get(id);
            if (node == null) continue;
            synchronized (node) {
                items.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(item);
                push(item, node.getValue()); // the initial value, as a sampling server would report it
            }
        }
    }

    @Override
    public void onDataItemsModified(List<DataItem> modified) {
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> deleted) {
        for (DataItem item : deleted) {
            Set<DataItem> set = items.get(item.getReadValueId().getNodeId());
            if (set != null) set.remove(item);
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> changed) {
    }
}
