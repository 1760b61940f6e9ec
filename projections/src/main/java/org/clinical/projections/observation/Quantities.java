package org.clinical.projections.observation;

import org.clinical.events.common.Coding;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ObservationValue.Component;
import org.clinical.events.observation.ObservationValue.Components;
import org.clinical.events.observation.ObservationValue.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantity values an observation adds to the statistics: its own quantity under its code, or for a panel
 * the quantity of each component under the component's code (a systolic pressure counts as 8480-6). Components
 * of components are not counted.
 */
record Quantities(List<Point> points) {

    record Point(String system, String code, String unit, BigDecimal value) {
    }

    static Quantities of(Coding code, ObservationValue value) {
        List<Point> points = new ArrayList<>();
        if (value instanceof Quantity q) {
            points.add(new Point(code.system(), code.code(), q.unit(), q.value()));
        } else if (value instanceof Components panel) {
            for (Component component : panel.components()) {
                if (component.value() instanceof Quantity q) {
                    points.add(new Point(component.code().system(), component.code().code(), q.unit(), q.value()));
                }
            }
        }
        return new Quantities(points);
    }
}
