/*
 * crosswalk convert: resolve formats, route options, build the pipeline,
 * run it, and commit the outputs only when it succeeded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct output {
	const char *path;
	const char *to; /* -t given before it, or NULL */
	const cw_format *fmt;
	cw_ostream *o;
	const char *inline_to; /* -o FILE:FORMAT: FORMAT (then to is it too) */
	char *owned_path;      /* -o FILE:FORMAT: path is this copy of FILE */
} output;

/* A stage option from --NAME[=VALUE] or -O [STAGE.]NAME[=VALUE]. */
typedef struct stage_opt {
	const char *stage; /* NULL: every stage that declares it */
	size_t stage_len;
	char *name;
	const char *value;
	int used;
} stage_opt;

typedef struct filter_arg {
	const cw_filter *f;
	char *spec; /* owned copy of NAME[:OPT=VALUE,...] */
	cw_option *opts;
	size_t nopts;
	size_t nspec; /* opts[0..nspec) come from spec; the rest were routed to it for a file */
} filter_arg;

typedef struct convert {
	const char *from;
	const char *in_path;
	output *outs;
	size_t nouts;
	stage_opt *sopts;
	size_t nsopts;
	filter_arg *filters;
	size_t nfilters;
	cli_strings crosswalks; /* --crosswalk FILE.yaml */
	const char *report;
	const char *input_encoding; /* --input-encoding: the reader's input-encoding option */
	cli_strings allow_loss;     /* --allow-loss [FORMAT:]FIELD */
	cli_strings allow_loss_from; /* --allow-loss-from REPORT.json */
	int strict;
	int check; /* --check: outputs made in memory and compared, nothing written */
	int diff;  /* --diff: and their unified diff on standard output */
	cw_limits limits;
	/* --output-dir DIR: every positional argument is an input, each -t a format */
	const char *output_dir;
	const char **inputs;
	size_t ninputs;
	const char **dir_formats;
	size_t ndir_formats;
	/* while the command line is parsed: -t, -o and the positional arguments
	 * in their order (bound to each other once all are seen), and the
	 * plugins whose options --NAME may be */
	struct arg_event *ev;
	size_t nev;
	const cw_registry *reg;
} convert;

static void *push(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);
	if (!p)
		cli_oom();
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* Splits "[STAGE.]NAME[=VALUE]" into a stage option. */
static void add_stage_opt(convert *c, const char *text, int qualified)
{
	c->sopts = push(c->sopts, &c->nsopts, sizeof *c->sopts);
	stage_opt *so = &c->sopts[c->nsopts - 1];
	const char *eq = strchr(text, '=');
	size_t keylen = eq ? (size_t)(eq - text) : strlen(text);
	const char *dot = qualified ? memchr(text, '.', keylen) : NULL;
	if (dot) {
		so->stage = text;
		so->stage_len = (size_t)(dot - text);
		text = dot + 1;
		keylen -= so->stage_len + 1;
	}
	so->name = malloc(keylen + 1);
	if (!so->name)
		exit(CLI_EXIT_SOFTWARE);
	memcpy(so->name, text, keylen);
	so->name[keylen] = '\0';
	so->value = eq ? eq + 1 : NULL;
}

static const cw_option_spec *find_opt(const cw_option_spec *spec, const char *name)
{
	for (; spec && spec->name; spec++)
		if (strcmp(spec->name, name) == 0)
			return spec;
	return NULL;
}

/* Whether a stage option's STAGE (len bytes; NULL: any stage) names the stage called name. */
static int stage_named(const char *name, const char *stage, size_t len)
{
	return !stage || (strlen(name) == len && strncmp(name, stage, len) == 0);
}

const cw_option_spec *cli_find_option(const cw_registry *reg, const char *stage,
                                      size_t stage_len, const char *name)
{
	for (size_t i = 0; i < cw_registry_plugin_count(reg); i++) {
		const cw_plugin *p = cw_registry_plugin(reg, i, NULL);
		for (const cw_format *const *f = p->formats; f && *f; f++) {
			if (!stage_named((*f)->name, stage, stage_len))
				continue;
			const cw_option_spec *s = find_opt((*f)->reader_options, name);
			if (!s)
				s = find_opt((*f)->writer_options, name);
			if (s)
				return s;
		}
		for (const cw_filter *const *f = p->filters; f && *f; f++) {
			const cw_option_spec *s = stage_named((*f)->name, stage, stage_len)
			                              ? find_opt((*f)->options, name)
			                              : NULL;
			if (s)
				return s;
		}
	}
	return NULL;
}

/* 1 if any loaded format or filter declares a non-boolean option NAME. */
static int takes_value_anywhere(const cw_registry *reg, const char *name)
{
	const cw_option_spec *s = cli_find_option(reg, NULL, 0, name);
	return s && s->type != CW_OPT_BOOL;
}

