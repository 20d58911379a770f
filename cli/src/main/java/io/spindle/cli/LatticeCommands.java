package io.spindle.cli;

import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.Json;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Link;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The lattice's control commands: {@code get}, {@code start}, {@code stop}, {@code link}, {@code config}, {@code events}. */
final class LatticeCommands {
    private LatticeCommands() {
    }

    /** Shared plumbing: connect, run, print a table or JSON. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        LatticeOptions lattice;

        @Option(names = "--json", description = "Print JSON for machines instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        abstract void run(LatticeClient client, PrintWriter out);

        @Override
        public Integer call() {
            try (Transport t = lattice.connect("spindle-cli")) {
                PrintWriter out = spec.commandLine().getOut();
                run(lattice.client(t), out);
                out.flush();
            }
            return 0;
        }

        void printJson(PrintWriter out, Object value) {
            out.println(new String(Json.write(value), StandardCharsets.UTF_8));
        }

        /** The host to act on: the one given, or the single host of the lattice, or the least loaded one. */
        String pickHost(LatticeClient client, String given) {
            if (given != null) return given;
            List<HostInfo> hosts = client.getHosts();
            if (hosts.isEmpty()) throw new io.spindle.lattice.CtlException("no host answered in lattice '" + lattice.lattice
                    + "' at " + lattice.nats + " (start one with: spindle host)");
            String best = null;
            int least = Integer.MAX_VALUE;
            for (HostInfo h : hosts) {
                int n = client.inventory(h.id()).components().size();
                if (n < least) {
                    least = n;
                    best = h.id();
                }
            }
            return best;
        }

