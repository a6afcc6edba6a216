/*
 * The option tables of the crosswalk program (core/cli/cli_opt.c): every
 * command's table is well formed (no name twice, no row that shadows a
 * global option, a global row that names one, an action for every row),
 * every spelling of a row finds it, and the parser
 * and the help printer do what cli.h says on a table made up here.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cw_test.h"

/* main's spec is main.c's; its table is the global one */
static const cli_command_spec global_spec = {.opts = cli_global_opts, .column = 20};

static const cli_command_spec *const specs[] = {&global_spec, &cli_convert_spec, &cli_batch_spec,
                                                &cli_formats_spec};

static const char *spec_name(const cli_command_spec *s)
{
	return s->name ? s->name : "crosswalk";
}

static const cli_opt *global_named(const char *name)
{
	for (const cli_opt *g = cli_global_opts; g->name; g++)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

static const cli_opt *global_lettered(char c)
{
	for (const cli_opt *g = cli_global_opts; g->name; g++)
		if (c && g->short_name == c)
			return g;
	return NULL;
}

/* The help spec prints of its options, owned. */
static char *help_of(const cli_command_spec *spec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert(f);
	cli_opt_help(f, spec);
	fclose(f);
	return text;
}

Test(options, tables_are_well_formed)
{
	for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
		const cli_command_spec *s = specs[k];
		const char *cmd = spec_name(s);
		size_t nany = 0;
		cr_expect(s->opts[0].name && s->opts[0].help, "%s: the first row has no help", cmd);
		for (const cli_opt *o = s->opts; o->name; o++) {
			size_t letters = strspn(o->name, "abcdefghijklmnopqrstuvwxyz0123456789-");
			cr_expect((o->name[0] && letters == strlen(o->name)) ||
			              (o->flags & CLI_OPT_ANY),
			          "%s: --%s is no long option name", cmd, o->name);
			cr_expect(!(o->flags & CLI_OPT_OPTIONAL) || o->metavar,
			          "%s: --%s has an optional value without a name", cmd, o->name);
			switch (o->action) {
			case CLI_OPT_FLAG:
				cr_expect(!o->metavar, "%s: flag --%s names a value", cmd, o->name);
				break;
			case CLI_OPT_STRING:
			case CLI_OPT_APPEND:
				cr_expect(o->metavar, "%s: --%s keeps a value it has no name for",
				          cmd, o->name);
				break;
			case CLI_OPT_CALL:
				cr_expect(o->fn, "%s: --%s calls nothing", cmd, o->name);
				break;
			case CLI_OPT_GLOBAL: {
				const cli_opt *g = global_named(o->name);
				cr_expect(g && s->opts != cli_global_opts,
				          "%s: --%s is no global option", cmd, o->name);
				if (g) {
					cr_expect(g->short_name == o->short_name,
					          "%s: --%s has another letter than the global one",
					          cmd, o->name);
					cr_expect(!g->metavar == !o->metavar,
					          "%s: --%s says it takes a value where the global "
					          "one does "
					          "not, or the other way",
					          cmd, o->name);
				}
				break;
			}
			default:
				cr_expect(0, "%s: --%s has no action", cmd, o->name);
			}
			if (o->flags & CLI_OPT_ANY) {
				nany++;
				cr_expect(o->action == CLI_OPT_CALL && o->fn,
				          "%s: the --%s row calls nothing", cmd, o->name);
				continue;
			}
			/* nothing else in the table, nor a global option, has its name or letter */
			for (const cli_opt *p = s->opts; p < o; p++) {
				cr_expect(strcmp(p->name, o->name) != 0, "%s: --%s twice", cmd,
				          o->name);
				cr_expect(!o->short_name || p->short_name != o->short_name,
				          "%s: -%c twice", cmd, o->short_name);
			}
			if (s->opts != cli_global_opts && o->action != CLI_OPT_GLOBAL) {
				cr_expect(!global_named(o->name),
				          "%s: --%s hides the global option", cmd, o->name);
				cr_expect(!global_lettered(o->short_name),
				          "%s: -%c hides the global option", cmd, o->short_name);
			}
			/* each of its spellings finds it */
			char arg[128];
			snprintf(arg, sizeof arg, "--%s", o->name);
			cr_expect(cli_opt_find(s->opts, arg) == o, "%s: %s is not found", cmd, arg);
			snprintf(arg, sizeof arg, "--%s=x", o->name);
			cr_expect(cli_opt_find(s->opts, arg) == o, "%s: %s is not found", cmd, arg);
			if (o->short_name) {
				snprintf(arg, sizeof arg, "-%c", o->short_name);
				cr_expect(cli_opt_find(s->opts, arg) == o, "%s: %s is not found",
				          cmd, arg);
				snprintf(arg, sizeof arg, "-%cx", o->short_name);
				cr_expect((cli_opt_find(s->opts, arg) == o) == (o->metavar != NULL),
				          "%s: %s", cmd, arg);
			}
		}
		cr_expect(nany <= 1, "%s: %zu rows take any --NAME", cmd, nany);
	}
}

/* --- the parser and the printer, on a table made up here --- */

typedef struct made_up {
	int alpha;
	const char *beta;
	cli_strings gamma;
	const char *delta;
	int ndelta;
	char rest[256]; /* the --NAME of the ANY row and positional arguments, in order */
	int helped;
} made_up;

static int delta(void *self, const char *value, cli_parse *p)
{
	(void)p;
	made_up *m = self;
	m->delta = value ? value : "(none)";
	m->ndelta++;
	return 0;
}