/* --limit NAME=N: the library's limits by their keys (cw_limit_from_key). */
static int set_limit(convert *c, const char *text)
{
	const char *eq = strchr(text, '=');
	if (!eq) {
		cli_error("--limit takes NAME=N, not '%s'", text);
		return -1;
	}
	enum cw_limit which = cw_limit_from_key(text, (size_t)(eq - text));
	if (!which) {
		cli_error("unknown limit '%.*s'; see 'crosswalk convert --help'", (int)(eq - text),
		          text);
		return -1;
	}
	const char *key = cw_limit_key(which);
	char *end;
	errno = 0;
	unsigned long long v = strtoull(eq + 1, &end, 10);
	unsigned long long mult = *end == 'K' || *end == 'k'   ? 1024ull
	                          : *end == 'M' || *end == 'm' ? 1024ull * 1024
	                          : *end == 'G' || *end == 'g' ? 1024ull * 1024 * 1024
	                                                       : 1;
	if (mult > 1)
		end++;
	if (which == CW_LIMIT_DEPTH && !errno && end != eq + 1 && !*end &&
	    v > CW_LIMIT_DEPTH_MAX / mult) {
		cli_error("--limit depth is at most %u: deeper nesting would overflow the "
		          "stack of the readers that recurse on it",
		          (unsigned)CW_LIMIT_DEPTH_MAX);
		return -1;
	}
	if (errno || end == eq + 1 || *end || v > UINT64_MAX / mult ||
	    cw_limit_set(&c->limits, which, v * mult) != CW_OK) {
		cli_error("--limit %s needs a positive number, not '%s'", key, eq + 1);
		return -1;
	}
	return 0;
}

/* The input, the outputs and the report in one list, for check_paths. */
typedef struct named_file {
	const char *role; /* "the input", "output", "--report" */
	const char *path;
	int std_fd; /* the standard stream "-" stands for */
} named_file;

/*
 * Refuses a command line on which two of the input, the outputs and the
 * report are one file: the later would overwrite the earlier (a report
 * over the input destroys it), and two outputs to one file keep only the
 * last. Checked before anything is opened for writing.
 */
static int check_paths(const convert *c)
{
	size_t n = 0;
	named_file *f = calloc(c->nouts + 2, sizeof *f);
	if (!f) {
		cli_error("out of memory");
		return -1;
	}
	f[n++] = (named_file){"the input", c->in_path, 0};
	for (size_t i = 0; i < c->nouts; i++)
		f[n++] = (named_file){"output", c->outs[i].path, 1};
	if (c->report)
		f[n++] = (named_file){"--report", c->report, 1};
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		for (size_t j = i + 1; j < n && !rc; j++) {
			if (!cli_same_file(f[i].path, f[i].std_fd, f[j].path, f[j].std_fd))
				continue;
			if (strcmp(f[i].path, f[j].path) == 0)
				cli_error("%s and %s are both '%s': name different files (nothing was written)",
				          f[i].role, f[j].role, f[i].path);
			else
				cli_error("%s '%s' and %s '%s' are the same file: name different files "
				          "(nothing was written)",
				          f[i].role, f[i].path, f[j].role, f[j].path);
			rc = -1;
		}
	}
	free(f);
	return rc;
}

/* -t, -o and the positional arguments in their order, resolved once all are seen. */
struct arg_event {
	char kind; /* 't' -t FORMAT, 'o' -o FILE, 'p' a positional argument */
	const char *value;
};
typedef struct arg_event arg_event;

/*
 * -o FILE:FORMAT names the output's format when the text after the last
 * ':' is the name or alias of a format that can be written; otherwise the
 * whole text is the file's name ("a:b.bib", "x:nosuch"). So a file whose
 * name ends in ":bibtex" is written as "-o x:bibtex:bibtex" or by -t.
 */
static void add_output(convert *c, const cw_registry *reg, const char *text)
{
	c->outs = push(c->outs, &c->nouts, sizeof *c->outs);
	output *o = &c->outs[c->nouts - 1];
	o->path = text;
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text || !colon[1])
		return;
	const cw_format *f = cw_registry_find_format(reg, colon + 1);
	if (!f || !(f->caps & CW_CAN_WRITE))
		return;
	o->owned_path = cli_strdup(text);
	o->owned_path[colon - text] = '\0';
	o->path = o->owned_path;
	o->inline_to = colon + 1;
}

/*
 * The outputs of one input. -t names the format of the next output (-o or
 * OUT); a -t that no output follows names the format of the output before
 * it, or of standard output when there is none. Two formats for one output
 * are a usage error, whichever way they were given.
 */
static int bind_outputs(convert *c, const cw_registry *reg, const arg_event *ev, size_t nev)
{
	const char *pending_to = NULL;
	size_t npos = 0;
	for (size_t i = 0; i < nev; i++) {
		if (ev[i].kind == 't') {
			if (pending_to) {
				cli_error(
				    "-t %s and -t %s both come before the next output: give each "
				    "output one format",
				    pending_to, ev[i].value);
				return -1;
			}
			pending_to = ev[i].value;
			continue;
		}
		if (ev[i].kind == 'o') {
			add_output(c, reg, ev[i].value);
		} else if (++npos == 1) {
			c->in_path = ev[i].value;
			continue;
		} else if (npos == 2) {
			/* the positional OUT: a file name as it is, never FILE:FORMAT */
			c->outs = push(c->outs, &c->nouts, sizeof *c->outs);
			c->outs[c->nouts - 1].path = ev[i].value;
		} else {
			cli_error("unexpected argument '%s': convert takes IN and at most one OUT "
			          "(use -o for more outputs, --output-dir for more inputs)",
			          ev[i].value);
			return -1;
		}
		output *o = &c->outs[c->nouts - 1];
		if (o->inline_to && pending_to) {
			cli_error("output '%s' has two formats: -t %s and ':%s'; give one",
			          ev[i].value, pending_to, o->inline_to);
			return -1;
		}
		o->to = o->inline_to ? o->inline_to : pending_to;
		pending_to = NULL;
	}
	if (npos == 0) {
		cli_error("no input; usage: crosswalk convert [OPTIONS] IN [OUT]");
		return -1;
	}
	if (pending_to && c->nouts > 0) {
		/* it stands alone at the end: the output before it */
		output *o = &c->outs[c->nouts - 1];
		if (o->to) {
			cli_error(
			    "-t %s follows output '%s', which already has the format %s (%s): "
			    "give each output one format",
			    pending_to, o->path, o->to, o->inline_to ? "from its ':FORMAT'" : "-t");
			return -1;
		}
		o->to = pending_to;
	} else if (c->nouts == 0) {
		c->outs = push(c->outs, &c->nouts, sizeof *c->outs);
		c->outs[0].path = "-";
		c->outs[0].to = pending_to;
	}
	for (size_t i = 0; c->check && i < c->nouts; i++)
		if (cli_check_comparable(c->outs[i].path))
			return -1;
	return check_paths(c);
}

