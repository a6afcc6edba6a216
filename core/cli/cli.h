/*
 * Shared declarations of the crosswalk command-line program.
 */
#ifndef CW_CLI_H
#define CW_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crosswalk/crosswalk.h"

/*
 * X(NAME, value, "meaning") - documented in --help, crosswalk(1) and the
 * user guide. --strict with a skipped record is INPUT, not PARTIAL: the
 * run stops and writes no output, and PARTIAL promises outputs with the
 * readable records.
 */
#define CLI_EXIT_CODES(X)                                                                   \
	X(OK, 0, "success (warnings may have been printed)")                                 \
	X(PARTIAL, 1,                                                                        \
	  "finished, but some records could not be read and were skipped (without "          \
	  "--strict); --check: an output would change or does not exist")                    \
	X(USAGE, 2,                                                                          \
	  "bad command line: unknown option, format or filter, missing argument, one file "   \
	  "named twice")                                                                     \
	X(INPUT, 3,                                                                          \
	  "the input could not be read, is invalid or hit a safety limit (--strict: a "       \
	  "record was skipped)")                                                             \
	X(OUTPUT, 4, "an output could not be written")                                       \
	X(NOT_CARRIED, 5, "--strict: a writer could not carry a field")                      \
	X(PLUGIN, 6, "a plugin named with --plugin could not be loaded")                     \
	X(SOFTWARE, 70, "internal error")

enum cli_exit {
#define X(name, value, doc) CLI_EXIT_##name = value,
	CLI_EXIT_CODES(X)
#undef X
	CLI_EXIT_CHANGED = CLI_EXIT_PARTIAL, /* --check: an output would change */
};

/* --diagnostics-format: how diagnostics are printed on standard error. */
enum cli_diag_format {
	CLI_DIAGS_TEXT = 0, /* "crosswalk: FILE:LINE:COL: warning: [record] message" */
	CLI_DIAGS_JSON,     /* one JSON object per line, as in the --report file */
	CLI_DIAGS_GITHUB    /* GitHub Actions workflow commands (::warning file=...::) */
};

/* Options every command understands. */
typedef struct cli_common {
	const char **plugins; /* --plugin FILE */
	size_t nplugins;
	int quiet;
	int verbose;
	enum cli_diag_format diag_format;
	/* the output directories were swept for the temporaries of ended runs:
	 * outputs are opened with CW_OSTREAM_NO_SWEEP (many files, one sweep) */
	int swept;
} cli_common;

/* A command's entry point: argv[0] is the command name. */
typedef int cli_command_fn(int argc, char **argv, cli_common *common);

int cli_convert(int argc, char **argv, cli_common *common);
/*
 * cli_convert with plugins already loaded into loaded (not freed), or NULL
 * to load them as cli_convert does: batch's conversions share the batch's
 * registry, its crosswalk tables parsed once (cw_registry_prepare_tables).
 */
int cli_convert_loaded(int argc, char **argv, cli_common *common, cw_registry *loaded);
/*
 * The option NAME of the first loaded format or filter that declares it,
 * among the stages called STAGE (stage_len bytes) or, with stage NULL, all
 * of them; NULL when none does.
 */
const cw_option_spec *cli_find_option(const cw_registry *reg, const char *stage,
                                      size_t stage_len, const char *name);
int cli_batch(int argc, char **argv, cli_common *common);
int cli_formats(int argc, char **argv, cli_common *common);

/* --- cmd_convert.c: one conversion, for crosswalk convert and commands that convert many --- */

/* The options of a conversion (formats, filters, stage options, limits,
 * --strict, --report...) and its current input and outputs. */
typedef struct convert convert;

/* An output of a conversion: a file and the format to write it in. */
typedef struct cli_output_plan {
	const char *path; /* borrowed */
	const cw_format *fmt;
} cli_output_plan;

/*
 * Makes in (a file name, "-" for standard input) and outs the files of c's
 * next conversion; both are borrowed until the next call or the end of c.
 */
void cli_convert_set_files(convert *c, const char *in, const cli_output_plan *outs, size_t nouts);

