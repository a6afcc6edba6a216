/*
 * crosswalk: the process around the commands (standard descriptors,
 * signals), command dispatch, --help and --version.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct command {
	const char *name;
	cli_command_fn *fn;
	const char *summary;
} commands[] = {
	{"convert", cli_convert, "convert records between formats"},
	{"batch", cli_batch, "run the conversions of a batch file (crosswalk.yaml), in parallel"},
	{"formats", cli_formats, "list the plugins found and the formats they read and write"},
	{NULL, NULL, NULL},
};

static const cli_command_spec main_spec;

static void usage(FILE *f)
{
	fprintf(f, "usage: crosswalk [--plugin FILE]... COMMAND [ARGS]\n\n"
	           "Converts scholarly article metadata between JATS, Dublin Core, BibTeX,\n"
	           "CSL-JSON and any format a plugin adds.\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nglobal options:\n");
	cli_opt_help(f, &main_spec);
	fprintf(f, "\nexit status:\n");
#define X(name, value, doc) fprintf(f, "  %-3d %s\n", value, doc);
	CLI_EXIT_CODES(X)
#undef X
	fprintf(f, "  128+n ended by signal n (SIGHUP 129, SIGINT 130, SIGPIPE 141, SIGTERM 143;\n"
	           "        a crash: SIGABRT 134, SIGSEGV 139): temporaries removed, nothing replaced\n");
	fprintf(f, "\nPlugins are searched in: --plugin files, $CROSSWALK_PLUGIN_PATH, the build\n"
	           "tree (when run from one), %s.\nSee crosswalk(1).\n",
	        cw_registry_install_dir());
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(name, c->name) == 0)
			return c;
	return NULL;
}

static void unknown_command(const char *name)
{
	cw_buf known = CW_BUF_INIT;
	for (const struct command *c = commands; c->name; c++)
		cw_buf_printf(&known, "%s, ", c->name);
	cli_error("unknown command '%s'; commands are %shelp", name, cw_buf_str(&known));
	cw_buf_free(&known);
}

/*
 * "help" prints the global help; "help COMMAND" runs "COMMAND --help", so
 * that the two print the same text.
 */
static int help(int argc, char **argv, cli_common *common)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "help") == 0)) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2) {
		cli_error("help takes one command, not '%s'; see 'crosswalk --help'", argv[2]);
		return CLI_EXIT_USAGE;
	}
	const struct command *c = find_command(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return CLI_EXIT_USAGE;
	}
	char help_opt[] = "--help";
	char *hargv[] = {argv[1], help_opt, NULL};
	return c->fn(2, hargv, common);
}

/*
 * Opens /dev/null on any of descriptors 0-2 that is closed, so that no file
 * crosswalk opens becomes standard output or error by accident: with 2>&-
 * warnings would be written into an output, with >&- "-o -" would land in
 * another output. Opened in the direction that makes every use fail (EBADF),
 * as coreutils does: "-o -" with fd 1 closed is an error, not a silent
 * discard. Returns -1 if that cannot be done.
 */
static int reserve_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* the lower ones are open: this takes fd itself */
		int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got != fd) {
			if (got >= 0)
				close(got);
			return -1;
		}
	}
	return 0;
}

/*
 * What --help, --version and 'formats' printed may still sit in stdio's
 * buffer: a write error there (a full disk, a closed pipe with SIGPIPE
 * ignored) is reported like any other output's.
 */
static int close_stdout(int status)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	int e = errno;
	cli_error("<stdout>: cannot write: %s", e ? strerror(e) : "write error");
	return status == CLI_EXIT_OK ? CLI_EXIT_OUTPUT : status;
}

/* The first argument that is no option: the command; the rest are its own. */
static int command_found(void *self, const char *value, cli_parse *p)
{
	(void)value;
	*(int *)self = p->i;
	return 1;
}

/* Before a command: the global options only (cli_global_opts). */
static const cli_command_spec main_spec = {
    .opts = cli_global_opts, .help = usage, .positional = command_found, .column = 20};

static int run(int argc, char **argv)
{
	cli_common common = {0};
	int i = 0;
	int status = CLI_EXIT_USAGE;
	int pr = cli_parse_args(&main_spec, argc, argv, &i, &common);
	if (pr < 0)
		goto out;
	if (pr > 0 && i == 0) {
		status = CLI_EXIT_OK; /* --help, --version */
		goto out;
	}
	if (i == 0) {
		usage(stderr);
		goto out;
	}
	if (strcmp(argv[i], "help") == 0) {
		status = help(argc - i, argv + i, &common);
		goto out;
	}
	const struct command *c = find_command(argv[i]);
	if (c)
		status = c->fn(argc - i, argv + i, &common);
	else
		unknown_command(argv[i]);
out:
	free(common.plugins);
	return status;
}

int main(int argc, char **argv)
{
	if (reserve_std_fds() != 0)
		return CLI_EXIT_SOFTWARE; /* no /dev/null: nowhere to say so either */
	cli_catch_signals();
	return close_stdout(run(argc, argv));
}
