/*
 * crosswalk batch: reading the batch file (YAML) into jobs, and planning
 * the conversions (inputs expanded, output names made). See batch.h and
 * the user guide's "Batch conversion".
 */
#define _DEFAULT_SOURCE /* DT_DIR in struct dirent */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "batch.h"

/* --- a small YAML tree ---------------------------------------------------- */

enum { Y_SCALAR, Y_SEQ, Y_MAP };
enum { Y_MAX_DEPTH = 16, Y_MAX_EVENTS = 1000000, Y_MAX_SCALAR = 64 * 1024 };

typedef struct ynode {
	int kind;
	char *text;           /* Y_SCALAR */
	struct ynode **items; /* Y_SEQ: the items; Y_MAP: key, value, key, value... */
	size_t n;
	unsigned long line, col;
} ynode;

typedef struct yreader {
	yaml_parser_t p;
	yaml_event_t ev;
	int have;
	size_t events;
	const char *file;
} yreader;

static void ynode_free(ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->text);
	free(n);
}

static void yerror(const char *file, unsigned long line, unsigned long col, const char *what,
                   const char *arg)
{
	cli_locate(file, line, col);
	cli_error("%s%s%s%s", what, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	cli_locate(NULL, 0, 0);
}

static int ynext(yreader *r)
{
	if (r->have)
		yaml_event_delete(&r->ev);
	r->have = 0;
	if (++r->events > Y_MAX_EVENTS) {
		yerror(r->file, r->p.mark.line + 1, r->p.mark.column + 1, "batch file too large",
		       NULL);
		return -1;
	}
	if (!yaml_parser_parse(&r->p, &r->ev)) {
		yerror(r->file, r->p.problem_mark.line + 1, r->p.problem_mark.column + 1,
		       r->p.problem ? r->p.problem : "YAML error", NULL);
		return -1;
	}
	r->have = 1;
	return 0;
}

static ynode *ynew(yreader *r, int kind)
{
	ynode *n = calloc(1, sizeof *n);
	if (!n)
		cli_oom();
	n->kind = kind;
	n->line = r->ev.start_mark.line + 1;
	n->col = r->ev.start_mark.column + 1;
	return n;
}

static void yadd(ynode *parent, ynode *child)
{
	ynode **items = realloc(parent->items, (parent->n + 1) * sizeof *items);
	if (!items)
		cli_oom();
	parent->items = items;
	parent->items[parent->n++] = child;
}

/* The node that starts at the current event (already read). */
static ynode *yparse_node(yreader *r, int depth)
{
	if (depth > Y_MAX_DEPTH) {
		yerror(r->file, r->ev.start_mark.line + 1, r->ev.start_mark.column + 1,
		       "nested too deeply", NULL);
		return NULL;
	}
	switch (r->ev.type) {
	case YAML_SCALAR_EVENT: {
		if (r->ev.data.scalar.length > Y_MAX_SCALAR) {
			yerror(r->file, r->ev.start_mark.line + 1, r->ev.start_mark.column + 1,
			       "value too long", NULL);
			return NULL;
		}
		ynode *n = ynew(r, Y_SCALAR);
		n->text = strndup((const char *)r->ev.data.scalar.value, r->ev.data.scalar.length);
		if (!n->text || strlen(n->text) != r->ev.data.scalar.length) {
			yerror(r->file, n->line, n->col, "a value holds a NUL byte", NULL);
			ynode_free(n);
			return NULL;
		}
		return n;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = r->ev.type == YAML_MAPPING_START_EVENT;
		ynode *n = ynew(r, map ? Y_MAP : Y_SEQ);
		yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
		for (size_t i = 0;; i++) {
			if (ynext(r)) {
				ynode_free(n);
				return NULL;
			}
			if (r->ev.type == end)
				return n;
			if (map && i % 2 == 0 && r->ev.type != YAML_SCALAR_EVENT) {
				yerror(r->file, r->ev.start_mark.line + 1,
				       r->ev.start_mark.column + 1, "a key must be a plain name",
				       NULL);
				ynode_free(n);
				return NULL;
			}
			ynode *c = yparse_node(r, depth + 1);
			if (!c) {
				ynode_free(n);
				return NULL;
			}
			yadd(n, c);
		}
	}
	case YAML_ALIAS_EVENT:
		yerror(r->file, r->ev.start_mark.line + 1, r->ev.start_mark.column + 1,
		       "YAML aliases are not allowed in a batch file", NULL);
		return NULL;
	default:
		yerror(r->file, r->ev.start_mark.line + 1, r->ev.start_mark.column + 1,
		       "unexpected YAML event", NULL);
		return NULL;
	}
}

/* The whole document's root node, or NULL (message printed). */
static ynode *yload(const char *file, FILE *f)
{
	yreader r = {.file = file};
	if (!yaml_parser_initialize(&r.p)) {
		cli_error("out of memory");
		return NULL;
	}
	yaml_parser_set_input_file(&r.p, f);
	ynode *root = NULL;
	/* stream start, document start, the root */
	if (ynext(&r) == 0 && ynext(&r) == 0) {
		if (r.ev.type == YAML_STREAM_END_EVENT)
			yerror(file, 1, 1, "the batch file is empty", NULL);
		else if (ynext(&r) == 0)
			root = yparse_node(&r, 0);
	}
	if (root && (ynext(&r) || r.ev.type != YAML_DOCUMENT_END_EVENT || ynext(&r) ||
	             r.ev.type != YAML_STREAM_END_EVENT)) {
		if (r.have && r.ev.type == YAML_DOCUMENT_START_EVENT)
			yerror(file, r.ev.start_mark.line + 1, r.ev.start_mark.column + 1,
			       "a batch file holds one YAML document", NULL);
		ynode_free(root);
		root = NULL;
	}
	if (r.have)
		yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.p);
	return root;
}