/*
 * Converts c's input into its outputs with c's options, in a context and
 * pipeline of its own: commits every output or none, writes c's --report,
 * prints its diagnostics. May be called again on c with other files.
 * Returns an exit status (enum cli_exit).
 */
int cli_convert_file(convert *c, const cw_registry *reg, cli_common *common);

/* The format called name that can do caps, or -1 after an error naming those that can. */
int cli_resolve_format(const cw_registry *reg, const char *name, unsigned caps,
                       const cw_format **out);

/* --- convert_many.c: convert IN... --output-dir DIR -t FORMAT... --- */

typedef struct cli_many {
	const char *const *inputs;
	size_t ninputs;
	const char *dir;
	const char *const *formats; /* names from -t, in order */
	size_t nformats;
	const char *report; /* --report, or NULL */
	int check;          /* --check: nothing is written (nor swept) */
} cli_many;

/*
 * Writes DIR/STEM.EXT for each input and each format, each input converted
 * on its own with c's options. Checks first that no two inputs would write
 * the same file and that no output is an input (nothing is written
 * otherwise). A failed input does not stop the others. Returns the worst
 * exit status of all.
 */
int cli_convert_many(convert *c, const cw_registry *reg, cli_common *common, const cli_many *m);

/*
 * The length of the longest extension (".EXT", ASCII case ignored) of a
 * format with caps (0: any format) that name[0..len) ends in, or 0.
 */
size_t cli_known_extension(const cw_registry *reg, const char *name, size_t len, unsigned caps);
/*
 * Appends the STEM of a file: its base name without the longest extension a
 * format declares ("a.dc.xml" -> "a", "refs.csl.json" -> "refs"), else
 * without its last ".EXT" ("a.txt" -> "a"); a name that is only an
 * extension (".bib") or has none stays whole. {stem} of batch, STEM of
 * --output-dir.
 */
void cli_stem(const cw_registry *reg, const char *path, cw_buf *out);

/* The worse of two exit statuses (the higher): a run of many files exits with the worst. */
int cli_exit_worst(int a, int b);

/*
 * cli_crash.c: holds (1) or releases (0) the signals that end a run (SIGHUP,
 * SIGINT, SIGTERM, SIGPIPE), so that renaming a group of files is not cut in
 * half; a signal that came meanwhile ends the process on release.
 */
void cli_hold_signals(int hold);

/* --- cli_crash.c --- */

/*
 * Installs the handler of SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT: one
 * line naming the plugin that crashed, its stage and the place ("crosswalk:
 * plugin bibtex crashed (SIGSEGV) while reading x.bib:12"), the temporary
 * outputs removed, then death by the same signal. The signals in also_block
 * wait while it runs. Gives the calling thread its alternate stack.
 */
void cli_catch_crashes(const int *also_block, size_t nblock);
/*
 * What main() installs: SIGHUP, SIGINT, SIGTERM and SIGPIPE remove the
 * temporary outputs, then end the process (those a caller ignores stay
 * ignored); SIGXFSZ is ignored; crashes as cli_catch_crashes. A batch's
 * conversion (a forked process) installs them again.
 */
void cli_catch_signals(void);
/*
 * Gives the calling thread the alternate signal stack the handler runs on
 * (a stack overflow is a SIGSEGV too). Each thread that runs a pipeline
 * calls it once. Returns -1 when it cannot (the handler still runs on the
 * thread's own stack).
 */
int cli_crash_thread_init(void);
/*
 * Names the pipeline the calling thread runs, and the registry its plugins
 * came from, for the crash message; (NULL, NULL) when it runs none. Clear
 * it before cw_pipeline_free returns (cw_pipeline_current).
 */
void cli_crash_watch(const cw_registry *reg, const cw_pipeline *p);

/* --- cli_util.c --- */

/* "crosswalk: error: ..." on stderr. */
void cli_error(const char *fmt, ...) CW_PRINTF(1, 2);
/*
 * Until cli_locate(NULL, 0, 0): cli_error and cli_warning are about this
 * place in a file the command reads (file:line:col; a batch file).
 */
