package dev.weft.api;

/** Sums longs. */
public final class LongAccumulator extends Accumulator<Long, Long> {
    /** Transient: a task copy starts from zero, never from the driver's total. */
    private transient long sum;

    public LongAccumulator(long id, String name) {
        super(id, name);
    }

    public void add(long v) {
        add(Long.valueOf(v));
    }

    @Override
    protected void addLocal(Long v) {
        sum += v;
    }

    @Override
    protected Long currentValue() {
        return sum;
    }

    @Override
    protected Object snapshot() {
        return sum;
    }

    @Override
    protected void mergeValue(Object taskValue) {
        sum += (Long) taskValue;
    }

    @Override
    protected void reset() {
        sum = 0;
    }
}
