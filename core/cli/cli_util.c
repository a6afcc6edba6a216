/*
 * Helpers shared by the commands: messages, plugin discovery, the
 * diagnostics sink, file identity and the global options.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_config.h"
#include "cli.h"

/*
 * The collector of the command this thread runs, if any: the command's own
 * messages go where the library's go (printed in --diagnostics-format,
 * written to the report). Per thread: a command that runs files in
 * threads gives each its own.
 */
static _Thread_local cli_diags *active;

cli_diags *cli_diags_begin(cli_diags *d)
{
	cli_diags *prev = active;
	active = d;
	return prev;
}

/* The place cli_error's messages are about, while cli_locate has set one. */
static _Thread_local struct {
	const char *file;
	unsigned long line, col;
} here;

void cli_locate(const char *file, unsigned long line, unsigned long col)
{
	here.file = file;
	here.line = line;
	here.col = col;
}

CW_PRINTF(2, 0) static void vmessage(enum cw_severity sev, const char *fmt, va_list ap)
{
	if (!active) {
		if (here.file)
			fprintf(stderr, "crosswalk: %s:%lu:%lu: %s: ", here.file, here.line, here.col,
			        cw_severity_name(sev));
		else
			fprintf(stderr, "crosswalk: %s: ", cw_severity_name(sev));
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	cw_buf msg = CW_BUF_INIT;
	char small[1024];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= 0 && (size_t)n < sizeof small) {
		cw_buf_append(&msg, small, (size_t)n);
	} else if (n >= 0 && cw_buf_reserve(&msg, (size_t)n + 1) == CW_OK) {
		vsnprintf(msg.data, (size_t)n + 1, fmt, ap2);
		msg.len = (size_t)n;
	}
	va_end(ap2);
	cw_diag d = {.struct_size = sizeof d,
	             .severity = sev,
	             .kind = CW_DIAG_GENERAL,
	             .code = sev >= CW_SEV_ERROR ? CW_EINVAL : CW_OK,
	             .message = msg.len ? cw_buf_str(&msg) : "(no message)",
	             .file = here.file,
	             .at = {.line = (uint32_t)here.line, .column = (uint32_t)here.col},
	             .diag_code = active->phase ? active->phase : CW_DIAG_CODE_USAGE};
	cli_diag_sink(active, &d);
	cw_buf_free(&msg);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(CW_SEV_ERROR, fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(CW_SEV_WARNING, fmt, ap);
	va_end(ap);
}

void cli_oom(void)
{
	cli_error("out of memory");
	exit(CLI_EXIT_SOFTWARE);
}

char *cli_strdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		cli_oom();
	return p;
}

/* Directory of the running executable, or "" if unknown. */
static void exe_dir(cw_buf *out)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (slash)
		cw_buf_append(out, path, (size_t)(slash - path));
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Prints each line of err as a warning. */
static void warn_lines(cw_buf *err)
{
	const char *p = cw_buf_str(err);
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		cli_warning("%.*s", len, p);
		if (!nl)
			break;
		p = nl + 1;
	}
	cw_buf_clear(err);
}

int cli_open_registry(cw_registry **out, const cli_common *common)
{
	*out = NULL;
	cw_registry *reg = NULL;
	if (cw_registry_new(&reg))
		return CLI_EXIT_SOFTWARE;
	int status = cli_load_plugins(reg, common);
	if (status != CLI_EXIT_OK)
		cw_registry_free(reg);
	else
		*out = reg;
	return status;
}