void cli_locate(const char *file, unsigned long line, unsigned long col);
void cli_warning(const char *fmt, ...) CW_PRINTF(1, 2);
/* "out of memory", then exit 70: for an allocation the command cannot go on without. */
_Noreturn void cli_oom(void);
/* strdup, or cli_oom. */
char *cli_strdup(const char *s);

/*
 * Loads plugins in discovery order: --plugin files, CROSSWALK_PLUGIN_PATH,
 * the build tree when running from one, the install directory. Returns an
 * exit code (CLI_EXIT_OK or CLI_EXIT_PLUGIN).
 */
int cli_load_plugins(cw_registry *reg, const cli_common *common);
/* A new registry with the plugins loaded (*out NULL on failure); an exit code. */
int cli_open_registry(cw_registry **out, const cli_common *common);

/* Messages of one kind (one printf format) in one file, counted. */
typedef struct cli_diag_group {
	const char *format; /* cw_diag.format: the same pointer for every message of a kind */
	enum cw_field field;
	enum cw_severity severity;
	enum cw_diag_code code;
	char *file, *detail; /* owned; NULL when the diagnostic had none */
	char *first;         /* owned: the first message of the kind, escaped */
	size_t count;
} cli_diag_group;

/* Not-carried warnings of one writer format, one loss and kind, counted for the run's summary. */
typedef struct cli_loss_group {
	char *plugin, *loss; /* owned */
	int accepted;
	enum cw_loss_kind kind;
	char *last_record; /* owned: the record of the last report, to count records */
	size_t records;
} cli_loss_group;

/* What the sink has seen, for the report's summary. */
typedef struct cli_diag_counts {
	uint64_t notes, warnings, errors, not_carried, accepted_losses;
} cli_diag_counts;

/*
 * Collects diagnostics: prints them and streams them into the --report
 * file as they come. Nothing per diagnostic is kept: memory does not grow
 * with their number. The command's own errors (cli_error) come here too
 * while it is the thread's active collector (cli_diags_begin), with the
 * code of the step the command is in (phase).
 */
typedef struct cli_diags {
	int quiet;
	enum cli_diag_format format;
	cw_ostream *report; /* owned: the report's stream, or NULL without --report */
	size_t count;       /* diagnostics written to report */
	cw_buf line;        /* scratch for one diagnostic */
	cli_diag_group *groups; /* for summaries, at most CLI_DIAG_GROUPS */
	size_t ngroups;
	cli_loss_group *losses; /* not-carried warnings, at most CLI_LOSS_GROUPS */
	size_t nlosses;
	cw_buf pending; /* report entries made before the report is opened: the
	                   command's own few messages */
	size_t npending;
	int no_pending;          /* no report will be opened: keep nothing */
	enum cw_diag_code phase; /* code of cli_error's messages now */
	cli_diag_counts counts;
} cli_diags;

/* Messages of one kind printed per file before the rest are only counted. */
#define CLI_DIAG_SHOWN 20
#define CLI_DIAG_GROUPS 512
#define CLI_LOSS_GROUPS 1024

/*
 * Prints d unless -q or a summary hides it, and writes it to d->report
 * (or keeps it for the report until it is opened). A not-carried warning
 * is only counted (cli_loss_counted) unless -v.
 */
void cli_diag_sink(void *ud, const cw_diag *d);
/*
 * Prints one line per writer format and loss whose warnings were counted
 * ("not carried by bibtex: affiliations (20 records)"), then "... and N
 * more" for each kind of message that was printed more than CLI_DIAG_SHOWN
 * times in one file; report names the --report file (or NULL). Frees the
 * counts.
 */
void cli_diag_summary(cli_diags *d, const char *report);
/*
 * Ends a collector: the summaries of a run that stopped early, the report
 * closed (one not committed leaves no file), buffers freed; then prev is the
 * thread's collector again.
 */
void cli_diags_end(cli_diags *d, cli_diags *prev);

/* Makes d the thread's collector of cli_error and cli_warning; NULL ends it. */
cli_diags *cli_diags_begin(cli_diags *d); /* returns the one it replaces */

