/*
 * cli/sweep.c: `gatehouse sweep`, for cron: batches until every table is clean.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "store/sweep.h"

#define BATCH 1000
#define MAX_TABLES 16

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int
gh_cli_sweep(gh_app_t *app, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fputs("usage: gatehouse sweep\n", stderr);
        return 2;
    }
    gh_sweep_count_t total[MAX_TABLES] = { 0 };
    double longest = 0;
    long removed = 0;
    gh_err_t err = { 0 };
    do {
        gh_sweep_count_t counts[MAX_TABLES];
        size_t n = MAX_TABLES;
        double t0 = now_ms();
        if (gh_store_sweep_batch(app->db, BATCH, counts, &n, &err) != GH_OK) {
            fprintf(stderr, "gatehouse sweep: %s\n", err.description);
            return 1;
        }
        double took = (now_ms() - t0) / (double)(n ? n : 1);
        longest = took > longest ? took : longest;
        removed = 0;
        for (size_t i = 0; i < n; i++) {
            total[i].table = counts[i].table;
            total[i].removed += counts[i].removed;
            removed += counts[i].removed;
        }
    } while (removed > 0);
    for (size_t i = 0; i < MAX_TABLES && total[i].table != NULL; i++)
        printf("%-16s %ld expired rows removed\n", total[i].table, total[i].removed);
    printf("longest batch statement: %.1f ms (average per table of the slowest round)\n",
           longest);
    return 0;
}