/* --- the jobs ------------------------------------------------------------- */

static int batch_expand(cw_buf *out, const char *tmpl, const char *input, const char *base,
                        const char *stem, const cw_format *fmt, cw_buf *why);

/*
 * Room for element n of an array that only ever grows one at a time from 0:
 * its capacity is the power of two at or above its length, so growing it
 * is amortised O(1) (a batch may plan 10^5 files).
 */
static void *grow(void *arr, size_t n, size_t size)
{
	if (n & (n - 1))
		return arr; /* n is not a power of two: there is room */
	void *p = realloc(arr, (n ? 2 * n : 1) * size);
	if (!p)
		cli_oom();
	return p;
}

static void add_arg(batch_job *j, const char *a)
{
	j->args = grow(j->args, j->nargs, sizeof *j->args);
	j->args[j->nargs++] = cli_strdup(a);
}

static void add_arg2(batch_job *j, const char *opt, const char *a, const char *eq)
{
	add_arg(j, opt);
	if (!eq) {
		add_arg(j, a);
		return;
	}
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s=%s", a, eq);
	add_arg(j, cw_buf_str(&b));
	cw_buf_free(&b);
}

/* A path of the batch file: relative ones are relative to its directory. */
static char *resolve(const char *base, const char *path)
{
	if (path[0] == '/' || !base[0])
		return cli_strdup(path);
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s", base, path);
	char *p = cli_strdup(cw_buf_str(&b));
	cw_buf_free(&b);
	return p;
}

typedef struct loader {
	const char *file;
	const char *base; /* the batch file's directory, "" for the current one */
	const cw_registry *reg;
} loader;

static int need(const loader *ld, const ynode *n, int kind, const char *what)
{
	if (n->kind == kind)
		return 0;
	yerror(ld->file, n->line, n->col, what, NULL);
	return -1;
}

/* A scalar or a list of scalars: calls fn for each. */
static int each_string(const loader *ld, const ynode *n, const char *what,
                       int (*fn)(const loader *, batch_job *, const ynode *), batch_job *j)
{
	if (n->kind == Y_SCALAR)
		return fn(ld, j, n);
	if (need(ld, n, Y_SEQ, what))
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		if (need(ld, n->items[i], Y_SCALAR, what) || fn(ld, j, n->items[i]))
			return -1;
	}
	return 0;
}

static int add_input(const loader *ld, batch_job *j, const ynode *n)
{
	j->inputs = grow(j->inputs, j->ninputs, sizeof *j->inputs);
	j->inputs[j->ninputs++] = resolve(ld->base, n->text);
	return 0;
}

/* A filter named in the file is one of the plugins' (its options are checked per file). */
static int add_filter(const loader *ld, batch_job *j, const ynode *n)
{
	size_t len = strcspn(n->text, ":");
	char *name = cli_strdup(n->text);
	name[len] = '\0';
	int known = cw_registry_find_filter(ld->reg, name) != NULL;
	if (!known)
		yerror(ld->file, n->line, n->col, "unknown filter (see 'crosswalk formats'):", name);
	free(name);
	if (!known)
		return -1;
	add_arg2(j, "--filter", n->text, NULL);
	return 0;
}