/* The key of the limit a diagnostic is about ("record-bytes"; cw_diag.limit), or NULL. */
const char *cli_diag_limit(const cw_diag *d);
/*
 * Appends what the library leaves to the program: the way to raise the
 * limit d is about ("; raise it with --limit record-bytes=N"), if any.
 */
void cli_diag_hint(cw_buf *out, const cw_diag *d);
/* Appends d as a line of text: "crosswalk: " and cw_diag_format's line, then cli_diag_hint. */
void cli_diag_text(cw_buf *out, const cw_diag *d);

/* --- cli_report.c: the --report file and the printed forms --- */

/* Appends d as one JSON object (the report's and --diagnostics-format=json's form). */
void cli_diag_json(cw_buf *out, const cw_diag *d);
/* Prints d on stderr in st->format; count > 0 adds "count" (a summary line). */
void cli_diag_print(cli_diags *st, const cw_diag *d, size_t count);
/* Whether d, a not-carried warning, is counted for the summary (1) rather than printed. */
int cli_loss_counted(cli_diags *st, const cw_diag *d);
/* Prints the loss summary lines and frees the groups. */
void cli_loss_summary(cli_diags *st);
/*
 * Prints one summary line of a loss, "not carried by PLUGIN: LOSS (COUNTS)"
 * ("degraded by ..." for a degraded one) in st's format: a warning, or for
 * an accepted loss a note shown only with -v; nothing with -q (st->quiet).
 */
void cli_loss_print(cli_diags *st, const char *plugin, const char *loss, int accepted,
                    enum cw_loss_kind kind, size_t records, const char *counts);
/*
 * Opens the --report file (atomic: it appears when committed) and writes
 * its head and the entries kept until now. Returns 0, or -1 having said why.
 */
int cli_report_open(cli_diags *d, const char *path);
/* The run's figures for the report's summary. */
typedef struct cli_run_summary {
	uint64_t records_read, records_skipped, records_written;
	int exit_status;
} cli_run_summary;
/* Writes the summary, commits the report and closes it. Returns 0, or -1 having said why. */
int cli_report_finish(cli_diags *d, const char *path, const cli_run_summary *sum);

/* --- cli_losses.c: --allow-loss and --allow-loss-from --- */

/*
 * Accepts the loss of "[FORMAT:]FIELD" in ctx: FORMAT a writer format of
 * reg or "*" (any), FIELD as cw_context_accept_loss takes it. Returns 0, or
 * -1 having said why.
 */
int cli_accept_loss(cw_context *ctx, const cw_registry *reg, const char *spec);
/*
 * Accepts every loss a --report file lists (its "not-carried" and
 * "accepted-loss" entries: writer format and field). The file is read as
 * a stream: memory does not grow with its size. Returns 0, or -1 having
 * said why.
 */
int cli_accept_losses_from(cw_context *ctx, const char *path);

/*
 * Whether two names from the command line lead to the same file. An
 * existing file is compared by device and inode (through any path, link
 * or hard link), one that does not exist yet by its directory's device and
 * inode and its name. "-" is the standard stream std_a or std_b (0 for the
 * input, 1 for an output); two "-" of the same stream are the same. A
 * character device (a terminal, /dev/null) is never the same as another
 * name: writing it twice loses nothing.
 */
int cli_same_file(const char *a, int std_a, const char *b, int std_b);

/*
 * Handles a global option (cli_global_opts: --plugin, --quiet, ...) at
 * argv[i], for a look at the command line before it is parsed. Returns the
 * number of argv entries consumed (0 if argv[i] is no global option, -1 on
 * error, said).
 */
int cli_common_option(int argc, char **argv, int i, cli_common *common);

/* --- cli_opt.c: a command's options, parsed and documented from one table --- */

typedef struct cli_parse cli_parse;
typedef struct cli_command_spec cli_command_spec;

/*
 * What an option does with its value (NULL when it takes none, or an
 * optional one is not given). self is the command's struct (cli_common for
 * a global option). Returns 0 to go on, 1 to stop with success (a help or
 * the version was printed, main's command was found), -1 after an error it
 * has said.
 */
