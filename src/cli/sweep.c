/*
 * cli/sweep.c: `gatehouse sweep`, for cron: batches until every table is clean.
 *
 * Each statement deletes at most BATCH rows, so none holds its locks for long however
 * large the backlog; the longest one is reported.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "store/db.h"
#include "store/sweep.h"

#define BATCH 1000
#define MAX_TABLES 16

static int
sweep_all(gh_app_t *app)
{
    gh_sweep_count_t total[MAX_TABLES] = { 0 };
    double longest = 0;
    const char *longest_table = "-";
    long removed;
    gh_err_t err = { 0 };
    do {
        gh_sweep_count_t counts[MAX_TABLES];
        size_t n = MAX_TABLES;
        if (gh_store_sweep_batch(app->db, BATCH, counts, &n, &err) != GH_OK)
            return gh_cli_fail("sweep", &err);
        removed = 0;
        for (size_t i = 0; i < n; i++) {
            total[i].table = counts[i].table;
            total[i].removed += counts[i].removed;
            removed += counts[i].removed;
            if (counts[i].ms > longest) {
                longest = counts[i].ms;
                longest_table = counts[i].table;
            }
        }
    } while (removed > 0);
    for (size_t i = 0; i < MAX_TABLES && total[i].table != NULL; i++)
        printf("%-21s %ld expired rows removed\n", total[i].table, total[i].removed);
    printf("longest statement: %.1f ms (%s, batches of %d)\n", longest, longest_table, BATCH);
    return 0;
}

int
gh_cli_sweep(gh_app_t *app, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fputs("usage: gatehouse sweep\n", stderr);
        return 2;
    }
    gh_err_t err = { 0 };
    bool locked = false;
    for (int tries = 0; tries < 60 && !locked; tries++) {
        if (gh_db_try_lock(app->db, GH_SWEEP_LOCK, &locked, &err) != GH_OK)
            return gh_cli_fail("sweep", &err);
        if (!locked)
            sleep(1);   /* a worker or another sweep holds it: batches are short */
    }
    if (!locked) {
        fputs("gatehouse sweep: another sweep has held the lock for a minute\n", stderr);
        return 1;
    }
    int rc = sweep_all(app);
    gh_db_unlock(app->db, GH_SWEEP_LOCK);
    return rc;
}