/* An accepted loss is checked as --allow-loss checks it, with its place in the file. */
static int add_allow_loss(const loader *ld, batch_job *j, const ynode *n)
{
	cw_context *ctx = NULL;
	if (cw_context_new(&ctx))
		cli_oom();
	cli_locate(ld->file, n->line, n->col);
	int rc = cli_accept_loss(ctx, ld->reg, n->text);
	cli_locate(NULL, 0, 0);
	cw_context_free(ctx);
	if (rc)
		return -1;
	add_arg2(j, "--allow-loss", n->text, NULL);
	return 0;
}

/* 1 when some stage of the registry declares the option ([STAGE.]NAME). */
static int option_known(const cw_registry *reg, const char *spec)
{
	const char *dot = strchr(spec, '.');
	return cli_find_option(reg, dot ? spec : NULL, dot ? (size_t)(dot - spec) : 0,
	                       dot ? dot + 1 : spec) != NULL;
}

static int add_crosswalk(const loader *ld, batch_job *j, const ynode *n)
{
	char *p = resolve(ld->base, n->text);
	add_arg2(j, "--crosswalk", p, NULL);
	free(p);
	return 0;
}

static int add_output(const loader *ld, batch_job *j, const ynode *n)
{
	const char *tmpl = NULL, *format = NULL;
	if (n->kind == Y_SCALAR) {
		tmpl = n->text;
	} else {
		if (need(ld, n, Y_MAP, "an output is a name template or {path: ..., format: ...}"))
			return -1;
		for (size_t i = 0; i + 1 < n->n; i += 2) {
			const ynode *k = n->items[i], *v = n->items[i + 1];
			if (need(ld, v, Y_SCALAR, "an output's path and format are strings"))
				return -1;
			if (strcmp(k->text, "path") == 0) {
				tmpl = v->text;
			} else if (strcmp(k->text, "format") == 0) {
				const cw_format *f = cw_registry_find_format(ld->reg, v->text);
				if (!f || !(f->caps & CW_CAN_WRITE)) {
					yerror(ld->file, v->line, v->col,
					       f ? "this format cannot be written:"
					         : "unknown format",
					       v->text);
					return -1;
				}
				format = v->text;
			} else {
				yerror(ld->file, k->line, k->col,
				       "unknown key in an output (path, format):", k->text);
				return -1;
			}
		}
		if (!tmpl) {
			yerror(ld->file, n->line, n->col, "an output needs a path", NULL);
			return -1;
		}
	}
	if (!format && (strstr(tmpl, "{ext}") || strstr(tmpl, "{format}"))) {
		yerror(ld->file, n->line, n->col,
		       "an output name with {ext} or {format} needs its format:", tmpl);
		return -1;
	}
	j->outs = grow(j->outs, j->nouts, sizeof *j->outs);
	j->outs[j->nouts].tmpl = resolve(ld->base, tmpl);
	j->outs[j->nouts].format = format ? cli_strdup(format) : NULL;
	j->nouts++;
	/* a template that cannot be expanded is an error now, not per file */
	cw_buf out = CW_BUF_INIT, why = CW_BUF_INIT;
	const cw_format *f = format ? cw_registry_find_format(ld->reg, format) : NULL;
	int rc = batch_expand(&out, tmpl, "d/x.y", "d", "x", f, &why);
	if (rc)
		yerror(ld->file, n->line, n->col, cw_buf_str(&why), NULL);
	cw_buf_free(&out);
	cw_buf_free(&why);
	return rc;
}

/* A mapping of NAME: VALUE into "OPT NAME=VALUE" arguments. */
static int add_pairs(const loader *ld, batch_job *j, const ynode *n, const char *opt,
                     const char *what)
{
	if (need(ld, n, Y_MAP, what))
		return -1;
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		if (need(ld, n->items[i + 1], Y_SCALAR, what))
			return -1;
		add_arg2(j, opt, n->items[i]->text, n->items[i + 1]->text);
	}
	return 0;
}