typedef int cli_opt_fn(void *self, const char *value, cli_parse *p);

enum cli_opt_action {
	CLI_OPT_FLAG,   /* the int member is set to 1 */
	CLI_OPT_STRING, /* the const char * member is set to the value (the last given wins) */
	CLI_OPT_APPEND, /* the value is appended to the cli_strings member */
	CLI_OPT_CALL,   /* fn(self, value, p) */
	CLI_OPT_GLOBAL, /* the option of cli_global_opts with this name; the row is its
	                   entry in this command's help, in the command's words */
};

/* cli_opt.flags */
enum {
	CLI_OPT_OPTIONAL = 1, /* the value is optional, given only as --NAME=VALUE */
	CLI_OPT_ANY = 2,      /* any --NAME no other row (nor a global option) is: fn gets
	                         "NAME[=VALUE]" and may cli_parse_take a value */
};

/*
 * One option of a command: how it is spelled, what its help says and what
 * it does. A command's table is all it parses and all its --help lists of
 * its options; add an option by adding a row (docs/hacking.md).
 */
typedef struct cli_opt {
	const char *name;    /* long name without "--"; NULL ends a table */
	char short_name;     /* 'f' for -f, or 0 */
	const char *metavar; /* its value as the help names it ("FORMAT"); NULL: takes none */
	unsigned flags;      /* CLI_OPT_OPTIONAL, CLI_OPT_ANY */
	enum cli_opt_action action;
	size_t member;  /* FLAG, STRING, APPEND: offsetof the member in the command's struct */
	cli_opt_fn *fn; /* CALL */
	/* the help, lines parted by '\n'; NULL: this option shares the help of the
	 * row before and is listed on its line ("--a X, --b Y") */
	const char *help;
} cli_opt;

/* Rows of a table: CLI_FLAG('s', "strict", convert, strict, "stop on ...") */
/* clang-format off */
#define CLI_FLAG(s, name, type, member, help)                                              \
	{name, s, NULL, 0, CLI_OPT_FLAG, offsetof(type, member), NULL, help}
#define CLI_STRING(s, name, metavar, type, member, help)                                   \
	{name, s, metavar, 0, CLI_OPT_STRING, offsetof(type, member), NULL, help}
#define CLI_APPEND(s, name, metavar, type, member, help)                                   \
	{name, s, metavar, 0, CLI_OPT_APPEND, offsetof(type, member), NULL, help}
#define CLI_CALL(s, name, metavar, fn, help) {name, s, metavar, 0, CLI_OPT_CALL, 0, fn, help}
#define CLI_GLOBAL(s, name, metavar, help) {name, s, metavar, 0, CLI_OPT_GLOBAL, 0, NULL, help}
#define CLI_END {NULL, 0, NULL, 0, CLI_OPT_FLAG, 0, NULL, NULL}
/* clang-format on */

/* What CLI_OPT_APPEND appends to. */
typedef struct cli_strings {
	const char **v; /* borrowed from argv */
	size_t n;
} cli_strings;

/* A command's options and help. */
struct cli_command_spec {
	const char *name;    /* "convert", for "see 'crosswalk convert --help'"; NULL: main */
	const cli_opt *opts; /* ends with CLI_END */
	const char *usage;   /* the help before the options */
	const char *epilog;  /* and after them, or NULL */
	/* prints the whole help instead, when it is not fixed text (main's) */
	void (*help)(FILE *f);
	cli_opt_fn *positional; /* an argument that is no option; NULL: none is taken */
	int column;             /* where an option's help starts */
	int align; /* long options without a short one line up with those that have one */
};

/* The commands' specs (cmd_convert.c, cmd_batch.c, cmd_formats.c), for tests/cli/options.c. */
extern const cli_command_spec cli_convert_spec, cli_batch_spec, cli_formats_spec;

/* The options every command takes (--plugin, -q, -v, --diagnostics-format, -h, -V);
 * their struct is cli_common. crosswalk --help lists them. */
extern const cli_opt cli_global_opts[];