int cli_load_plugins(cw_registry *reg, const cli_common *common)
{
	cw_buf err = CW_BUF_INIT;
	for (size_t i = 0; i < common->nplugins; i++) {
		if (cw_registry_load_file(reg, common->plugins[i], &err) != CW_OK) {
			cli_error("%s", cw_buf_str(&err));
			cw_buf_free(&err);
			return CLI_EXIT_PLUGIN;
		}
	}
	cw_registry_load_path(reg, getenv("CROSSWALK_PLUGIN_PATH"), &err);

	cw_buf dir = CW_BUF_INIT, path = CW_BUF_INIT;
	exe_dir(&dir);
	if (dir.len) {
		/* running from a build tree: its own plugins come before installed ones */
		cw_buf_printf(&path, "%s/plugins/%s", dir.data, CW_BUILD_TREE_STAMP);
		if (is_file(cw_buf_str(&path))) {
			cw_buf_clear(&path);
			cw_buf_printf(&path, "%s/plugins", dir.data);
			cw_registry_load_dir(reg, path.data, &err);
		}
		/* a relocated install: <prefix>/bin/crosswalk and
		 * <prefix>/<libdir>/crosswalk/plugins */
		cw_buf_clear(&path);
		cw_buf_printf(&path, "%s/../%s/crosswalk/plugins", dir.data, CW_INSTALL_LIBDIR_REL);
		char *moved = realpath(cw_buf_str(&path), NULL);
		char *installed = realpath(cw_registry_install_dir(), NULL);
		if (moved && is_dir(moved) && (!installed || strcmp(moved, installed) != 0))
			cw_registry_load_dir(reg, moved, &err);
		free(moved);
		free(installed);
	}
	cw_registry_load_dir(reg, cw_registry_install_dir(), &err);
	if (!common->quiet)
		warn_lines(&err);
	cw_buf_free(&err);
	cw_buf_free(&dir);
	cw_buf_free(&path);
	return CLI_EXIT_OK;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Counts d among the messages of its kind in its file; 1 when it is past
 * the first CLI_DIAG_SHOWN of them (then it is only counted). Messages
 * without a format, and kinds beyond the table's room, are always shown.
 */
static int counted_only(cli_diags *st, const cw_diag *d, enum cw_diag_code code)
{
	if (!d->format || d->struct_size < sizeof *d)
		return 0;
	cli_diag_group *g = NULL;
	for (size_t i = 0; i < st->ngroups && !g; i++) {
		cli_diag_group *c = &st->groups[i];
		if (c->format == d->format && c->field == d->field && c->severity == d->severity &&
		    same_str(c->file, d->file) && same_str(c->detail, d->detail))
			g = c;
	}
	if (!g) {
		if (st->ngroups == CLI_DIAG_GROUPS)
			return 0;
		if (!st->groups && !(st->groups = calloc(CLI_DIAG_GROUPS, sizeof *st->groups)))
			return 0;
		g = &st->groups[st->ngroups++];
		*g = (cli_diag_group){.format = d->format,
		                      .field = d->field,
		                      .severity = d->severity,
		                      .code = code,
		                      .file = d->file ? strdup(d->file) : NULL,
		                      .detail = d->detail ? strdup(d->detail) : NULL};
		cw_buf m = CW_BUF_INIT;
		cw_buf_append_escaped(&m, d->message, CW_NUL);
		if (m.len > 160) {
			size_t cut = 157;
			while (cut && ((unsigned char)m.data[cut] & 0xC0) == 0x80)
				cut--; /* not inside a UTF-8 sequence */
			m.len = cut;
			m.data[cut] = '\0';
			cw_buf_append(&m, "...", 3);
		}
		g->first = m.data; /* the buffer's string, owned from here */
	}
	return ++g->count > CLI_DIAG_SHOWN;
}

void cli_diags_end(cli_diags *d, cli_diags *prev)
{
	cli_diag_summary(d, NULL);
	cw_ostream_close(d->report);
	d->report = NULL;
	cw_buf_free(&d->line);
	cw_buf_free(&d->pending);
	cli_diags_begin(prev);
}

void cli_diag_summary(cli_diags *st, const char *report)
{
	cli_loss_summary(st);
	for (size_t i = 0; i < st->ngroups; i++) {
		cli_diag_group *g = &st->groups[i];
		if (g->count > CLI_DIAG_SHOWN) {
			cw_buf line = CW_BUF_INIT;
			cw_buf_append(&line, "crosswalk: ", CW_NUL);
			if (g->file) {
				cw_buf_append_escaped(&line, g->file, CW_NUL);
				cw_buf_append(&line, ": ", 2);
			}
			cw_buf_printf(&line, "%s: ... and %zu more like \"%s\"",
			              cw_severity_name(g->severity), g->count - CLI_DIAG_SHOWN,
			              g->first ? g->first : "the above");
			if (report)
				cw_buf_printf(&line, " (all are in %s)", report);
			else
				cw_buf_append(&line, " (-v or --report shows them all)", CW_NUL);
			if (st->format == CLI_DIAGS_TEXT) {
				fprintf(stderr, "%s\n", cw_buf_str(&line));
			} else {
				/* the same as a diagnostic of the kind, with its count */
				cw_buf msg = CW_BUF_INIT;
				cw_buf_printf(&msg, "... and %zu more like \"%s\"",
				              g->count - CLI_DIAG_SHOWN,
				              g->first ? g->first : "the above");
				cw_diag d = {.struct_size = sizeof d,
				             .severity = g->severity,
				             .file = g->file,
				             .field = g->field,
				             .detail = g->detail,
				             .message = cw_buf_str(&msg),
				             .diag_code = g->code};
				cli_diag_print(st, &d, g->count - CLI_DIAG_SHOWN);
				cw_buf_free(&msg);
			}
			cw_buf_free(&line);
		}
		free(g->file);
		free(g->detail);
		free(g->first);
	}
	free(st->groups);
	st->groups = NULL;
	st->ngroups = 0;
}

void cli_diag_sink(void *ud, const cw_diag *d)
{
	cli_diags *st = ud;
	enum cw_diag_code code = cw_diag_code_of(d);
	switch (d->severity) {
	case CW_SEV_NOTE:
		st->counts.notes++;
		break;
	case CW_SEV_WARNING:
		st->counts.warnings++;
		break;
	default:
		st->counts.errors++;
		break;
	}
	if (code == CW_DIAG_CODE_NOT_CARRIED)
		st->counts.not_carried++;
	else if (code == CW_DIAG_CODE_ACCEPTED_LOSS)
		st->counts.accepted_losses++;
	int show = d->severity >= CW_SEV_ERROR || (st->quiet <= 0 && d->severity == CW_SEV_WARNING) ||
	           (st->quiet < 0 && d->severity == CW_SEV_NOTE);
	/* -v shows every message; otherwise a loss is counted for the run's
	 * summary and a kind repeated in one file is summarised */
	if (show && st->quiet >= 0 && d->kind == CW_DIAG_NOT_CARRIED &&
	    d->severity == CW_SEV_WARNING && cli_loss_counted(st, d))
		show = 0;
	else if (show && st->quiet >= 0 && counted_only(st, d, code))
		show = 0;
	if (show)
		cli_diag_print(st, d, 0);
	if (!st->report && st->no_pending)
		return;
	/* one element of the report's "diagnostics" array, written now: the
	 * report is never held in memory (but for the command's own messages
	 * before it is opened) */
	cw_buf *r = st->report ? &st->line : &st->pending;
	if (st->report)
		cw_buf_clear(r);
	cw_buf_append(r, (st->report ? st->count : st->npending) ? ",\n    " : "\n    ", CW_NUL);
	cli_diag_json(r, d);
	if (!st->report) {
		st->npending++;
		return;
	}
	st->count++;
	/* a failed write sticks to the stream: committing the report reports it */
	cw_ostream_write(st->report, r->data, r->len);
}

const char *cli_diag_limit(const cw_diag *d)
{
	if (d->struct_size < offsetof(cw_diag, limit) + sizeof d->limit || !d->limit)
		return NULL;
	return cw_limit_key((enum cw_limit)d->limit);
}

void cli_diag_hint(cw_buf *out, const cw_diag *d)
{
	const char *key = cli_diag_limit(d);
	if (key)
		cw_buf_printf(out, "; raise it with --limit %s=N", key);
}

void cli_diag_text(cw_buf *out, const cw_diag *d)
{
	cw_buf_append(out, "crosswalk: ", CW_NUL);
	cw_diag_format(d, out);
	cli_diag_hint(out, d);
}

/* What a name from the command line leads to, for cli_same_file. */
typedef struct file_key {
	enum { KEY_FILE, KEY_DEVICE, KEY_NEW, KEY_NAME } kind;
	dev_t dev;
	ino_t ino;
	const char *name; /* KEY_NEW: the last component; KEY_NAME: the whole path */
	size_t name_len;
} file_key;

static file_key key_of(const char *path, int std_fd)
{
	struct stat st;
	file_key k = {.kind = KEY_NAME, .name = path, .name_len = strlen(path)};
	int is_std = strcmp(path, "-") == 0;
	if (is_std ? fstat(std_fd, &st) == 0 : stat(path, &st) == 0) {
		k.kind = S_ISCHR(st.st_mode) ? KEY_DEVICE : KEY_FILE;
		k.dev = st.st_dev;
		k.ino = st.st_ino;
		return k;
	}
	if (is_std)
		return k;
	/* not there yet: the file it would be is its directory's entry */
	const char *slash = strrchr(path, '/');
	char dir[4096];
	if (!slash) {
		strcpy(dir, ".");
	} else if ((size_t)(slash - path) < sizeof dir) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		if (slash == path)
			strcpy(dir, "/");
	} else {
		return k;
	}
	if (stat(dir, &st) != 0)
		return k;
	k.kind = KEY_NEW;
	k.dev = st.st_dev;
	k.ino = st.st_ino;
	k.name = slash ? slash + 1 : path;
	k.name_len = strlen(k.name);
	return k;
}