static int yes_no(const loader *ld, const ynode *n, int *out)
{
	if (n->kind == Y_SCALAR) {
		if (!strcmp(n->text, "true") || !strcmp(n->text, "yes")) {
			*out = 1;
			return 0;
		}
		if (!strcmp(n->text, "false") || !strcmp(n->text, "no")) {
			*out = 0;
			return 0;
		}
	}
	yerror(ld->file, n->line, n->col, "expected true or false", NULL);
	return -1;
}

static int load_job(const loader *ld, const ynode *n, batch_job *j, size_t index)
{
	if (need(ld, n, Y_MAP, "a job is a mapping (inputs:, outputs:, ...)"))
		return -1;
	const ynode *inputs = NULL, *outputs = NULL;
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const ynode *k = n->items[i], *v = n->items[i + 1];
		const char *key = k->text;
		int rc = 0, flag;
		if (!strcmp(key, "name")) {
			rc = need(ld, v, Y_SCALAR, "a job's name is a string");
			if (!rc)
				j->name = cli_strdup(v->text);
		} else if (!strcmp(key, "inputs")) {
			inputs = v;
		} else if (!strcmp(key, "outputs")) {
			outputs = v;
		} else if (!strcmp(key, "from")) {
			rc = need(ld, v, Y_SCALAR, "from: names a format");
			if (!rc)
				add_arg2(j, "-f", v->text, NULL);
		} else if (!strcmp(key, "filters")) {
			rc = each_string(ld, v, "filters: a filter or a list of filters",
			                 add_filter, j);
		} else if (!strcmp(key, "options")) {
			rc = add_pairs(ld, j, v, "-O", "options: a mapping of [STAGE.]NAME: VALUE");
			for (size_t o = 0; rc == 0 && o + 1 < v->n; o += 2)
				if (!option_known(ld->reg, v->items[o]->text)) {
					yerror(ld->file, v->items[o]->line, v->items[o]->col,
					       "no format or filter declares the option (see "
					       "'crosswalk formats -v'):",
					       v->items[o]->text);
					rc = -1;
				}
		} else if (!strcmp(key, "limits")) {
			rc = add_pairs(ld, j, v, "--limit", "limits: a mapping of NAME: N");
		} else if (!strcmp(key, "crosswalk")) {
			rc = each_string(ld, v, "crosswalk: a file or a list of files",
			                 add_crosswalk, j);
		} else if (!strcmp(key, "strict")) {
			rc = yes_no(ld, v, &flag);
			if (!rc && flag)
				add_arg(j, "--strict");
		} else if (!strcmp(key, "allow-loss")) {
			rc = each_string(ld, v, "allow-loss: a loss or a list of losses",
			                 add_allow_loss, j);
		} else if (!strcmp(key, "allow-loss-from")) {
			rc = need(ld, v, Y_SCALAR, "allow-loss-from: names a report file");
			if (!rc) {
				char *p = resolve(ld->base, v->text);
				add_arg2(j, "--allow-loss-from", p, NULL);
				free(p);
			}
		} else if (!strcmp(key, "input-encoding")) {
			rc = need(ld, v, Y_SCALAR, "input-encoding: names an encoding");
			if (!rc)
				add_arg2(j, "--input-encoding", v->text, NULL);
		} else {
			yerror(
			    ld->file, k->line, k->col,
			    "unknown key in a job (name, inputs, outputs, from, filters, options, "
			    "limits, crosswalk, strict, allow-loss, allow-loss-from, "
			    "input-encoding):",
			    key);
			rc = -1;
		}
		if (rc)
			return -1;
	}
	if (!j->name) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_printf(&b, "job %zu", index + 1);
		j->name = cli_strdup(cw_buf_str(&b));
		cw_buf_free(&b);
	}
	if (!inputs || !outputs) {
		yerror(ld->file, n->line, n->col,
		       inputs ? "a job needs outputs:" : "a job needs inputs:", NULL);
		return -1;
	}
	if (each_string(ld, inputs, "inputs: a file, directory or glob, or a list of them",
	                add_input, j))
		return -1;
	if (outputs->kind != Y_SEQ)
		return add_output(ld, j, outputs);
	for (size_t i = 0; i < outputs->n; i++)
		if (add_output(ld, j, outputs->items[i]))
			return -1;
	if (!j->nouts) {
		yerror(ld->file, outputs->line, outputs->col, "a job needs at least one output",
		       NULL);
		return -1;
	}
	return 0;
}

/* --- templates -------------------------------------------------------------- */

