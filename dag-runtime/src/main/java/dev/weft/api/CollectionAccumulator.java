package dev.weft.api;

import java.util.ArrayList;
import java.util.List;

/** Collects elements; {@link #value()} returns a copy. Order across tasks is unspecified. */
public final class CollectionAccumulator<T> extends Accumulator<T, List<T>> {
    /** Transient: a task copy starts from zero, never from the driver's total. */
    private transient ArrayList<T> items = new ArrayList<>();

    public CollectionAccumulator(long id, String name) {
        super(id, name);
    }

    @Override
    protected void addLocal(T v) {
        items.add(v);
    }

    @Override
    protected List<T> currentValue() {
        return List.copyOf(items);
    }

    @Override
    protected Object snapshot() {
        return new ArrayList<>(items);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void mergeValue(Object taskValue) {
        items.addAll((List<T>) taskValue);
    }

    @Override
    protected void reset() {
        items = new ArrayList<>();
    }
}