/* The state of a parse, given to options' functions. */
struct cli_parse {
	int argc;
	char **argv;
	int i;                        /* argv[i] is the argument being parsed */
	const cli_command_spec *spec; /* the command's */
	cli_common *common;
	const cli_opt *opt; /* the row of argv[i] (NULL for a positional argument) */
};

/*
 * Parses argv[1..argc) with spec's table and the global options into self
 * (the command's struct) and common. "--" makes every argument after it
 * positional. Returns 0 when all was parsed, 1 when an option or the
 * positional function stopped with success, -1 after a usage error (said:
 * unknown option, a value missing or given to an option that takes none).
 */
int cli_parse_args(const cli_command_spec *spec, int argc, char **argv, void *self,
                   cli_common *common);

/* The argument after the current one, consumed as its value; NULL at the end. */
const char *cli_parse_take(cli_parse *p);

/* Prints spec's --help: its usage, options and epilog (or spec->help's text). */
void cli_help(FILE *f, const cli_command_spec *spec);

/*
 * Prints spec's options as --help lists them: "  -f, --from FORMAT   help",
 * the help at spec->column (on a line of its own below an option too long).
 */
void cli_opt_help(FILE *f, const cli_command_spec *spec);

/*
 * The row of table that argv entry arg ("-f", "-fX", "--from", "--from=X")
 * names, or NULL (CLI_OPT_ANY rows match no name). For tests and for
 * cli_parse_args.
 */
const cli_opt *cli_opt_find(const cli_opt *table, const char *arg);

/* --- cli_diff.c --- */

/* Steps of the diff search before it gives up (about a second's work). */
#define CLI_DIFF_MAX_COST 100000000u

typedef struct cli_diff_opts {
	unsigned context;  /* common lines around each change (diff -u: 3) */
	uint64_t max_cost; /* steps of the search before "too different to show" */
} cli_diff_opts;
#define CLI_DIFF_OPTS_INIT {3, CLI_DIFF_MAX_COST}

enum cli_diff_result {
	CLI_DIFF_ERROR = -1,        /* out of memory: nothing written */
	CLI_DIFF_SAME = 0,          /* equal bytes: nothing written */
	CLI_DIFF_SHOWN = 1,         /* a unified diff was written */
	CLI_DIFF_TOO_DIFFERENT = 2, /* "NEW: files differ (too different to show)" was written */
};

/*
 * Writes a unified diff (diff -u) from a (alen bytes, named a_name in the
 * "---" line) to b (named b_name in "+++") to out: lines of context around
 * each change, hunks whose context would overlap merged, a last line without
 * a newline marked "\ No newline at end of file". Memory is linear in the
 * lines whatever the texts; a search longer than opts->max_cost steps
 * writes the one line of CLI_DIFF_TOO_DIFFERENT instead. a and b are
 * borrowed and need no NUL; opts NULL means CLI_DIFF_OPTS_INIT. Write
 * errors are left in ferror(out).
 */
int cli_diff(FILE *out, const char *a_name, const char *a, size_t alen, const char *b_name,
             const char *b, size_t blen, const cli_diff_opts *opts);

/* --- cli_check.c --- */

enum cli_check_result {
	CLI_CHECK_CURRENT, /* the file holds these bytes */
	CLI_CHECK_CHANGED, /* "crosswalk: PATH would change" */
	CLI_CHECK_MISSING, /* "crosswalk: PATH does not exist" */
	CLI_CHECK_ERROR,   /* it could not be read, or is no regular file: said why */
};

/*
 * Whether the file at path already holds data (len bytes, an output made in
 * memory), for --check. Reads the file once and writes nothing; says on
 * standard error which outputs would change or do not exist, and with
 * diff_out (NULL: none) writes their unified diff there ("--- /dev/null"
 * for a file that does not exist yet).
 */
enum cli_check_result cli_check_output(const char *path, const char *data, size_t len,
                                       FILE *diff_out);
/*
 * Refuses (with a message, returning -1) an output --check cannot compare:
 * standard output, or a path that exists and is no regular file (a device,
 * a FIFO, a directory). A missing file is fine: it would be created.
 */
int cli_check_comparable(const char *path);

#endif