/*
 * Expands a name template for one input: {dir} the input's directory,
 * {reldir} its directory below the directory pattern base that found it
 * ("." otherwise), {name} its file name, {stem} stem (cli_stem), {ext} and
 * {format} of the output's format, {{ a brace. Returns 0, or -1 with why set.
 */
static int batch_expand(cw_buf *out, const char *tmpl, const char *input, const char *base,
                        const char *stem, const cw_format *fmt, cw_buf *why)
{
	const char *slash = strrchr(input, '/');
	const char *name = slash ? slash + 1 : input;
	size_t dirlen = slash ? (size_t)(slash - input) : 0;
	size_t namelen = strlen(name);
	cw_buf_clear(out);
	for (const char *p = tmpl; *p; p++) {
		if (*p == '}' && p[1] == '}') {
			cw_buf_putc(out, '}');
			p++;
			continue;
		}
		if (*p != '{') {
			cw_buf_putc(out, *p);
			continue;
		}
		if (p[1] == '{') {
			cw_buf_putc(out, '{');
			p++;
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end) {
			cw_buf_printf(why, "unclosed '{' in output name '%s' ({{ is a brace)",
			              tmpl);
			return -1;
		}
		size_t n = (size_t)(end - p - 1);
		const char *v = p + 1;
		if (n == 3 && !strncmp(v, "dir", 3)) {
			if (dirlen)
				cw_buf_append(out, input, dirlen);
			else
				cw_buf_putc(out, slash ? '/' : '.');
		} else if (n == 6 && !strncmp(v, "reldir", 6)) {
			size_t bl = base ? strlen(base) : 0;
			if (base && dirlen > bl && !strncmp(input, base, bl) && input[bl] == '/')
				cw_buf_append(out, input + bl + 1, dirlen - bl - 1);
			else
				cw_buf_putc(out, '.');
		} else if (n == 4 && !strncmp(v, "name", 4)) {
			cw_buf_append(out, name, namelen);
		} else if (n == 4 && !strncmp(v, "stem", 4)) {
			cw_buf_append(out, stem, CW_NUL);
		} else if (n == 3 && !strncmp(v, "ext", 3) && fmt) {
			cw_buf_append(
			    out, fmt->extensions && fmt->extensions[0] ? fmt->extensions[0] : "out",
			    CW_NUL);
		} else if (n == 6 && !strncmp(v, "format", 6) && fmt) {
			cw_buf_append(out, fmt->name, CW_NUL);
		} else {
			cw_buf_printf(
			    why,
			    "unknown '{%.*s}' in output name '%s' (known: {dir}, {reldir}, "
			    "{name}, {stem}, {ext}, {format}; {{ is a brace)",
			    (int)n, v, tmpl);
			return -1;
		}
		p = end;
	}
	/* "{dir}/{reldir}/x" with an empty or "." part: no "./" or "//" inside */
	size_t w = 0;
	for (size_t r = 0; r < out->len;) {
		if (w && out->data[w - 1] == '/' && out->data[r] == '/') {
			r++;
		} else if (w && out->data[w - 1] == '/' && out->data[r] == '.' &&
		           (r + 1 == out->len || out->data[r + 1] == '/')) {
			r += r + 1 < out->len ? 2 : 1;
		} else {
			out->data[w++] = out->data[r++];
		}
	}
	if (out->data) {
		out->len = w;
		out->data[w] = '\0';
	}
	return 0;
}

/* --- inputs ----------------------------------------------------------------- */

typedef struct found {
	char **paths, **bases;
	size_t n;
} found;

