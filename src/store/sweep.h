/*
 * store/sweep.h: deleting expired rows in bounded batches (DESIGN invariant 8).
 */
#ifndef GH_STORE_SWEEP_H
#define GH_STORE_SWEEP_H

#include <stdio.h>

#include "base/err.h"
#include "store/db.h"

#define GH_SWEEP_LOCK 0x6768737765L

typedef struct {
    const char *table;
    long        removed;
} gh_sweep_count_t;

/* One batch (at most batch rows) per table. counts gets one entry per swept table
 * (at most *ncounts entries; *ncounts is set to the number written). */
gh_status_t gh_store_sweep_batch(gh_db_t *db, long batch, gh_sweep_count_t *counts,
                                 size_t *ncounts, gh_err_t *err);

/* The number of tables gh_store_sweep_batch visits. */
size_t gh_store_sweep_tables(void);

#endif
