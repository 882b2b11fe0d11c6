package dev.weft.api;

/** Sums doubles. */
public final class DoubleAccumulator extends Accumulator<Double, Double> {
    /** Transient: a task copy starts from zero, never from the driver's total. */
    private transient double sum;

    public DoubleAccumulator(long id, String name) {
        super(id, name);
    }

    public void add(double v) {
        add(Double.valueOf(v));
    }

    @Override
    protected void addLocal(Double v) {
        sum += v;
    }

    @Override
    protected Double currentValue() {
        return sum;
    }

    @Override
    protected Object snapshot() {
        return sum;
    }

    @Override
    protected void mergeValue(Object taskValue) {
        sum += (Double) taskValue;
    }

    @Override
    protected void reset() {
        sum = 0;
    }
}