static int any(void *self, const char *text, cli_parse *p)
{
	made_up *m = self;
	strcat(m->rest, "any:");
	strcat(m->rest, text);
	/* --take-NAME takes the next argument as its value */
	if (strncmp(text, "take", 4) == 0) {
		const char *v = cli_parse_take(p);
		if (!v)
			return -1;
		strcat(m->rest, "=");
		strcat(m->rest, v);
	}
	strcat(m->rest, " ");
	return 0;
}

static int positional(void *self, const char *value, cli_parse *p)
{
	(void)p;
	made_up *m = self;
	strcat(m->rest, value);
	strcat(m->rest, " ");
	return strcmp(value, "stop") == 0;
}

static const cli_opt made_up_opts[] = {
    CLI_FLAG('a', "alpha", made_up, alpha, "a flag"),
    CLI_STRING('b', "beta", "B", made_up, beta, "a string,\non two lines"),
    CLI_APPEND(0, "gamma", "G", made_up, gamma, NULL), /* listed with --beta */
    {"delta", 0, "D", CLI_OPT_OPTIONAL, CLI_OPT_CALL, 0, delta, "an optional value"},
    CLI_STRING(0, "a-very-long-option-name", "VALUE", made_up, beta, "wraps"),
    {"NAME", 0, "VALUE", CLI_OPT_ANY | CLI_OPT_OPTIONAL, CLI_OPT_CALL, 0, any, "any other"},
    CLI_GLOBAL('q', "quiet", NULL, "fewer words"),
    CLI_END,
};

static made_up *current; /* the help function's */

static void made_up_help(FILE *f)
{
	(void)f;
	current->helped = 1;
}

static const cli_command_spec made_up_spec = {.name = "made-up",
                                              .opts = made_up_opts,
                                              .help = made_up_help,
                                              .positional = positional,
                                              .column = 16,
                                              .align = 1};

/* Parses the words of line (split at spaces) into *m; returns cli_parse_args's result. */
static int parse(made_up *m, cli_common *common, const char *line)
{
	static char buf[512];
	char *argv[32];
	int argc = 0;
	snprintf(buf, sizeof buf, "made-up %s", line);
	for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	memset(m, 0, sizeof *m);
	memset(common, 0, sizeof *common);
	current = m;
	return cli_parse_args(&made_up_spec, argc, argv, m, common);
}

Test(options, parser_follows_the_table)
{
	made_up m;
	cli_common common;
	cr_assert_eq(parse(&m, &common,
	                   "-a -bB1 --gamma g1 p1 --gamma=g2 --delta --zeta --take-x v -q "
	                   "--plugin P -- -a"),
	             0);
	cr_expect_eq(m.alpha, 1);
	cr_expect_str_eq(m.beta, "B1");
	cr_assert_eq(m.gamma.n, 2);
	cr_expect_str_eq(m.gamma.v[0], "g1");
	cr_expect_str_eq(m.gamma.v[1], "g2");
	cr_expect_str_eq(m.delta, "(none)");
	cr_expect_str_eq(m.rest, "p1 any:zeta any:take-x=v -a ");
	cr_expect_eq(common.quiet, 1, "a CLI_GLOBAL row is the global option");
	cr_expect_eq(common.nplugins, 1, "a global option the table does not list is taken");
	free(m.gamma.v);
	free(common.plugins);

	cr_expect_eq(parse(&m, &common, "--beta B --beta=C --delta=d1 --delta=d2"), 0);
	cr_expect_str_eq(m.beta, "C", "the last value wins");
	cr_expect_str_eq(m.delta, "d2");
	cr_expect_eq(m.ndelta, 2);
	/* an optional value is never the next argument */
	cr_expect_eq(parse(&m, &common, "--delta d"), 0);
	cr_expect_str_eq(m.delta, "(none)");
	cr_expect_str_eq(m.rest, "d ");
	/* stopping: help, or a function that says so */
	cr_expect_eq(parse(&m, &common, "-a --help -b"), 1);
	cr_expect_eq(m.helped, 1);
	cr_expect_eq(parse(&m, &common, "stop --nope"), 1);
	/* usage errors */
	cr_expect_eq(parse(&m, &common, "--beta"), -1, "a value missing");
	cr_expect_eq(parse(&m, &common, "-b"), -1, "a value missing");
	cr_expect_eq(parse(&m, &common, "--alpha=1"), -1, "a flag given a value");
	cr_expect_eq(parse(&m, &common, "-ax"), -1, "letters are not bundled");
	cr_expect_eq(parse(&m, &common, "-z"), -1, "an unknown letter");
	cr_expect_eq(parse(&m, &common, "--take-x"), -1, "the ANY row's own error");
	cr_expect_eq(parse(&m, &common, "--diagnostics-format=xml"), -1, "a global's own error");
	free(common.plugins);
}

Test(options, help_is_printed_from_the_table)
{
	char *help = help_of(&made_up_spec);
	cr_expect_str_eq(help, "  -a, --alpha   a flag\n"
	                       "  -b, --beta B, --gamma G\n"
	                       "                a string,\n"
	                       "                on two lines\n"
	                       "      --delta[=D]\n"
	                       "                an optional value\n"
	                       "      --a-very-long-option-name VALUE\n"
	                       "                wraps\n"
	                       "      --NAME[=VALUE]\n"
	                       "                any other\n"
	                       "  -q, --quiet   fewer words\n");
	free(help);
}
