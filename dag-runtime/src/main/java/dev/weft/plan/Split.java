package dev.weft.plan;

import java.io.Serializable;

/**
 * One partition of a dataset, as shipped inside the task that computes it. Splits of narrow children wrap
 * or reuse their parents' splits, so a task carries exactly the data it needs (for example only its slice
 * of a parallelized collection).
 */
public interface Split extends Serializable {
    int index();
}