        /** The host running component id, found through the inventories. */
        String hostOf(LatticeClient client, String componentId, boolean provider) {
            for (HostInfo h : client.getHosts()) {
                HostInventory inv = client.inventory(h.id());
                boolean has = provider ? inv.providers().stream().anyMatch(p -> p.id().equals(componentId))
                        : inv.components().stream().anyMatch(c -> c.id().equals(componentId));
                if (has) return h.id();
            }
            throw new io.spindle.lattice.CtlException((provider ? "provider" : "component") + " '" + componentId
                    + "' runs on no host of lattice '" + lattice.lattice + "'");
        }
    }

    static Map<String, String> pairs(List<String> kv, CommandSpec spec, String option) {
        Map<String, String> m = new LinkedHashMap<>();
        if (kv == null) return m;
        for (String s : kv) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new ParameterException(spec.commandLine(), option + " '" + s + "' is not key=value");
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Shows hosts, a host's inventory, links or a named config.",
            subcommands = {Hosts.class, Inventory.class, Links.class, GetConfig.class})
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing what to get (hosts, inventory, links, config)");
        }
    }

    @Command(name = "hosts", mixinStandardHelpOptions = true, description = "Every host of the lattice that answers.")
    static final class Hosts extends Base {
        @Override
        void run(LatticeClient client, PrintWriter out) {
            List<HostInfo> hosts = client.getHosts();
            if (json) {
                printJson(out, hosts);
                return;
            }
            Tables t = new Tables("HOST ID", "NAME", "LABELS", "VERSION", "UPTIME");
            for (HostInfo h : hosts) t.row(h.id(), h.friendlyName(), labels(h.labels()), h.version(), h.uptimeSeconds() + "s");
            out.print(t);
            if (hosts.isEmpty()) out.println("(no host answered in lattice '" + lattice.lattice + "' within " + lattice.timeout.toMillis() + " ms)");
        }
    }

    static String labels(Map<String, String> labels) {
        List<String> l = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> l.add(k + "=" + v));
        return l.isEmpty() ? "-" : String.join(",", l);
    }

    @Command(name = "inventory", mixinStandardHelpOptions = true, description = "What runs on a host.")
    static final class Inventory extends Base {
        @Parameters(paramLabel = "HOST", description = "Host id.")
        String host;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            HostInventory inv = client.inventory(host);
            if (json) {
                printJson(out, inv);
                return;
            }
            out.println("host " + inv.hostId() + " (" + inv.friendlyName() + ") " + labels(inv.labels()));
            Tables t = new Tables("KIND", "ID", "REF", "STATE", "INSTANCES");
            for (HostInventory.ComponentDescription c : inv.components())
                t.row("component", c.id(), c.imageRef(), c.state(), c.maxInstances());
            for (HostInventory.ProviderDescription p : inv.providers()) t.row("provider", p.id(), p.imageRef(), p.state(), 1);
            out.print(t);
        }
    }

    @Command(name = "links", mixinStandardHelpOptions = true, description = "Every link of the lattice.")
    static class Links extends Base {
        @Override
        void run(LatticeClient client, PrintWriter out) {
            List<Link> links = client.getLinks();
            if (json) {
                printJson(out, links);
                return;
            }
            Tables t = new Tables("SOURCE", "TARGET", "INTERFACES", "NAME", "SOURCE CONFIG", "TARGET CONFIG");
            for (Link l : links)
                t.row(l.sourceId(), l.target(), String.join(",", l.qualifiedInterfaces()), l.name(),
                        String.join(",", l.sourceConfig()), String.join(",", l.targetConfig()));
            out.print(t);
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, description = "A named config.")
    static class GetConfig extends Base {
        @Parameters(paramLabel = "NAME", description = "Config name.")
        String name;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            Map<String, String> c = client.getConfig(name);
            if (json) {
                printJson(out, c);
                return;
            }
            Tables t = new Tables("KEY", "VALUE");
            new TreeMap<>(c).forEach(t::row);
            out.print(t);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Starts a component or a provider on a host.", subcommands = {StartComponent.class, StartProvider.class})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing what to start (component, provider)");
        }
    }

    @Command(name = "component", mixinStandardHelpOptions = true,
            description = "Starts a Wasm component: REF is a file path (its bytes are stored in the lattice) or sha256-<hex> of a stored one.")
    static final class StartComponent extends Base {
        @Parameters(paramLabel = "REF", description = "File path or sha256-<hex>.")
        String ref;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "Component id ([A-Za-z0-9_-]{1,64}).")
        String id;

        @Option(names = "--host", paramLabel = "HOST", description = "Host id (default: the host running the fewest components).")
        String host;

        @Option(names = "--config", paramLabel = "NAME", description = "Named config to give it (repeatable).")
        List<String> config;

        @Option(names = "--annotation", paramLabel = "K=V", description = "Annotation (repeatable).")
        List<String> annotations;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            String r = ref;
            java.nio.file.Path p = java.nio.file.Path.of(ref);
            if (!ref.startsWith("sha256-") && java.nio.file.Files.exists(p)) r = p.toAbsolutePath().toString();
            String h = pickHost(client, host);
            HostInventory.ComponentDescription c = client.startComponent(h, r, id, pairs(annotations, spec, "--annotation"), config);
            if (json) printJson(out, c);
            else out.println("started component " + c.id() + " (" + c.digest() + ") on host " + h);
        }
    }

    @Command(name = "provider", mixinStandardHelpOptions = true, description = "Starts a built-in provider (spindle:messaging, spindle:keyvalue, spindle:store, spindle:source-shdr, spindle:source-mqtt, spindle:source-opcua, spindle:source-simulator).")
    static final class StartProvider extends Base {
        @Parameters(paramLabel = "REF", description = "Provider, e.g. spindle:messaging.")
        String ref;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "Provider id.")
        String id;

        @Option(names = "--host", paramLabel = "HOST", description = "Host id (default: the host running the fewest components).")
        String host;

        @Option(names = "--config", paramLabel = "NAME", description = "Named config to give it (repeatable).")
        List<String> config;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            String h = pickHost(client, host);
            HostInventory.ProviderDescription p = client.startProvider(h, ref, id, config);
            if (json) printJson(out, p);
            else out.println("started provider " + p.id() + " (" + p.imageRef() + ") on host " + h);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Stops a component, a provider or a host.", subcommands = {StopComponent.class, StopProvider.class, StopHost.class})
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing what to stop (component, provider, host)");
        }
    }

    @Command(name = "component", mixinStandardHelpOptions = true, description = "Stops a component (its state is checkpointed first).")
    static final class StopComponent extends Base {
        @Parameters(paramLabel = "ID", description = "Component id.")
        String id;

        @Option(names = "--host", paramLabel = "HOST", description = "Host id (default: the host that runs it).")
        String host;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            String h = host != null ? host : hostOf(client, id, false);
            client.stopComponent(h, id);
            if (json) printJson(out, Map.of("stopped", id, "host_id", h));
            else out.println("stopped component " + id + " on host " + h);
        }
    }

    @Command(name = "provider", mixinStandardHelpOptions = true, description = "Stops a provider.")
    static final class StopProvider extends Base {
        @Parameters(paramLabel = "ID", description = "Provider id.")
        String id;

        @Option(names = "--host", paramLabel = "HOST", description = "Host id (default: the host that runs it).")
        String host;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            String h = host != null ? host : hostOf(client, id, true);
            client.stopProvider(h, id);
            if (json) printJson(out, Map.of("stopped", id, "host_id", h));
            else out.println("stopped provider " + id + " on host " + h);
        }
    }

    @Command(name = "host", mixinStandardHelpOptions = true, description = "Asks a host to drain and stop.")
    static final class StopHost extends Base {
        @Parameters(paramLabel = "HOST", description = "Host id.")
        String id;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            client.stopHost(id, null);
            if (json) printJson(out, Map.of("stopping", id));
            else out.println("host " + id + " is stopping");
        }
    }

    @Command(name = "link", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Puts, deletes or lists links.", subcommands = {LinkPut.class, LinkDel.class, LinkGet.class})
    static final class LinkCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing link operation (put, del, get)");
        }
    }

    /** NAMESPACE:PACKAGE/IFACE[,IFACE...], e.g. spindle:messaging/publisher. */
    static final class Wit {
        final String namespace, pkg;
        final List<String> interfaces;

        Wit(String s, CommandSpec spec) {
            int colon = s.indexOf(':'), slash = s.indexOf('/');
            if (colon <= 0 || slash <= colon + 1 || slash == s.length() - 1)
                throw new ParameterException(spec.commandLine(), "interface '" + s + "' is not NAMESPACE:PACKAGE/INTERFACE[,INTERFACE]");
            namespace = s.substring(0, colon);
            pkg = s.substring(colon + 1, slash);
            interfaces = List.of(s.substring(slash + 1).split(","));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Every link of the lattice (same as spindle get links).")
    static final class LinkGet extends Links {
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "A named config (same as spindle get config NAME).")
    static final class ConfigGet extends GetConfig {
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Links SOURCE to TARGET for an interface, e.g. spindle link put lttb nats-out spindle:messaging/publisher.")
    static final class LinkPut extends Base {
        @Parameters(index = "0", paramLabel = "SOURCE", description = "Component or provider that calls.")
        String source;

        @Parameters(index = "1", paramLabel = "TARGET", description = "Component or provider that is called.")
        String target;

        @Parameters(index = "2", paramLabel = "INTERFACE", description = "NAMESPACE:PACKAGE/INTERFACE[,INTERFACE].")
        String iface;

        @Option(names = "--name", defaultValue = "default", description = "Link name (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--source-config", paramLabel = "NAME", description = "Named config for the source (repeatable).")
        List<String> sourceConfig;

        @Option(names = "--target-config", paramLabel = "NAME", description = "Named config for the target (repeatable).")
        List<String> targetConfig;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            Wit w = new Wit(iface, spec);
            Link l = client.putLink(new Link(source, target, name, w.namespace, w.pkg, w.interfaces, sourceConfig, targetConfig));
            if (json) printJson(out, l);
            else out.println("link put: " + l.describe());
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Deletes the link of SOURCE for NAMESPACE:PACKAGE.")
    static final class LinkDel extends Base {
        @Parameters(index = "0", paramLabel = "SOURCE", description = "Component or provider that calls.")
        String source;

        @Parameters(index = "1", paramLabel = "NAMESPACE:PACKAGE", description = "e.g. spindle:messaging.")
        String pkg;

        @Option(names = "--name", defaultValue = "default", description = "Link name (default ${DEFAULT-VALUE}).")
        String name;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            int colon = pkg.indexOf(':');
            if (colon <= 0 || colon == pkg.length() - 1)
                throw new ParameterException(spec.commandLine(), "'" + pkg + "' is not NAMESPACE:PACKAGE");
            String p = pkg.contains("/") ? pkg.substring(colon + 1, pkg.indexOf('/')) : pkg.substring(colon + 1);
            client.deleteLink(source, name, pkg.substring(0, colon), p);
            if (json) printJson(out, Map.of("deleted", source + "." + name + "." + pkg));
            else out.println("link deleted: " + source + " " + pkg + (name.equals("default") ? "" : " as " + name));
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Puts, gets or deletes named config.", subcommands = {ConfigPut.class, ConfigGet.class, ConfigDel.class})
    static final class ConfigCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing config operation (put, get, del)");
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Stores named config: spindle config put NAME k=v [k=v ...].")
    static final class ConfigPut extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "Config name.")
        String name;

        @Parameters(index = "1..*", paramLabel = "K=V", description = "Values.")
        List<String> values;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            Map<String, String> v = pairs(values, spec, "value");
            client.putConfig(name, v);
            if (json) printJson(out, Map.of("put", name, "keys", v.size()));
            else out.println("config " + name + " put (" + v.size() + " keys)");
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Deletes named config.")
    static final class ConfigDel extends Base {
        @Parameters(paramLabel = "NAME", description = "Config name.")
        String name;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            client.deleteConfig(name);
            if (json) printJson(out, Map.of("deleted", name));
            else out.println("config " + name + " deleted");
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Follows the lattice's events (CloudEvents) until interrupted, or for --count events.")
    static final class Events extends Base {
        @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
        Integer count;

        @Option(names = "--type", paramLabel = "EVENT", description = "Only events of this type, e.g. host_heartbeat (repeatable).")
        List<String> types;

        @Override
        void run(LatticeClient client, PrintWriter out) {
            CountDownLatch done = new CountDownLatch(count == null ? 1 : count);
            try (Subscription s = client.events(e -> {
                if (types != null && !types.contains(e.event())) return;
                synchronized (out) {
                    if (json) out.println(new String(Json.write(e), StandardCharsets.UTF_8));
                    else out.println(e.time() + "  " + e.event() + "  " + e.source() + "  " + brief(e));
                    out.flush();
                }
                if (count != null) done.countDown();
            })) {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String brief(CloudEvent e) {
            String d = e.data() == null ? "" : e.data().toString();
            return d.length() > 160 ? d.substring(0, 160) + "..." : d;
        }
    }
}
