package io.spindle.operator;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest's spec. Components are kept whole (unknown fields preserved, not pruned) because the manifest
 * validator, not the API server, is the judge: it reports every problem with its document path.
 */
public class OamApplicationSpec {
    @PreserveUnknownFields
    public List<Map<String, Object>> components = new ArrayList<>();
}
