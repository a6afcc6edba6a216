/*
 * crosswalk formats: every plugin found, its version and origin, and what
 * each of its formats and filters can do.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void list(const char *label, const char *const *items, const char *prefix)
{
	if (!items || !*items)
		return;
	printf("      %-11s", label);
	for (; *items; items++)
		printf(" %s%s", prefix, *items);
	printf("\n");
}

static void options(const char *label, const cw_option_spec *spec)
{
	for (; spec && spec->name; spec++) {
		printf("      %-11s --%s", label, spec->name);
		if (spec->type == CW_OPT_ENUM)
			printf("=%s", spec->choices ? spec->choices : "");
		else if (spec->type == CW_OPT_INT)
			printf("=N");
		else if (spec->type == CW_OPT_STRING)
			printf("=TEXT");
		if (spec->default_value)
			printf(" (default %s)", spec->default_value);
		printf("\n      %-11s     %s\n", "", spec->help ? spec->help : "");
		label = "";
	}
}

int cli_formats(int argc, char **argv, cli_common *common)
{
	for (int i = 1; i < argc; i++) {
		int n = cli_common_option(argc, argv, i, common);
		if (n < 0)
			return CLI_EXIT_USAGE;
		if (n > 0) {
			i += n - 1;
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: crosswalk formats [-v]\n\n"
			       "Lists every plugin found, its version and file, and the formats it\n"
			       "reads and writes with their extensions; -v adds their options.\n");
			return CLI_EXIT_OK;
		}
		cli_error("unknown argument '%s'; see 'crosswalk formats --help'", argv[i]);
		return CLI_EXIT_USAGE;
	}
	cw_registry *reg = NULL;
	if (cw_registry_new(&reg))
		return CLI_EXIT_SOFTWARE;
	int status = cli_load_plugins(reg, common);
	if (status != CLI_EXIT_OK) {
		cw_registry_free(reg);
		return status;
	}
	size_t n = cw_registry_plugin_count(reg);
	if (n == 0)
		printf("no plugins found (searched $CROSSWALK_PLUGIN_PATH and %s)\n",
		       cw_registry_install_dir());
	for (size_t i = 0; i < n; i++) {
		const char *origin;
		const cw_plugin *p = cw_registry_plugin(reg, i, &origin);
		printf("%s %s  %s\n", p->name, p->version ? p->version : "", origin);
		if (p->description)
			printf("  %s\n", p->description);
		for (const cw_format *const *f = p->formats; f && *f; f++) {
			const cw_format *fmt = *f;
			printf("    %-12s %-5s %-5s %s%s\n", fmt->name,
			       (fmt->caps & CW_CAN_READ) ? "read" : "",
			       (fmt->caps & CW_CAN_WRITE) ? "write" : "",
			       fmt->description ? fmt->description : "",
			       cw_registry_is_shadowed(reg, fmt) ? " [shadowed by an earlier plugin]" : "");
			list("extensions", fmt->extensions, ".");
			list("aliases", fmt->aliases, "");
			if (common->verbose) {
				list("mime types", fmt->mime_types, "");
				if (fmt->caps & CW_CAN_READ)
					options("reads:", fmt->reader_options);
				if (fmt->caps & CW_CAN_WRITE)
					options("writes:", fmt->writer_options);
			}
		}
		for (const cw_filter *const *f = p->filters; f && *f; f++) {
			printf("    %-12s %-11s %s\n", (*f)->name, "filter",
			       (*f)->description ? (*f)->description : "");
			if (common->verbose)
				options("options:", (*f)->options);
		}
	}
	cw_registry_free(reg);
	return CLI_EXIT_OK;
}