static void found_add(found *f, const char *path, const char *base)
{
	f->paths = grow(f->paths, f->n, sizeof *f->paths);
	f->bases = grow(f->bases, f->n, sizeof *f->bases);
	f->paths[f->n] = cli_strdup(path);
	f->bases[f->n] = base ? cli_strdup(base) : NULL;
	f->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files below dir with a reader's extension, sorted, hidden ones skipped. */
static int walk(const cw_registry *reg, const char *dir, const char *base, found *f, int depth)
{
	if (depth > 64) {
		cli_error("%s: directories nested too deeply", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		cli_error("%s: cannot read the directory", dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue; /* ., .., hidden files and crosswalk's temporaries */
		names = grow(names, n, sizeof *names);
		names[n++] = cli_strdup(e->d_name);
	}
	closedir(d);
	if (n) /* qsort takes no NULL, even for no element */
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	cw_buf path = CW_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		cw_buf_clear(&path);
		cw_buf_printf(&path, "%s/%s", dir, names[i]);
		struct stat st;
		if (rc == 0 && stat(cw_buf_str(&path), &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk(reg, cw_buf_str(&path), base, f, depth + 1);
			else if (S_ISREG(st.st_mode) &&
			         cli_known_extension(reg, names[i], strlen(names[i]), CW_CAN_READ))
				found_add(f, cw_buf_str(&path), base);
		}
		free(names[i]);
	}
	free(names);
	cw_buf_free(&path);
	return rc;
}

static int expand_input(const cw_registry *reg, const char *pattern, found *f)
{
	struct stat st;
	if (!strpbrk(pattern, "*?[")) {
		if (stat(pattern, &st) != 0) {
			cli_error("%s: no such file or directory (an input of the batch file)",
			          pattern);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t before = f->n;
			/* "dir/" and "dir" are the same base for {reldir} */
			char *base = cli_strdup(pattern);
			for (size_t l = strlen(base); l > 1 && base[l - 1] == '/'; l--)
				base[l - 1] = '\0';
			int rc = walk(reg, base, base, f, 0);
			free(base);
			if (rc == 0 && f->n == before)
				cli_warning("%s: no file of a known input format in this directory",
				            pattern);
			return rc;
		}
		found_add(f, pattern, NULL);
		return 0;
	}
	glob_t g;
	int rc = glob(pattern, 0, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		cli_warning("%s: matches no file", pattern);
		return 0;
	}
	if (rc != 0) {
		cli_error("%s: cannot expand the pattern", pattern);
		return -1;
	}
	for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
		if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(reg, g.gl_pathv[i], g.gl_pathv[i], f, 0);
		else
			found_add(f, g.gl_pathv[i], NULL);
	}
	globfree(&g);
	return rc;
}

/* --- the plan ------------------------------------------------------------------ */

static int plan_job(batch_plan *plan, size_t ji, const cw_registry *reg, cw_keyset *outputs,
                    cw_keyset *inputs)
{
	const batch_job *j = &plan->jobs[ji];
	found f = {0};
	int rc = 0;
	for (size_t i = 0; i < j->ninputs && rc == 0; i++)
		rc = expand_input(reg, j->inputs[i], &f);
	if (rc == 0 && f.n == 0) {
		/* in CI an empty or misnamed articles/ must not pass as "nothing to do" */
		cli_error("job '%s': its inputs are no file of a known input format (nothing was "
		          "converted)",
		          j->name);
		rc = -1;
	}
	cw_keyset *seen = NULL;
	if (cw_keyset_new(&seen, 0))
		cli_oom();
	cw_buf name = CW_BUF_INIT, why = CW_BUF_INIT, key = CW_BUF_INIT, stem = CW_BUF_INIT;
	for (size_t i = 0; i < f.n && rc == 0; i++) {
		cw_buf_clear(&key);
		cw_buf_append(&key, f.paths[i], CW_NUL);
		if (cw_keyset_claim(seen, &key) == 1)
			continue; /* named twice in this job: converted once */
		cw_buf_clear(&key);
		cw_buf_append(&key, f.paths[i], CW_NUL);
		cw_keyset_claim(inputs, &key);
		plan->tasks = grow(plan->tasks, plan->ntasks, sizeof *plan->tasks);
		batch_task *t = &plan->tasks[plan->ntasks++];
		t->job = ji;
		t->input = cli_strdup(f.paths[i]);
		t->outputs = calloc(j->nouts, sizeof *t->outputs);
		if (!t->outputs)
			cli_oom();
		cw_buf_clear(&stem);
		cli_stem(reg, f.paths[i], &stem);
		for (size_t o = 0; o < j->nouts && rc == 0; o++) {
			const cw_format *fmt = j->outs[o].format
			                           ? cw_registry_find_format(reg, j->outs[o].format)
			                           : NULL;
			cw_buf_clear(&why);
			rc = batch_expand(&name, j->outs[o].tmpl, f.paths[i], f.bases[i],
			                  cw_buf_str(&stem), fmt, &why);
			if (rc) {
				cli_error("%s", cw_buf_str(&why));
				break;
			}
			t->outputs[o] = cli_strdup(cw_buf_str(&name));
			cw_buf_clear(&key);
			cw_buf_append(&key, t->outputs[o], CW_NUL);
			if (cw_keyset_claim(outputs, &key) == 1) {
				cli_error("job '%s': the output '%s' (of %s) is written by another "
				          "conversion too: name the outputs apart (nothing was "
				          "converted)",
				          j->name, t->outputs[o], t->input);
				rc = -1;
			}
		}
	}
	cw_keyset_free(seen);
	cw_buf_free(&name);
	cw_buf_free(&why);
	cw_buf_free(&key);
	cw_buf_free(&stem);
	for (size_t i = 0; i < f.n; i++) {
		free(f.paths[i]);
		free(f.bases[i]);
	}
	free(f.paths);
	free(f.bases);
	return rc;
}

int batch_plan_load(batch_plan *plan, const char *path, const cw_registry *reg)
{
	memset(plan, 0, sizeof *plan);
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_error("%s: cannot open the batch file", path);
		return -1;
	}
	ynode *root = yload(path, f);
	fclose(f);
	if (!root)
		return -1;
	char *base = cli_strdup(path);
	char *slash = strrchr(base, '/');
	if (slash)
		slash[slash == base ? 1 : 0] = '\0';
	else
		base[0] = '\0';
	loader ld = {path, base, reg};
	int rc = need(&ld, root, Y_MAP, "a batch file is a mapping with a 'jobs:' list");
	const ynode *jobs = NULL;
	for (size_t i = 0; rc == 0 && i + 1 < root->n; i += 2) {
		if (strcmp(root->items[i]->text, "jobs") == 0) {
			jobs = root->items[i + 1];
		} else {
			yerror(
			    path, root->items[i]->line, root->items[i]->col,
			    "unknown key at the top of a batch file (jobs):", root->items[i]->text);
			rc = -1;
		}
	}
	if (rc == 0 && !jobs) {
		yerror(path, root->line, root->col, "a batch file needs a 'jobs:' list", NULL);
		rc = -1;
	}
	if (rc == 0)
		rc = need(&ld, jobs, Y_SEQ, "jobs: is a list of jobs");
	for (size_t i = 0; rc == 0 && i < jobs->n; i++) {
		plan->jobs = grow(plan->jobs, plan->njobs, sizeof *plan->jobs);
		batch_job *j = &plan->jobs[plan->njobs++];
		memset(j, 0, sizeof *j);
		rc = load_job(&ld, jobs->items[i], j, i);
	}
	ynode_free(root);
	free(base);
	cw_keyset *outputs = NULL, *inputs = NULL;
	if (rc == 0 && (cw_keyset_new(&outputs, 0) || cw_keyset_new(&inputs, 0)))
		cli_oom();
	for (size_t i = 0; rc == 0 && i < plan->njobs; i++)
		rc = plan_job(plan, i, reg, outputs, inputs);
	/* an output that is an input of any job would be read and replaced */
	for (size_t i = 0; rc == 0 && i < plan->ntasks; i++)
		for (size_t o = 0; rc == 0 && o < plan->jobs[plan->tasks[i].job].nouts; o++)
			if (cw_keyset_has(inputs, plan->tasks[i].outputs[o])) {
				cli_error("the output '%s' is also an input of the batch: name the "
				          "outputs "
				          "apart (nothing was converted)",
				          plan->tasks[i].outputs[o]);
				rc = -1;
			}
	cw_keyset_free(outputs);
	cw_keyset_free(inputs);
	if (rc)
		batch_plan_free(plan);
	return rc;
}

void batch_plan_free(batch_plan *plan)
{
	for (size_t i = 0; i < plan->ntasks; i++) {
		batch_task *t = &plan->tasks[i];
		for (size_t o = 0; o < plan->jobs[t->job].nouts; o++)
			free(t->outputs[o]);
		free(t->outputs);
		free(t->input);
	}
	free(plan->tasks);
	for (size_t i = 0; i < plan->njobs; i++) {
		batch_job *j = &plan->jobs[i];
		free(j->name);
		for (size_t k = 0; k < j->ninputs; k++)
			free(j->inputs[k]);
		free(j->inputs);
		for (size_t k = 0; k < j->nouts; k++) {
			free(j->outs[k].tmpl);
			free(j->outs[k].format);
		}
		free(j->outs);
		for (size_t k = 0; k < j->nargs; k++)
			free(j->args[k]);
		free(j->args);
	}
	free(plan->jobs);
	memset(plan, 0, sizeof *plan);
}