/* --output-dir: every positional argument is an input, every -t a format. */
static int bind_output_dir(convert *c, const arg_event *ev, size_t nev)
{
	for (size_t i = 0; i < nev; i++) {
		if (ev[i].kind == 'o') {
			cli_error(
			    "-o %s and --output-dir cannot be combined: with --output-dir the "
			    "outputs are DIR/STEM.EXT, one for each -t",
			    ev[i].value);
			return -1;
		}
		if (ev[i].kind == 't') {
			c->dir_formats =
			    push(c->dir_formats, &c->ndir_formats, sizeof *c->dir_formats);
			c->dir_formats[c->ndir_formats - 1] = ev[i].value;
		} else {
			c->inputs = push(c->inputs, &c->ninputs, sizeof *c->inputs);
			c->inputs[c->ninputs - 1] = ev[i].value;
		}
	}
	if (c->ninputs == 0) {
		cli_error("no input; usage: crosswalk convert [OPTIONS] IN... --output-dir DIR -t "
		          "FORMAT");
		return -1;
	}
	if (c->ndir_formats == 0) {
		cli_error("--output-dir %s needs -t FORMAT: the format of the files to write in it "
		          "(repeatable)",
		          c->output_dir);
		return -1;
	}
	return 0;
}

/* --- the options: one table for the parser and the help --- */

/*
 * -t FORMAT, -o FILE (the row's letter is the event's kind) and a positional
 * argument ('p'), kept in their order.
 */
static int opt_event(void *self, const char *value, cli_parse *p)
{
	convert *c = self;
	c->ev = push(c->ev, &c->nev, sizeof *c->ev);
	c->ev[c->nev - 1] = (arg_event){p->opt ? p->opt->short_name : 'p', value};
	return 0;
}

static int opt_output_dir(void *self, const char *value, cli_parse *p)
{
	(void)p;
	convert *c = self;
	if (c->output_dir) {
		cli_error("--output-dir is given twice ('%s' and '%s')", c->output_dir, value);
		return -1;
	}
	c->output_dir = value;
	return 0;
}

static int opt_filter(void *self, const char *value, cli_parse *p)
{
	(void)p;
	convert *c = self;
	c->filters = push(c->filters, &c->nfilters, sizeof *c->filters);
	c->filters[c->nfilters - 1].spec = cli_strdup(value);
	return 0;
}

static int opt_option(void *self, const char *value, cli_parse *p)
{
	(void)p;
	add_stage_opt(self, value, 1);
	return 0;
}

/* --NAME, --NAME=VALUE, or --NAME VALUE when a stage's option NAME takes a value. */
static int opt_stage(void *self, const char *text, cli_parse *p)
{
	convert *c = self;
	add_stage_opt(c, text, 0);
	stage_opt *so = &c->sopts[c->nsopts - 1];
	if (!so->value && takes_value_anywhere(c->reg, so->name)) {
		so->value = cli_parse_take(p);
		if (!so->value) {
			cli_error("option %s needs a value", p->argv[p->i]);
			return -1;
		}
	}
	return 0;
}

static int opt_diff(void *self, const char *value, cli_parse *p)
{
	(void)value, (void)p;
	convert *c = self;
	c->check = c->diff = 1;
	return 0;
}

static int opt_limit(void *self, const char *value, cli_parse *p)
{
	(void)p;
	return set_limit(self, value);
}

