/*
 * crosswalk batch: the jobs of a batch file and the conversions they plan.
 * batch_config.c reads the file (YAML) and expands each job's inputs and
 * output names; cmd_batch.c runs the conversions.
 */
#ifndef CW_CLI_BATCH_H
#define CW_CLI_BATCH_H

#include <stddef.h>

#include "cli.h"

/* One output of a job: a name template and the format (NULL: by extension). */
typedef struct batch_output {
	char *tmpl;
	char *format;
} batch_output;

typedef struct batch_job {
	char *name;
	char **inputs; /* globs, directories or files, as written (resolved) */
	size_t ninputs;
	batch_output *outs;
	size_t nouts;
	/* the arguments of `crosswalk convert` the job's settings make (-f,
	 * --filter, -O, --limit, --crosswalk, --strict, --allow-loss...) */
	char **args;
	size_t nargs;
} batch_job;

/* One conversion: one input file of a job, with its output files. */
typedef struct batch_task {
	size_t job;
	char *input;
	char **outputs; /* nouts of the job, templates expanded */
} batch_task;

typedef struct batch_plan {
	batch_job *jobs;
	size_t njobs;
	batch_task *tasks;
	size_t ntasks;
} batch_plan;

/*
 * Reads the batch file at path and plans its conversions: every input
 * pattern expanded (in order, sorted within a pattern), every output name
 * made. Errors are printed ("file:line:col: ..."); returns 0 or -1.
 * Relative paths in the file are relative to the file's directory.
 */
int batch_plan_load(batch_plan *plan, const char *path, const cw_registry *reg);
void batch_plan_free(batch_plan *plan);

#endif
