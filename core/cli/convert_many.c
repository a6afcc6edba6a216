/*
 * crosswalk convert IN... --output-dir DIR -t FORMAT...: the files each
 * input becomes, the checks that keep one run from writing a file twice or
 * over an input, and one conversion per input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

int cli_exit_worst(int a, int b)
{
	return a > b ? a : b;
}

size_t cli_known_extension(const cw_registry *reg, const char *name, size_t len, unsigned caps)
{
	size_t best = 0;
	for (size_t i = 0; i < cw_registry_plugin_count(reg); i++) {
		const cw_plugin *p = cw_registry_plugin(reg, i, NULL);
		for (const cw_format *const *f = p->formats; f && *f; f++) {
			if (caps && !((*f)->caps & caps))
				continue;
			for (const char *const *e = (*f)->extensions; e && *e; e++) {
				size_t n = strlen(*e) + 1;
				if (n < len && n > best && name[len - n] == '.' &&
				    strcasecmp(name + len - n + 1, *e) == 0)
					best = n;
			}
		}
	}
	return best;
}

void cli_stem(const cw_registry *reg, const char *path, cw_buf *out)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	size_t ext = cli_known_extension(reg, base, len, 0);
	if (!ext) {
		const char *dot = strrchr(base, '.');
		if (dot && dot != base)
			ext = len - (size_t)(dot - base);
	}
	cw_buf_append(out, base, len - ext);
}

typedef struct planned {
	char *path; /* owned */
	const cw_format *fmt;
	size_t input;
} planned;

static int by_path(const void *a, const void *b)
{
	return strcmp(((const planned *)a)->path, ((const planned *)b)->path);
}

typedef struct file_id {
	dev_t dev;
	ino_t ino;
	size_t input;
} file_id;

static int by_id(const void *a, const void *b)
{
	const file_id *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/*
 * Refuses a plan in which two outputs are one file (two inputs with one
 * stem, a format named twice) or an output is an input (by device and
 * inode, so through any path or link), and a --report that is either.
 * Sorted, so that a run of thousands of files is not quadratic.
 */
static int check_plan(const cli_many *m, const planned *plan, size_t n)
{
	planned *sorted = malloc(n * sizeof *sorted);
	file_id *ids = malloc(m->ninputs * sizeof *ids);
	size_t nids = 0;
	int rc = -1;
	if (!sorted || !ids) {
		cli_error("out of memory");
		goto out;
	}
	memcpy(sorted, plan, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_path);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(sorted[i - 1].path, sorted[i].path) != 0)
			continue;
		const planned *a = &sorted[i - 1], *b = &sorted[i];
		if (a->input > b->input) {
			const planned *t = a;
			a = b;
			b = t;
		}
		if (a->input == b->input)
			cli_error(
			    "'%s' would be written twice from '%s' (formats %s and %s): name each "
			    "format once (nothing was written)",
			    a->path, m->inputs[a->input], a->fmt->name, b->fmt->name);
		else
			cli_error(
			    "inputs '%s' and '%s' would both be written to '%s': convert them into "
			    "different directories (nothing was written)",
			    m->inputs[a->input], m->inputs[b->input], a->path);
		goto out;
	}
	for (size_t i = 0; i < m->ninputs; i++) {
		struct stat st;
		if (stat(m->inputs[i], &st) == 0)
			ids[nids++] = (file_id){st.st_dev, st.st_ino, i};
	}
	qsort(ids, nids, sizeof *ids, by_id);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(plan[i].path, &st) != 0)
			continue; /* not there yet: not an input */
		file_id key = {st.st_dev, st.st_ino, 0};
		const file_id *hit = bsearch(&key, ids, nids, sizeof *ids, by_id);
		if (hit) {
			cli_error(
			    "input '%s' would be overwritten by the %s output of '%s': write into "
			    "another directory (nothing was written)",
			    m->inputs[hit->input], plan[i].fmt->name, m->inputs[plan[i].input]);
			goto out;
		}
	}
	if (m->report) {
		for (size_t i = 0; i < m->ninputs + n; i++) {
			const char *other =
			    i < m->ninputs ? m->inputs[i] : plan[i - m->ninputs].path;
			if (cli_same_file(m->report, 1, other, i < m->ninputs ? 0 : 1)) {
				cli_error("--report '%s' and %s '%s' are the same file: name "
				          "different files "
				          "(nothing was written)",
				          m->report, i < m->ninputs ? "the input" : "output",
				          other);
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(sorted);
	free(ids);
	return rc;
}

/* DIR exists as a directory, or is made (one level, like mkdir). */
static int make_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return CLI_EXIT_OK;
		cli_error("--output-dir %s: not a directory", dir);
		return CLI_EXIT_USAGE;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("--output-dir %s: cannot create: %s", dir, strerror(errno));
		return CLI_EXIT_OUTPUT;
	}
	return CLI_EXIT_OK;
}

