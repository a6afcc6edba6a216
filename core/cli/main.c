/*
 * crosswalk: command dispatch, --help and --version. No logic of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	cli_command_fn *fn;
	const char *summary;
} commands[] = {
	{"convert", cli_convert, "convert records between formats"},
	{"formats", cli_formats, "list the plugins found and the formats they read and write"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: crosswalk [--plugin FILE]... COMMAND [ARGS]\n\n"
	           "Converts scholarly article metadata between JATS, Dublin Core, BibTeX,\n"
	           "CSL-JSON and any format a plugin adds.\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nglobal options:\n"
	           "  --plugin FILE     load a plugin file (repeatable; tried first)\n"
	           "  -q, --quiet       print errors only\n"
	           "  -v, --verbose     also print notes\n"
	           "  -h, --help        this help; 'crosswalk COMMAND --help' for a command\n"
	           "  -V, --version     print the version\n"
	           "\nexit status:\n");
#define X(name, value, doc) fprintf(f, "  %-3d %s\n", value, doc);
	CLI_EXIT_CODES(X)
#undef X
	fprintf(f, "\nPlugins are searched in: --plugin files, $CROSSWALK_PLUGIN_PATH, the build\n"
	           "tree (when run from one), %s.\nSee crosswalk(1).\n",
	        cw_registry_install_dir());
}

int main(int argc, char **argv)
{
	cli_common common = {0};
	int i = 1;
	int status = CLI_EXIT_USAGE;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0) {
			printf("crosswalk %s (plugin ABI %u.%u)\n", cw_version_string(),
			       (unsigned)(cw_abi_version() >> 16), (unsigned)(cw_abi_version() & 0xFFFF));
			return CLI_EXIT_OK;
		}
		int n = cli_common_option(argc, argv, i, &common);
		if (n == 0)
			cli_error("unknown option '%s'; see 'crosswalk --help'", argv[i]);
		if (n <= 0)
			goto out;
		i += n;
	}
	if (i == argc) {
		usage(stderr);
		goto out;
	}
	if (strcmp(argv[i], "help") == 0) {
		usage(stdout);
		status = CLI_EXIT_OK;
		goto out;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(argv[i], c->name) == 0) {
			status = c->fn(argc - i, argv + i, &common);
			goto out;
		}
	}
	cli_error("unknown command '%s'; commands are convert, formats, help", argv[i]);
out:
	free(common.plugins);
	return status;
}
