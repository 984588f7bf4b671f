/*
 * base/clock.h: the monotonic clock in milliseconds, for durations and deadlines
 * (never for timestamps: it does not follow the wall clock).
 */
#ifndef GH_BASE_CLOCK_H
#define GH_BASE_CLOCK_H

/* Milliseconds since an arbitrary point (CLOCK_MONOTONIC), with a fraction. */
double gh_clock_ms(void);

#endif