int cli_convert_many(convert *c, const cw_registry *reg, cli_common *common, const cli_many *m)
{
	const cw_format **fmts = calloc(m->nformats, sizeof *fmts);
	size_t n = m->ninputs * m->nformats;
	planned *plan = calloc(n ? n : 1, sizeof *plan);
	cli_output_plan *outs = calloc(m->nformats, sizeof *outs);
	int status = CLI_EXIT_USAGE;
	if (!fmts || !plan || !outs) {
		cli_error("out of memory");
		status = CLI_EXIT_SOFTWARE;
		goto out;
	}
	for (size_t j = 0; j < m->nformats; j++)
		if (cli_resolve_format(reg, m->formats[j], CW_CAN_WRITE, &fmts[j]))
			goto out;
	if (m->report && m->ninputs > 1) {
		cli_error("--report with several inputs: one report belongs to one input; convert "
		          "them one at a time to have a report of each");
		goto out;
	}
	size_t dirlen = strlen(m->dir);
	if (dirlen == 0) {
		cli_error("--output-dir needs a directory, not ''");
		goto out;
	}
	while (dirlen > 1 && m->dir[dirlen - 1] == '/')
		dirlen--;
	for (size_t i = 0; i < m->ninputs; i++) {
		if (strcmp(m->inputs[i], "-") == 0) {
			cli_error(
			    "with --output-dir every input is a file: standard input has no name "
			    "to name its outputs after");
			goto out;
		}
		cw_buf stem = CW_BUF_INIT;
		cli_stem(reg, m->inputs[i], &stem);
		for (size_t j = 0; j < m->nformats; j++) {
			/* the format's first extension, or its name when it declares none */
			const char *ext = fmts[j]->extensions && fmts[j]->extensions[0]
			                      ? fmts[j]->extensions[0]
			                      : fmts[j]->name;
			cw_buf path = CW_BUF_INIT;
			cw_buf_printf(&path, "%.*s%s%s.%s", (int)dirlen, m->dir,
			              m->dir[dirlen - 1] == '/' ? "" : "/", cw_buf_str(&stem), ext);
			plan[i * m->nformats + j] = (planned){path.data, fmts[j], i};
		}
		cw_buf_free(&stem);
	}
	if (check_plan(m, plan, n))
		goto out;
	if ((status = make_dir(m->dir)) != CLI_EXIT_OK)
		goto out;
	/* every output is in m->dir: swept once, not once per file */
	int swept = common->swept;
	if (!m->check) {
		cw_ostream_remove_stale(m->dir);
		common->swept = 1;
	}
	size_t failed = 0;
	for (size_t i = 0; i < m->ninputs; i++) {
		for (size_t j = 0; j < m->nformats; j++)
			outs[j] = (cli_output_plan){plan[i * m->nformats + j].path, fmts[j]};
		cli_convert_set_files(c, m->inputs[i], outs, m->nformats);
		int st = cli_convert_file(c, reg, common);
		if (st != CLI_EXIT_OK && st != CLI_EXIT_PARTIAL)
			failed++;
		status = cli_exit_worst(status, st);
	}
	common->swept = swept;
	if (failed && m->ninputs > 1)
		cli_error("%zu of %zu inputs were not converted%s", failed, m->ninputs,
		          failed < m->ninputs ? "; the others were" : "");
out:
	cli_convert_set_files(c, NULL, NULL, 0);
	for (size_t i = 0; plan && i < n; i++)
		free(plan[i].path);
	free(plan);
	free(fmts);
	free(outs);
	return status;
}