int cli_same_file(const char *a, int std_a, const char *b, int std_b)
{
	if (strcmp(a, "-") == 0 && strcmp(b, "-") == 0 && std_a == std_b)
		return 1;
	file_key x = key_of(a, std_a), y = key_of(b, std_b);
	if (x.kind != y.kind || x.kind == KEY_DEVICE)
		return 0;
	if (x.kind != KEY_NAME && (x.dev != y.dev || x.ino != y.ino))
		return 0;
	if (x.kind == KEY_FILE)
		return 1;
	return x.name_len == y.name_len && memcmp(x.name, y.name, x.name_len) == 0;
}

static int add_plugin(void *self, const char *value, cli_parse *p)
{
	(void)p;
	cli_common *common = self;
	const char **v = realloc(common->plugins, (common->nplugins + 1) * sizeof *v);
	if (!v) {
		cli_error("out of memory");
		return -1;
	}
	common->plugins = v;
	v[common->nplugins++] = value;
	return 0;
}

static int set_diag_format(void *self, const char *value, cli_parse *p)
{
	(void)p;
	cli_common *common = self;
	static const char *const names[] = {
	    [CLI_DIAGS_TEXT] = "text", [CLI_DIAGS_JSON] = "json", [CLI_DIAGS_GITHUB] = "github"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		if (strcmp(value, names[k]) == 0) {
			common->diag_format = (enum cli_diag_format)k;
			if (active)
				active->format = common->diag_format;
			return 0;
		}
	}
	cli_error("--diagnostics-format takes text, json or github, not '%s'", value);
	return -1;
}

