package io.spindle.sources.opcua;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.core.typetree.DataTypeTree;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Creates the subscription and one monitored item per node on a connected client: resolves namespace URIs, names each
 * series (browse name, else node id), finds enumeration-typed nodes, and reports every node the server refuses while
 * subscribing the rest.
 */
final class NodeSubscriber {
    private static final System.Logger LOG = System.getLogger("spindle.sources.opcua");
    // ns=0 i=1..15 are the built-in scalar types (Boolean .. ByteString): never enumerations, no type lookup needed
    private static final int LAST_BUILTIN_SCALAR = 15;

    private NodeSubscriber() {
    }

    /**
     * Subscribes the nodes; throws when the server cannot be asked at all (the caller retries), returns the subscription
     * (possibly with fewer items than nodes) otherwise.
     */
    static OpcUaSubscription subscribe(OpcUaClient client, OpcUaSourceConfig config, List<MonitoredNode> nodes,
            OpcUaSubscription.SubscriptionListener listener, Object deliveryLock, String sourceName) throws UaException {
        List<MonitoredNode> live = new ArrayList<>();
        List<NodeId> ids = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<MonitoredNode> refused = new ArrayList<>();
        for (MonitoredNode node : nodes) {
            // nsu= ids resolve against the namespace array read at session start: indexes may differ after a restart
            Optional<NodeId> id = node.spec.nodeId().toNodeId(client.getNamespaceTable());
            if (id.isPresent()) {
                live.add(node);
                ids.add(id.get());
            } else {
                refused.add(node);
                refusals.add("Bad_NodeIdUnknown (namespace '" + node.spec.nodeId().getNamespaceUri()
                        + "' is not in the server's namespace array)");
            }
        }
        List<DataValue> attributes = readNamesAndTypes(client, ids);
        Map<MonitoredNode, Map<Long, String>> enums = enumerations(client, live, attributes);
        synchronized (deliveryLock) {
            for (int i = 0; i < refused.size(); i++) refused.get(i).refused(refusals.get(i));
            name(config, nodes, live, attributes, enums);
        }

        OpcUaSubscription subscription = new OpcUaSubscription(client);
        // this setter (unlike the constructor taking the interval) also fits the keep-alive count to it: keep-alives
        // and the subscription watchdog at ~10 s rather than every 10 publishing intervals
        subscription.setPublishingInterval(config.publishingMs());
        subscription.setSubscriptionListener(listener);
        subscription.create();
        List<NodeItem> items = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            NodeItem item = new NodeItem(ids.get(i), live.get(i));
            item.setSamplingInterval(config.samplingMs());
            item.setQueueSize(uint(config.queueSize()));
            item.setDiscardOldest(true);
            subscription.addMonitoredItem(item);
            items.add(item);
        }
        List<MonitoredItemServiceOperationResult> results = subscription.createMonitoredItems();
        StatusCode serviceFailure = results.stream().map(MonitoredItemServiceOperationResult::serviceResult)
                .filter(StatusCode::isBad).findFirst().orElse(null);
        if (serviceFailure != null) {
            // the call itself failed (timeout, session gone): nothing is known about the nodes, so try again later
            deleteQuietly(subscription);
            throw new UaException(serviceFailure, "CreateMonitoredItems failed: " + Variants.statusText(serviceFailure));
        }
        int ok = 0;
        synchronized (deliveryLock) {
            for (MonitoredItemServiceOperationResult r : results) {
                StatusCode status = r.operationResult().orElse(new StatusCode(StatusCodes.Bad_UnexpectedError));
                if (status.isGood()) {
                    ok++;
                } else {
                    subscription.removeMonitoredItem(r.monitoredItem());
                    ((NodeItem) r.monitoredItem()).node.refused(Variants.statusText(status));
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "{0}: subscribed {1} of {2} nodes (publishing {3} ms, sampling {4} ms, queue {5})",
                sourceName, ok, nodes.size(), subscription.getRevisedPublishingInterval().orElse(config.publishingMs()),
                items.isEmpty() ? config.samplingMs() : items.get(0).getRevisedSamplingInterval().orElse(config.samplingMs()),
                items.isEmpty() ? config.queueSize() : items.get(0).getRevisedQueueSize().map(Number::intValue)
                        .orElse(config.queueSize()));
        return subscription;
    }

    /** Deletes a subscription on the server if it can, and forgets it locally either way. */
    static void deleteQuietly(OpcUaSubscription subscription) {
        try {
            subscription.delete();
        } catch (UaException | RuntimeException e) {
            subscription.reset();
        }
    }

    // BrowseName and DataType of every node, in one Read: [2i] browse name, [2i+1] data type
    private static List<DataValue> readNamesAndTypes(OpcUaClient client, List<NodeId> ids) throws UaException {
        if (ids.isEmpty()) return List.of();
        List<ReadValueId> reads = new ArrayList<>(ids.size() * 2);
        for (NodeId id : ids) {
            reads.add(new ReadValueId(id, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(id, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
        }
        DataValue[] results = client.read(0.0, TimestampsToReturn.Neither, reads).getResults();
        if (results == null || results.length != reads.size()) {
            throw new UaException(StatusCodes.Bad_UnexpectedError, "Read returned "
                    + (results == null ? 0 : results.length) + " results for " + reads.size() + " attributes");
        }
        return List.of(results);
    }

    private static Map<MonitoredNode, Map<Long, String>> enumerations(OpcUaClient client, List<MonitoredNode> live,
            List<DataValue> attributes) {
        Map<MonitoredNode, Map<Long, String>> enums = new HashMap<>();
        DataTypeTree tree = null;
        for (int i = 0; i < live.size(); i++) {
            DataValue dt = attributes.get(2 * i + 1);
            if (!(valueOf(dt) instanceof NodeId type) || isBuiltinScalar(type)) {
                continue;
            }
            try {
                if (tree == null) tree = client.getDataTypeTree();
                if (!tree.isEnumType(type)) continue;
                Map<Long, String> names = new HashMap<>();
                if (tree.getDataTypeDefinition(type) instanceof EnumDefinition def && def.getFields() != null) {
                    for (EnumField f : def.getFields()) names.put(f.getValue(), f.getName());
                }
                enums.put(live.get(i), names);
            } catch (UaException | RuntimeException e) {
                // unknown type: the node's integers stay samples, which loses nothing
                LOG.log(System.Logger.Level.DEBUG, "data type {0} of node {1}: {2}", type, live.get(i).spec.text(), e);
            }
        }
        return enums;
    }

    // the value of a good read result, else null
    private static Object valueOf(DataValue dv) {
        if (dv == null || dv.value() == null || (dv.statusCode() != null && !dv.statusCode().isGood())) return null;
        return dv.value().value();
    }

    private static boolean isBuiltinScalar(NodeId type) {
        return type.getNamespaceIndex().intValue() == 0 && type.getIdentifier() instanceof Number n
                && n.longValue() >= 1 && n.longValue() <= LAST_BUILTIN_SCALAR;
    }

    // explicit names first, then browse names in config order; a taken or missing browse name falls back to the node id
    private static void name(OpcUaSourceConfig config, List<MonitoredNode> nodes, List<MonitoredNode> live,
            List<DataValue> attributes, Map<MonitoredNode, Map<Long, String>> enums) {
        Set<String> taken = new HashSet<>();
        for (MonitoredNode n : nodes) {
            if (n.spec.series() != null) taken.add(OpcUaSourceConfig.seriesName(config.device(), n.spec.series()));
            else if (n.series() != null) taken.add(n.series());
        }
        for (int i = 0; i < live.size(); i++) {
            MonitoredNode node = live.get(i);
            String series = node.series();
            if (series == null && node.spec.series() != null) {
                series = OpcUaSourceConfig.seriesName(config.device(), node.spec.series());
            }
            if (series == null) {
                DataValue bn = attributes.get(2 * i);
                String browse = valueOf(bn) instanceof QualifiedName q ? q.name() : null;
                String candidate = browse == null || browse.isBlank() ? null : config.device() + "/" + browse;
                series = candidate != null && taken.add(candidate) ? candidate : config.device() + "/" + node.spec.text();
                taken.add(series);
            }
            node.bind(series, enums.get(node));
        }
    }
}