static const cli_opt convert_opts[] = {
    CLI_STRING('f', "from", "FORMAT", convert, from, "input format"),
    CLI_CALL('t', "to", "FORMAT", opt_event,
             "format of the next output (-o or OUT); when no output\n"
             "follows it, of the output before it"),
    CLI_CALL('o', "output", "FILE[:FORMAT]", opt_event,
             "an output (repeatable: one parse, several outputs);\n"
             ":FORMAT when the text after the last ':' names a\n"
             "format that can be written"),
    CLI_CALL('d', "output-dir", "DIR", opt_output_dir,
             "write DIR/STEM.EXT for each IN and each -t format\n"
             "(EXT: the format's first extension); each IN is\n"
             "converted on its own, the exit status is the worst"),
    CLI_STRING(0, "input-encoding", "ENC", convert, input_encoding,
               "the input's character encoding (BibTeX): auto (the\n"
               "default: a BOM, the file's own declaration, else UTF-8,\n"
               "else Windows-1252), utf-8, utf-16, windows-1252 (latin1),\n"
               "iso-8859-15, iso-8859-2, windows-1250, windows-1251,\n"
               "koi8-r, macintosh"),
    CLI_CALL(0, "filter", "NAME[:OPT=VALUE,...]", opt_filter,
             "pass records through a filter (repeatable, in order)"),
    CLI_CALL('O', "option", "[STAGE.]NAME[=VALUE]", opt_option,
             "set a reader, writer or filter option"),
    {"NAME", 0, "VALUE", CLI_OPT_ANY | CLI_OPT_OPTIONAL, CLI_OPT_CALL, 0, opt_stage,
     "shorthand for -O NAME=VALUE when a stage declares NAME"},
    CLI_FLAG(0, "strict", convert, strict,
             "stop on any skipped record or field not carried (but\n"
             "for the losses accepted with --allow-loss)"),
    CLI_APPEND(0, "allow-loss", "[FORMAT:]FIELD", convert, allow_loss,
               "accept that writer FORMAT (any: \"*\" or none) cannot\n"
               "carry FIELD: a field of docs/fields.md, \"type\", a\n"
               "passthrough field SRC:NAME (SRC:* for all of SRC) or\n"
               "\"*\"; still reported (accepted-loss), never an error\n"
               "(repeatable)"),
    CLI_APPEND(0, "allow-loss-from", "REPORT.json", convert, allow_loss_from,
               "accept every loss an earlier --report lists (a\n"
               "baseline: --strict then fails only on new losses)"),
    CLI_STRING(0, "report", "FILE.json", convert, report,
               "write every diagnostic as JSON with its code, and a\n"
               "summary with the exit status (also when the run fails)"),
    CLI_GLOBAL(0, "diagnostics-format", "text|json|github",
               "how diagnostics are printed on standard error: text,\n"
               "one JSON object per line, or GitHub Actions commands"),
    CLI_FLAG(0, "check", convert, check,
             "write no output: exit 1 and name each output that\n"
             "would change or does not exist, 0 if all are current\n"
             "(--report is still written; OUT may not be -)"),
    CLI_CALL(0, "diff", NULL, opt_diff,
             "like --check, and also print a unified diff of each\n"
             "output that would change on standard output"),
    CLI_APPEND(0, "crosswalk", "FILE.yaml", convert, crosswalks,
               "override entries of a format's crosswalk table"),
    CLI_CALL(0, "limit", "NAME=N", opt_limit,
             "change a safety limit: input-bytes, field-bytes, depth,\n"
             "names, records, children, hops, record-bytes, fields,\n"
             "attributes, macros"),
    CLI_GLOBAL('q', "quiet", NULL, "print errors only"),
    CLI_GLOBAL('v', "verbose", NULL,
               "also print notes, and every field not carried (by\n"
               "default one line per writer and field, with a count)"),
    CLI_END,
};

const cli_command_spec cli_convert_spec = {
    .name = "convert",
    .opts = convert_opts,
    .usage = "usage: crosswalk convert [OPTIONS] IN [OUT]\n"
             "       crosswalk convert [OPTIONS] IN -o OUT1 [-t FMT] -o OUT2[:FMT] ...\n"
             "       crosswalk convert [OPTIONS] IN... --output-dir DIR -t FMT [-t FMT2]...\n\n"
             "Reads IN (\"-\" for standard input) and writes OUT (default: standard output).\n"
             "Formats come from the file names' extensions, else from the input's content.\n\n",
    .epilog = "\n'crosswalk formats -v' lists the formats and their options.\n",
    .positional = opt_event,
    .column = 27,
    .align = 1,
};

static int parse_args(convert *c, int argc, char **argv, cli_common *common, const cw_registry *reg)
{
	c->reg = reg;
	int rc = cli_parse_args(&cli_convert_spec, argc, argv, c, common);
	if (rc == 0)
		rc = c->output_dir ? bind_output_dir(c, c->ev, c->nev)
		                   : bind_outputs(c, reg, c->ev, c->nev);
	free(c->ev);
	c->ev = NULL;
	c->nev = 0;
	return rc;
}

static int resolve_format(const cw_registry *reg, const char *name, unsigned caps,
                          const cw_format **out)
{
	const cw_format *f = cw_registry_find_format(reg, name);
	if (!f || !(f->caps & caps)) {
		cw_buf known = CW_BUF_INIT;
		for (size_t i = 0; i < cw_registry_plugin_count(reg); i++) {
			const cw_plugin *p = cw_registry_plugin(reg, i, NULL);
			for (const cw_format *const *g = p->formats; g && *g; g++)
				if (((*g)->caps & caps) && !cw_registry_is_shadowed(reg, *g))
					cw_buf_printf(&known, " %s", (*g)->name);
		}
		if (f)
			cli_error("format '%s' cannot be %s; formats that can:%s", name,
			          caps == CW_CAN_READ ? "read" : "written",
			          known.len ? cw_buf_str(&known) : " (none)");
		else
			cli_error("unknown format '%s'; known:%s", name,
			          known.len ? cw_buf_str(&known) : " (no plugins found)");
		cw_buf_free(&known);
		return -1;
	}
	*out = f;
	return 0;
}

