/*
 * store/sweep.h: deleting expired rows in bounded batches (DESIGN invariant 8).
 */
#ifndef GH_STORE_SWEEP_H
#define GH_STORE_SWEEP_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "store/db.h"

#define GH_SWEEP_LOCK 0x6768737765L

typedef struct {
    const char *table;
    long        removed;
    double      ms;        /* how long the statement took */
} gh_sweep_count_t;

/* One batch (at most batch rows) per table. counts gets one entry per swept table
 * (at most *ncounts entries; *ncounts is set to the number written). */
gh_status_t gh_store_sweep_batch(gh_db_t *db, long batch, gh_sweep_count_t *counts,
                                 size_t *ncounts, gh_err_t *err);

/* Claims the sweep of this interval for this process: *claimed is true for at most
 * one caller per interval seconds across all processes and hosts. */
gh_status_t gh_store_sweep_claim(gh_db_t *db, long interval, bool *claimed, gh_err_t *err);

/* The number of tables gh_store_sweep_batch visits. */
size_t gh_store_sweep_tables(void);

#endif