/* --help: the help of the command being parsed (before a command: crosswalk's). */
static int print_help(void *self, const char *value, cli_parse *p)
{
	(void)self, (void)value;
	cli_help(stdout, p->spec);
	return 1;
}

static int print_version(void *self, const char *value, cli_parse *p)
{
	(void)self, (void)value, (void)p;
	printf("crosswalk %s (plugin ABI %u.%u)\n", cw_version_string(),
	       (unsigned)(cw_abi_version() >> 16), (unsigned)(cw_abi_version() & 0xFFFF));
	return 1;
}

/* The options of crosswalk --help's "global options", taken by every command too. */
const cli_opt cli_global_opts[] = {
    CLI_CALL(0, "plugin", "FILE", add_plugin, "load a plugin file (repeatable; tried first)"),
    CLI_FLAG('q', "quiet", cli_common, quiet, "print errors only"),
    CLI_FLAG('v', "verbose", cli_common, verbose, "also print notes"),
    CLI_CALL(0, "diagnostics-format", "text|json|github", set_diag_format,
             "how diagnostics are printed on standard error"),
    CLI_CALL('h', "help", NULL, print_help, "this help; 'crosswalk help COMMAND' for a command"),
    CLI_CALL('V', "version", NULL, print_version, "print the version"),
    CLI_END,
};