/* Parses "NAME[:OPT=VALUE,...]" of --filter. */
static int resolve_filter(const cw_registry *reg, filter_arg *fa)
{
	char *colon = strchr(fa->spec, ':');
	if (colon)
		*colon = '\0';
	fa->f = cw_registry_find_filter(reg, fa->spec);
	if (!fa->f) {
		cw_buf known = CW_BUF_INIT;
		for (size_t i = 0; i < cw_registry_plugin_count(reg); i++) {
			const cw_plugin *p = cw_registry_plugin(reg, i, NULL);
			for (const cw_filter *const *g = p->filters; g && *g; g++)
				cw_buf_printf(&known, " %s", (*g)->name);
		}
		cli_error("unknown filter '%s'; known:%s", fa->spec,
		          known.len ? cw_buf_str(&known) : " (none)");
		cw_buf_free(&known);
		return -1;
	}
	for (char *p = colon ? colon + 1 : NULL; p && *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		fa->opts = push(fa->opts, &fa->nopts, sizeof *fa->opts);
		char *eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		fa->opts[fa->nopts - 1].name = p;
		fa->opts[fa->nopts - 1].value = eq ? eq + 1 : NULL;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* The options of one stage: routed stage options plus its own. */
static void collect(convert *c, const char *stage, const cw_option_spec *spec, cw_option **out,
                    size_t *n)
{
	for (size_t i = 0; i < c->nsopts; i++) {
		stage_opt *so = &c->sopts[i];
		if (!stage_named(stage, so->stage, so->stage_len))
			continue;
		if (!find_opt(spec, so->name)) {
			if (so->stage)
				so->used = -1; /* named this stage, which lacks it: validation reports */
			else
				continue;
		} else {
			so->used = 1;
		}
		*out = push(*out, n, sizeof **out);
		(*out)[*n - 1].name = so->name;
		(*out)[*n - 1].value = so->value;
	}
}

/*
 * Whether the report may be written after a command line that could not
 * be parsed whole: not when it is the same file as any other argument,
 * which may be the input or an output not parsed yet.
 */
static int report_is_safe(const convert *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (c->report >= a && c->report <= a + strlen(a))
			continue; /* the report's own argument */
		/* the argument, the value of a "--long=VALUE" and of a "-xVALUE" */
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		const char *names[] = {a, eq ? eq + 1 : NULL,
		                       a[0] == '-' && a[1] && a[1] != '-' && a[2] ? a + 2 : NULL};
		for (size_t k = 0; k < 3; k++)
			if (names[k] && cli_same_file(c->report, 1, names[k], 0))
				return 0;
	}
	return 1;
}

/* Accepts the losses of --allow-loss and --allow-loss-from in ctx. */
static int accept_losses(const convert *c, cw_context *ctx, const cw_registry *reg)
{
	for (size_t i = 0; i < c->allow_loss.n; i++)
		if (cli_accept_loss(ctx, reg, c->allow_loss.v[i]))
			return -1;
	for (size_t i = 0; i < c->allow_loss_from.n; i++)
		if (cli_accept_losses_from(ctx, c->allow_loss_from.v[i]))
			return -1;
	return 0;
}

/*
 * Ends the report with the run's figures and commits it. Records count as
 * written only when the outputs are committed: a run that replaced no
 * file wrote none.
 */
static int finish_report(const convert *c, cli_diags *d, const cw_pipeline_stats *st, int commit,
                         int status)
{
	cli_run_summary sum = {.records_read = st->records_read,
	                       .records_skipped = st->records_skipped,
	                       .records_written = commit ? st->records_written : 0,
	                       .exit_status = status};
	return cli_report_finish(d, c->report, &sum);
}

static int load_crosswalks(convert *c, cw_context *ctx)
{
	for (size_t i = 0; i < c->crosswalks.n; i++) {
		cw_istream *in = NULL;
		const char *data;
		size_t len;
		int rc = cw_istream_open_file(&in, c->crosswalks.v[i]);
		if (rc == CW_OK) {
			cw_istream_set_limit(in, 16u << 20);
			rc = cw_istream_read_all(in, &data, &len);
		}
		if (rc) {
			cli_error("%s: cannot read: %s", c->crosswalks.v[i],
			          rc == CW_ELIMIT ? "larger than 16 MiB" : strerror(errno));
			cw_istream_close(in);
			return -1;
		}
		rc = cw_context_add_crosswalk(ctx, data, len, c->crosswalks.v[i]);
		cw_istream_close(in);
		if (rc)
			return -1;
	}
	return 0;
}

static int exit_for(int rc, const convert *c, const cw_pipeline_stats *st)
{
	for (size_t i = 0; i < c->nouts; i++)
		if (c->outs[i].o && cw_ostream_error(c->outs[i].o))
			return CLI_EXIT_OUTPUT;
	switch (rc) {
	case CW_OK:
		return CLI_EXIT_OK;
	case CW_ERECORD:
		return CLI_EXIT_PARTIAL;
	case CW_ESTRICT:
		return st->records_skipped ? CLI_EXIT_INPUT : CLI_EXIT_NOT_CARRIED;
	case CW_EFORMAT:
	case CW_ELIMIT:
	case CW_EIO:
	case CW_ENOMEM:
	case CW_EUNSUPPORTED:
		return CLI_EXIT_INPUT;
	default:
		return CLI_EXIT_SOFTWARE;
	}
}

/*
 * Says why each output that failed could not be written, with the system's
 * reason. With prepare, first does all of an output's writing but the
 * rename (cw_ostream_prepare) for every output. Returns the number that
 * failed: none means every output can be committed.
 */
static size_t check_outputs(const convert *c, int prepare)
{
	size_t failed = 0;
	for (size_t i = 0; i < c->nouts; i++) {
		cw_ostream *o = c->outs[i].o;
		if (!o)
			continue;
		int rc = prepare ? cw_ostream_prepare(o) : cw_ostream_error(o);
		if (rc == CW_OK)
			continue;
		int e = cw_ostream_os_error(o);
		cli_error("%s: cannot write: %s", cw_ostream_name(o),
		          e ? strerror(e) : cw_status_str(rc));
		failed++;
	}
	return failed;
}

/*
 * --check: compares each output made in memory with its file. Returns the
 * run's status, 1 when an output would change or does not exist, or 4 when
 * a file could not be read.
 */
static int compare_outputs(const convert *c, int status)
{
	int changed = 0, failed = 0;
	for (size_t i = 0; i < c->nouts; i++) {
		size_t len;
		const char *data = cw_ostream_memory(c->outs[i].o, &len);
		switch (cli_check_output(c->outs[i].path, data, len, c->diff ? stdout : NULL)) {
		case CLI_CHECK_CURRENT:
			break;
		case CLI_CHECK_CHANGED:
		case CLI_CHECK_MISSING:
			changed = 1;
			break;
		case CLI_CHECK_ERROR:
			failed = 1;
			break;
		}
	}
	if (failed)
		return CLI_EXIT_OUTPUT;
	return changed && status == CLI_EXIT_OK ? CLI_EXIT_CHANGED : status;
}

/*
 * Renames the prepared outputs into place. Nothing but a rename (or the
 * directory's fsync after it) can fail here: the directory was removed or
 * made read-only during the run. Returns the number that failed.
 */
static size_t commit_outputs(const convert *c)
{
	size_t failed = 0;
	for (size_t i = 0; i < c->nouts; i++) {
		cw_ostream *o = c->outs[i].o;
		if (cw_ostream_commit(o) == CW_OK)
			continue;
		int e = cw_ostream_os_error(o);
		cli_error("%s: cannot write: %s", cw_ostream_name(o),
		          e ? strerror(e) : cw_status_str(cw_ostream_error(o)));
		failed++;
	}
	return failed;
}

int cli_resolve_format(const cw_registry *reg, const char *name, unsigned caps,
                       const cw_format **out)
{
	return resolve_format(reg, name, caps, out);
}

void cli_convert_set_files(convert *c, const char *in, const cli_output_plan *outs, size_t nouts)
{
	for (size_t i = 0; i < c->nouts; i++)
		free(c->outs[i].owned_path);
	free(c->outs);
	c->outs = NULL;
	c->nouts = 0;
	c->in_path = in;
	for (size_t i = 0; i < nouts; i++) {
		c->outs = push(c->outs, &c->nouts, sizeof *c->outs);
		c->outs[i].path = outs[i].path;
		c->outs[i].to = outs[i].fmt->name;
	}
}

int cli_convert_file(convert *job, const cw_registry *reg, cli_common *common)
{
	/* The job's settings as c: the arrays are the job's, and what one file
	 * sets in their elements (streams, routed options) is undone here. */
	convert c = *job;
	cw_context *ctx = NULL;
	cw_pipeline *pipe = NULL;
	cw_istream *in = NULL;
	cli_diags diags = {0};
	cw_pipeline_stats stats = {sizeof stats, 0, 0, 0};
	int status = CLI_EXIT_USAGE;
	int commit = 0; /* every output is prepared: commit them after the report */

	/* this file's messages go to its own collector (and report) */
	cli_diags *outer = cli_diags_begin(&diags);
	diags.format = common->diag_format;
	diags.quiet = common->quiet ? 1 : common->verbose ? -1 : 0;
	diags.phase = CW_DIAG_CODE_USAGE;
	for (size_t i = 0; i < c.nsopts; i++)
		c.sopts[i].used = 0;
	for (size_t i = 0; i < c.nfilters; i++)
		c.filters[i].nopts = c.filters[i].nspec;
	if (cw_context_new(&ctx)) {
		status = CLI_EXIT_SOFTWARE;
		goto out;
	}
	if (c.report && cli_report_open(&diags, c.report)) {
		status = CLI_EXIT_OUTPUT;
		goto out;
	}
	diags.no_pending = 1;
	cw_context_set_diag_sink(ctx, cli_diag_sink, &diags);
	cw_context_set_strict(ctx, c.strict);
	cw_context_set_limits(ctx, &c.limits);
	/* --crosswalk files are checked against the tables of these plugins,
	 * whose embedded tables are then parsed once for every file */
	cw_context_set_registry(ctx, reg);
	if (accept_losses(&c, ctx, reg) || load_crosswalks(&c, ctx))
		goto out;

	/* input */
	diags.phase = CW_DIAG_CODE_INPUT_ERROR;
	int rc = cw_istream_open_file(&in, c.in_path);
	diags.phase = CW_DIAG_CODE_USAGE;
	if (rc) {
		diags.phase = CW_DIAG_CODE_INPUT_ERROR;
		cli_error("%s: cannot open: %s", c.in_path, strerror(errno));
		status = CLI_EXIT_INPUT;
		goto out;
	}
	const cw_format *from = NULL;
	if (c.from) {
		if (resolve_format(reg, c.from, CW_CAN_READ, &from))
			goto out;
	} else {
		cw_buf why = CW_BUF_INIT;
		rc = cw_registry_detect_input(&from, reg, in, strcmp(c.in_path, "-") ? c.in_path : NULL,
		                              &why);
		if (rc) {
			if (rc == CW_EAMBIGUOUS || rc == CW_ENOTFOUND) {
				cli_error("%s: %s; name the format with -f", cw_istream_name(in),
				          cw_buf_str(&why));
			} else {
				diags.phase = CW_DIAG_CODE_INPUT_ERROR;
				cli_error("%s: cannot read: %s", cw_istream_name(in),
				          rc == CW_EIO ? strerror(errno) : cw_status_str(rc));
				status = CLI_EXIT_INPUT;
			}
			cw_buf_free(&why);
			goto out;
		}
		cw_buf_free(&why);
	}
	/* outputs */
	for (size_t i = 0; i < c.nouts; i++) {
		output *o = &c.outs[i];
		if (o->to) {
			if (resolve_format(reg, o->to, CW_CAN_WRITE, &o->fmt))
				goto out;
		} else {
			cw_buf why = CW_BUF_INIT;
			rc = strcmp(o->path, "-") == 0 ? CW_ENOTFOUND
			                               : cw_registry_detect_output(&o->fmt, reg, o->path, &why);
			if (rc) {
				if (strcmp(o->path, "-") == 0)
					cli_error("standard output has no extension: name its format with -t");
				else
					cli_error("%s; name it with -t", cw_buf_str(&why));
				cw_buf_free(&why);
				goto out;
			}
			cw_buf_free(&why);
		}
	}

	/* route stage options; every option must land somewhere */
	cw_option *ropts = NULL;
	size_t nropts = 0;
	collect(&c, from->name, from->reader_options, &ropts, &nropts);
	int unrouted = 0;
	if (c.input_encoding) {
		/* a reader that decodes legacy encodings declares the option (BibTeX) */
		if (find_opt(from->reader_options, "input-encoding")) {
			ropts = push(ropts, &nropts, sizeof *ropts);
			ropts[nropts - 1].name = "input-encoding";
			ropts[nropts - 1].value = c.input_encoding;
		} else {
			cli_error("--input-encoding: the %s reader takes no input encoding (its format "
			          "says how it is encoded)",
			          from->name);
			unrouted = 1;
		}
	}
	for (size_t i = 0; i < c.nfilters; i++)
		collect(&c, c.filters[i].f->name, c.filters[i].f->options, &c.filters[i].opts,
		        &c.filters[i].nopts);
	cw_option **wopts = calloc(c.nouts, sizeof *wopts);
	size_t *nwopts = calloc(c.nouts, sizeof *nwopts);
	if (!wopts || !nwopts)
		exit(CLI_EXIT_SOFTWARE);
	for (size_t i = 0; i < c.nouts; i++)
		collect(&c, c.outs[i].fmt->name, c.outs[i].fmt->writer_options, &wopts[i], &nwopts[i]);
	for (size_t i = 0; i < c.nsopts; i++) {
		if (c.sopts[i].used)
			continue;
		if (c.sopts[i].stage)
			cli_error("option '%s' names '%.*s', which is not a stage of this conversion",
			          c.sopts[i].name, (int)c.sopts[i].stage_len, c.sopts[i].stage);
		else
			cli_error("unknown option '--%s': no stage of this conversion (%s reader%s) "
			          "declares it; see 'crosswalk formats -v'",
			          c.sopts[i].name, from->name, c.nouts ? " and its writers" : "");
		unrouted = 1;
	}

	if (!unrouted && cw_pipeline_new(&pipe, ctx) == CW_OK) {
		cli_crash_watch(reg, pipe);
		rc = cw_pipeline_set_reader(pipe, from, in, ropts, nropts);
		for (size_t i = 0; rc == CW_OK && i < c.nfilters; i++)
			rc = cw_pipeline_add_filter(pipe, c.filters[i].f, c.filters[i].opts,
			                            c.filters[i].nopts);
		for (size_t i = 0; rc == CW_OK && i < c.nouts; i++) {
			rc = c.check ? cw_ostream_open_memory(&c.outs[i].o, c.outs[i].path)
			             : cw_ostream_open_file(&c.outs[i].o, c.outs[i].path,
			                                    CW_OSTREAM_ATOMIC |
			                                        (common->swept ? CW_OSTREAM_NO_SWEEP : 0));
			if (rc) {
				diags.phase = CW_DIAG_CODE_OUTPUT_ERROR;
				cli_error("%s: cannot write: %s", c.outs[i].path, strerror(errno));
				status = CLI_EXIT_OUTPUT;
				break;
			}
			rc = cw_pipeline_add_writer(pipe, c.outs[i].fmt, c.outs[i].o, wopts[i], nwopts[i]);
		}
		if (rc == CW_OK) {
			rc = cw_pipeline_run(pipe, &stats);
			status = exit_for(rc, &c, &stats);
			diags.phase = CW_DIAG_CODE_OUTPUT_ERROR; /* all that can fail from here */
			/* all or none: every output written, synced and closed before any
			 * is renamed */
			commit = status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL;
			if (check_outputs(&c, commit)) {
				status = CLI_EXIT_OUTPUT;
				commit = 0;
			}
		} else if (status != CLI_EXIT_OUTPUT) {
			status = rc == CW_EINVAL ? CLI_EXIT_USAGE : exit_for(rc, &c, &stats);
		}
	}
	/* writers may hold buffered output: free the pipeline before the streams */
	cw_pipeline_free(pipe);
	cli_crash_watch(NULL, NULL);
	pipe = NULL;
	cli_diag_summary(&diags, c.report);
	/* --check compares instead of committing, before the report, which
	 * then has the status of the comparison */
	if (commit && c.check) {
		status = compare_outputs(&c, status);
		commit = 0;
	}
	/* The report is committed first, then the outputs: a report that cannot be
	 * written keeps every output from being replaced, and the report of a run
	 * whose outputs failed is still written. No signal cuts the group short. */
	if (commit)
		cli_hold_signals(1);
	if (diags.report && finish_report(&c, &diags, &stats, commit, status)) {
		if (status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL)
			status = CLI_EXIT_OUTPUT;
		commit = 0;
	}
	if (commit && commit_outputs(&c))
		status = CLI_EXIT_OUTPUT;
	cli_hold_signals(0);
	free(ropts);
	for (size_t i = 0; i < c.nouts; i++)
		free(wopts[i]);
	free(wopts);
	free(nwopts);
out:
	cw_pipeline_free(pipe);
	cli_crash_watch(NULL, NULL);
	pipe = NULL;
	if (diags.report) {
		/* a run that failed before its end: its report says why */
		cli_diag_summary(&diags, c.report);
		if (finish_report(&c, &diags, &stats, 0, status) && status == CLI_EXIT_OK)
			status = CLI_EXIT_OUTPUT;
	}
	for (size_t i = 0; i < c.nouts; i++) {
		cw_ostream_close(c.outs[i].o);
		c.outs[i].o = NULL;
	}
	cw_istream_close(in);
	cw_context_free(ctx);
	cli_diags_end(&diags, outer);
	return status;
}

int cli_convert(int argc, char **argv, cli_common *common)
{
	return cli_convert_loaded(argc, argv, common, NULL);
}

int cli_convert_loaded(int argc, char **argv, cli_common *common, cw_registry *loaded)
{
	convert c = {0};
	c.limits = (cw_limits)CW_LIMITS_INIT;
	cw_registry *reg = NULL;
	cli_diags diags = {0};
	int status = CLI_EXIT_USAGE;

	/* the command's own messages go where the library's go: printed in
	 * --diagnostics-format, and kept for the report until it is opened
	 * (here when the command stops before its files, else by each file) */
	cli_diags_begin(&diags);
	diags.phase = CW_DIAG_CODE_USAGE;
	diags.format = common->diag_format;
	/* --plugin may follow the command: load plugins before parsing stage
	 * options; --diagnostics-format too, for the messages on the way */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		/* where a failure to load a plugin is reported (parse_args sets it again) */
		if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
			c.report = argv[i + 1];
		else if (strncmp(argv[i], "--report=", 9) == 0)
			c.report = argv[i] + 9;
		if (strncmp(argv[i], "--plugin", 8) == 0 ||
		    strncmp(argv[i], "--diagnostics-format", 20) == 0) {
			/* 0 for "--plugins" and the like: parse_args reports those */
			int n = cli_common_option(argc, argv, i, common);
			if (n < 0)
				goto out;
			if (n > 0)
				i += n - 1;
		}
	}
	diags.format = common->diag_format;
	if (loaded) {
		reg = loaded;
	} else if (cw_registry_new(&reg)) {
		status = CLI_EXIT_SOFTWARE;
		goto out;
	}
	diags.phase = CW_DIAG_CODE_PLUGIN;
	if (!loaded && (status = cli_load_plugins(reg, common)) != CLI_EXIT_OK) {
		if (c.report && report_is_safe(&c, argc, argv) && cli_report_open(&diags, c.report))
			status = CLI_EXIT_OUTPUT;
		goto out;
	}
	c.report = NULL;
	common->nplugins = 0; /* parse_args sees --plugin again */
	status = CLI_EXIT_USAGE;
	diags.phase = CW_DIAG_CODE_USAGE;
	int pr = parse_args(&c, argc, argv, common, reg);
	diags.quiet = common->quiet ? 1 : common->verbose ? -1 : 0;
	if (pr > 0) {
		status = CLI_EXIT_OK; /* --help */
		goto out;
	}
	/* filters are the same for every file: resolved once */
	for (size_t i = 0; pr == 0 && i < c.nfilters; i++) {
		if (resolve_filter(reg, &c.filters[i]))
			pr = -1;
		else
			c.filters[i].nspec = c.filters[i].nopts;
	}
	if (pr) {
		/* the report of a command line that could not be parsed is
		 * written too, unless it may be another argument's file */
		if (c.report && report_is_safe(&c, argc, argv) && cli_report_open(&diags, c.report))
			status = CLI_EXIT_OUTPUT;
		goto out;
	}
	/* from here each file has its collector and report */
	diags.no_pending = 1;
	cw_buf_free(&diags.pending);
	if (c.output_dir) {
		cli_many m = {c.inputs,      c.ninputs,      c.output_dir,
		              c.dir_formats, c.ndir_formats, c.report,      c.check};
		status = cli_convert_many(&c, reg, common, &m);
	} else {
		status = cli_convert_file(&c, reg, common);
	}
out:
	if (diags.report) {
		cw_pipeline_stats none = {sizeof none, 0, 0, 0};
		cli_diag_summary(&diags, c.report);
		if (finish_report(&c, &diags, &none, 0, status) && status == CLI_EXIT_OK)
			status = CLI_EXIT_OUTPUT;
	}
	cli_convert_set_files(&c, NULL, NULL, 0);
	for (size_t i = 0; i < c.nsopts; i++)
		free(c.sopts[i].name);
	free(c.sopts);
	for (size_t i = 0; i < c.nfilters; i++) {
		free(c.filters[i].spec);
		free(c.filters[i].opts);
	}
	free(c.filters);
	free(c.crosswalks.v);
	free(c.inputs);
	free(c.dir_formats);
	free(c.allow_loss.v);
	free(c.allow_loss_from.v);
	if (reg != loaded)
		cw_registry_free(reg);
	cli_diags_end(&diags, NULL);
	return status;
}
