/*
 * crosswalk batch FILE.yaml: runs the conversions a batch file plans (see
 * batch.h), each as its own `crosswalk convert` process, up to -j at a
 * time. A process per file keeps the files independent (one that crashes
 * or hits a limit stops nothing else) and gives every file exactly what
 * `convert` does, options and reports included; what each process printed
 * is shown in the order of the files, so -j changes nothing but the time.
 */
#define _GNU_SOURCE /* mkdtemp, strsignal */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

enum { MAX_PARALLEL = 256 };

typedef struct options {
	const char *file;
	const char *report;
	long jobs;
	int strict, check, diff, dry_run;
	/* --allow-loss and --allow-loss-from, in order: "allow-loss", VALUE, ... */
	const char **loss_args;
	size_t nloss_args;
} options;

/* What one conversion gave. */
typedef struct result {
	int state; /* 0 waiting, 1 running, 2 done, 3 shown */
	pid_t pid;
	int status; /* exit status, 128+n for a signal */
	unsigned long long read, written, skipped;
	int has_report;
} result;

/*
 * For the signal handler: the processes running (it passes the signal on
 * and waits for them to clean up), the temporary directory and how many
 * tasks were started (it removes their files).
 */
static volatile pid_t running[MAX_PARALLEL];
static char tmp_dir[4096];
static volatile size_t started;

/* Appends the decimal digits of n to p (async-signal-safe). */
static char *put_num(char *p, size_t n)
{
	char d[24];
	int k = 0;
	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (k)
		*p++ = d[--k];
	return p;
}

static void on_signal(int sig)
{
	for (size_t i = 0; i < MAX_PARALLEL; i++)
		if (running[i] > 0)
			kill(running[i], sig);
	for (size_t i = 0; i < MAX_PARALLEL; i++)
		if (running[i] > 0)
			waitpid(running[i], NULL, 0);
	static const char *const ext[] = {".json", ".out", ".err"};
	size_t dl = strlen(tmp_dir);
	for (size_t i = 0; dl && dl < sizeof tmp_dir - 40 && i < started; i++) {
		for (size_t e = 0; e < 3; e++) {
			char path[sizeof tmp_dir];
			memcpy(path, tmp_dir, dl);
			path[dl] = '/';
			char *p = put_num(path + dl + 1, i);
			size_t el = strlen(ext[e]);
			memcpy(p, ext[e], el + 1);
			unlink(path);
		}
	}
	if (dl)
		rmdir(tmp_dir);
	cw_ostream_remove_temporaries(); /* the combined report's */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int set_jobs(void *self, const char *value, cli_parse *p)
{
	(void)p;
	options *o = self;
	char *end;
	errno = 0;
	long j = strtol(value, &end, 10);
	if (errno || *end || end == value || j < 1 || j > MAX_PARALLEL) {
		cli_error("-j takes a number from 1 to %d", MAX_PARALLEL);
		return -1;
	}
	o->jobs = j;
	return 0;
}

/* --allow-loss and --allow-loss-from: passed on to every job in their order. */
static int allow_loss(void *self, const char *value, cli_parse *p)
{
	options *o = self;
	const char **a = realloc(o->loss_args, (o->nloss_args + 2) * sizeof *a);
	if (!a)
		cli_oom();
	o->loss_args = a;
	a[o->nloss_args++] = p->opt->name;
	a[o->nloss_args++] = value;
	return 0;
}

static int batch_file(void *self, const char *value, cli_parse *p)
{
	(void)p;
	options *o = self;
	if (o->file) {
		cli_error("batch takes one file, not '%s' too", value);
		return -1;
	}
	o->file = value;
	return 0;
}

static const cli_opt batch_opts[] = {
    CLI_CALL('j', "jobs", "N", set_jobs, "conversions at a time (default: the number of cores)"),
    CLI_STRING(0, "report", "FILE.json", options, report, "one report of every conversion"),
    CLI_FLAG(0, "strict", options, strict, "every job --strict"),
    CLI_CALL(0, "allow-loss", "[FORMAT:]FIELD", allow_loss,
             "accepted in every job (a batch report is a baseline)"),
    CLI_CALL(0, "allow-loss-from", "REPORT.json", allow_loss, NULL),
    CLI_FLAG(0, "check", options, check, "write nothing; exit 1 when an output would change"),
    CLI_FLAG(0, "diff", options, diff, "with --check: show what would change"),
    CLI_GLOBAL(0, "diagnostics-format", "FORMAT", "passed to every conversion"),
    CLI_FLAG('n', "dry-run", options, dry_run, "list the conversions, run none"),
    CLI_GLOBAL('q', "quiet", NULL, "print errors only, no summary"),
    CLI_GLOBAL('v', "verbose", NULL, "also print notes"),
    CLI_END,
};

const cli_command_spec cli_batch_spec = {
    .name = "batch",
    .opts = batch_opts,
    .usage = "usage: crosswalk batch [OPTIONS] FILE.yaml\n\n"
             "Runs the conversions of a batch file: jobs of inputs (files, directories,\n"
             "globs) and output name templates ({dir}/{stem}.{ext}), each input converted\n"
             "by its own 'crosswalk convert' process.\n\n",
    .epilog = "\nThe exit status is the highest of the conversions'. See the user guide,\n"
              "\"Batch conversion\", for the file's keys.\n",
    .positional = batch_file,
    .column = 27,
    .align = 1,
};

static int parse(options *o, int argc, char **argv, cli_common *common)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cores > 0 ? cores : 1;
	int pr = cli_parse_args(&cli_batch_spec, argc, argv, o, common);
	if (pr)
		return pr;
	if (!o->file) {
		cli_error("no batch file; usage: crosswalk batch [OPTIONS] FILE.yaml");
		return -1;
	}
	if (o->diff && !o->check) {
		cli_error("--diff goes with --check");
		return -1;
	}
	return 0;
}

/* --- one conversion ------------------------------------------------------------ */

typedef struct argv_buf {
	char **v;
	size_t n;
} argv_buf;

static void arg(argv_buf *a, const char *s)
{
	char **v = realloc(a->v, (a->n + 2) * sizeof *v);
	if (!v)
		cli_oom();
	a->v = v;
	a->v[a->n] = cli_strdup(s);
	a->v[++a->n] = NULL;
}

/*
 * The convert command line of task t, from the command's name on (the
 * plugins are the batch's, already loaded).
 */
static void command(argv_buf *a, const cli_common *common, const options *o,
                    const batch_plan *plan, const batch_task *t, const char *report)
{
	const batch_job *j = &plan->jobs[t->job];
	arg(a, "convert");
	if (common->quiet)
		arg(a, "-q");
	if (common->verbose)
		arg(a, "-v");
	for (size_t i = 0; i < j->nargs; i++)
		arg(a, j->args[i]);
	if (o->strict)
		arg(a, "--strict");
	for (size_t i = 0; i + 1 < o->nloss_args; i += 2) {
		char opt[64];
		snprintf(opt, sizeof opt, "--%s", o->loss_args[i]);
		arg(a, opt);
		arg(a, o->loss_args[i + 1]);
	}
	if (o->check)
		arg(a, "--check");
	if (o->diff)
		arg(a, "--diff");
	if (common->diag_format != CLI_DIAGS_TEXT) {
		arg(a, "--diagnostics-format");
		arg(a, common->diag_format == CLI_DIAGS_JSON ? "json" : "github");
	}
	if (report) {
		arg(a, "--report");
		arg(a, report);
	}
	for (size_t i = 0; i < j->nouts; i++) {
		if (j->outs[i].format) {
			arg(a, "-t");
			arg(a, j->outs[i].format);
		}
		arg(a, "-o");
		arg(a, t->outputs[i]);
	}
	arg(a, "--");
	arg(a, t->input);
}

static char *tmp_name(const char *dir, size_t i, const char *what)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%zu.%s", dir, i, what) < 0)
		cli_oom();
	return p;
}

/* Makes the directories above path that are missing (mkdir -p of its dirname). */
static int make_parents(const char *path)
{
	char *d = strdup(path);
	if (!d)
		return -1;
	int rc = 0;
	for (char *p = strchr(d + 1, '/'); p && rc == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(d);
	return rc;
}

/* The signals the batch passes on to its conversions (on_signal). */
static const int batch_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NBATCH_SIGNALS (sizeof batch_signals / sizeof batch_signals[0])

static void batch_signal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t s = 0; s < NBATCH_SIGNALS; s++)
		sigaddset(set, batch_signals[s]);
}

/* Blocks (1) or restores (0) the signals the batch passes on. */
static void hold_batch_signals(int hold, sigset_t *old)
{
	sigset_t set;
	batch_signal_set(&set);
	sigprocmask(hold ? SIG_BLOCK : SIG_SETMASK, hold ? &set : old, hold ? old : NULL);
}

/*
 * Starts task i in a process of its own: a fork that runs the conversion
 * as `crosswalk convert` would, with the batch's plugins and their parsed
 * tables (no exec: a conversion of a small file costs a fraction of what
 * loading the plugins and parsing their tables again would). Its standard
 * output, error and report go to files in tmp.
 */
static pid_t start(cw_registry *reg, const cli_common *common, const options *o,
                   const batch_plan *plan, size_t i, const char *tmp)
{
	argv_buf a = {0};
	char *report = tmp_name(tmp, i, "json");
	char *out = tmp_name(tmp, i, "out"), *err = tmp_name(tmp, i, "err");
	/* the report goes to descriptor 3, written in place: it is read once
	 * and removed, so it needs no temporary file and no fsync */
	command(&a, common, o, plan, &plan->tasks[i], "/dev/fd/3");
	fflush(NULL); /* nothing buffered is written twice */
	sigset_t old;
	hold_batch_signals(1, &old); /* the batch's handler never runs in the child */
	pid_t pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int fr = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (in < 0 || fo < 0 || fe < 0 || fr < 0 || dup2(in, 0) < 0 || dup2(fo, 1) < 0 ||
		    dup2(fe, 2) < 0 || (fr != 3 && dup2(fr, 3) < 0))
			_exit(CLI_EXIT_SOFTWARE);
		/* main's handlers replace the batch's before the signals are let
		 * through: a signal removes this conversion's temporaries */
		cli_catch_signals();
		sigprocmask(SIG_SETMASK, &old, NULL);
		cli_diags_begin(NULL); /* the conversion has its own collector */
		/* the losses are summed up once for the batch (see loss_summary) */
		setenv("CROSSWALK_BATCH_CHILD", "1", 1);
		/* the batch swept the output directories once (sweep_outputs) */
		cli_common cc = {.swept = !o->check};
		int status = cli_convert_loaded((int)a.n, a.v, &cc, reg);
		/* main's close_stdout: a failed write of standard output counts */
		if ((fflush(stdout) != 0 || ferror(stdout)) && status == CLI_EXIT_OK)
			status = CLI_EXIT_OUTPUT;
		fflush(stderr);
		_exit(status);
	}
	hold_batch_signals(0, &old);
	for (size_t k = 0; k < a.n; k++)
		free(a.v[k]);
	free(a.v);
	free(report);
	free(out);
	free(err);
	return pid;
}

/* Copies file path to f (when it is there), then removes it. */
static void pass_on(const char *path, FILE *f)
{
	FILE *in = fopen(path, "rb");
	if (in) {
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, n, f);
		fclose(in);
	}
	unlink(path);
}

static unsigned long long count_of(json_t *summary, const char *key)
{
	json_t *v = json_object_get(summary, key);
	return json_is_integer(v) && json_integer_value(v) > 0
	           ? (unsigned long long)json_integer_value(v)
	           : 0;
}

/* The losses of the whole batch, one per writer and field (see loss_summary). */
typedef struct loss_total {
	char *plugin, *loss;
	int accepted;
	enum cw_loss_kind kind;
	size_t records, files, last_file;
} loss_total;

typedef struct loss_totals {
	loss_total *v;
	size_t n, cap;
} loss_totals;

static void add_loss(loss_totals *t, const char *plugin, const char *loss, int accepted,
                     enum cw_loss_kind kind, size_t file)
{
	loss_total *l = NULL;
	for (size_t i = 0; i < t->n && !l; i++)
		if (t->v[i].accepted == accepted && t->v[i].kind == kind &&
		    !strcmp(t->v[i].plugin, plugin) && !strcmp(t->v[i].loss, loss))
			l = &t->v[i];
	if (!l) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 32;
			loss_total *v = realloc(t->v, cap * sizeof *v);
			if (!v)
				return; /* the summary is shorter; the reports have it all */
			t->v = v;
			t->cap = cap;
		}
		l = &t->v[t->n];
		*l = (loss_total){strdup(plugin), strdup(loss), accepted, kind, 0, 0, (size_t)-1};
		if (!l->plugin || !l->loss) {
			free(l->plugin);
			free(l->loss);
			return;
		}
		t->n++;
	}
	l->records++;
	if (l->last_file != file) {
		l->files++;
		l->last_file = file;
	}
}

/* The counts of finished task i, and its losses, from its report (root: NULL if none). */
static void read_counts(result *r, json_t *root, loss_totals *losses, size_t i)
{
	json_t *summary = json_object_get(root, "summary");
	if (json_is_object(summary)) {
		r->has_report = 1;
		r->read = count_of(summary, "records_read");
		r->written = count_of(summary, "records_written");
		r->skipped = count_of(summary, "records_skipped");
	}
	json_t *diags = json_object_get(root, "diagnostics");
	for (size_t k = 0; k < json_array_size(diags); k++) {
		json_t *d = json_array_get(diags, k);
		const char *kind = json_string_value(json_object_get(d, "kind"));
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *plugin = json_string_value(json_object_get(d, "plugin"));
		const char *field = json_string_value(json_object_get(d, "field"));
		const char *how = json_string_value(json_object_get(d, "loss"));
		const char *sev = json_string_value(json_object_get(d, "severity"));
		/* an error (a loss under --strict) was printed by its conversion */
		if (kind && !strcmp(kind, "not-carried") && plugin && field && sev &&
		    strcmp(sev, "error") != 0 && strcmp(sev, "fatal") != 0)
			add_loss(losses, plugin, field, code && !strcmp(code, "accepted-loss"),
			         how && !strcmp(how, "degraded") ? CW_LOSS_DEGRADED : CW_LOSS_DROPPED,
			         i);
	}
}

/*
 * One line per writer and field for the whole batch, instead of one per
 * file ("not carried by bibtex: affiliations (20 records in 20 files)"):
 * the conversions leave theirs out. Accepted losses are notes, shown with -v.
 */
static void loss_summary(loss_totals *t, const cli_common *common)
{
	cli_diags st = {.format = common->diag_format,
	                .quiet = common->quiet ? 1 : common->verbose ? -1 : 0};
	for (size_t i = 0; i < t->n; i++) {
		loss_total *l = &t->v[i];
		char counts[96];
		snprintf(counts, sizeof counts, "%zu record%s in %zu file%s", l->records,
		         l->records == 1 ? "" : "s", l->files, l->files == 1 ? "" : "s");
		cli_loss_print(&st, l->plugin, l->loss, l->accepted, l->kind, l->records, counts);
		free(l->plugin);
		free(l->loss);
	}
	cw_buf_free(&st.line);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* --- the combined report ---------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append_json(&b, s, strlen(s));
	fwrite(b.data ? b.data : "\"\"", 1, b.data ? b.len : 2, f);
	cw_buf_free(&b);
}

/*
 * One file's entry of the report's "files", its own report inside as
 * convert wrote it, appended to the file the entries are gathered in (the
 * report itself is opened at the end: a forked conversion must not hold
 * the batch's temporary report, which its crash handler would remove).
 */
static void report_task(FILE *f, const batch_plan *plan, size_t i, const result *r,
                        json_t *report)
{
	const batch_task *t = &plan->tasks[i];
	const batch_job *j = &plan->jobs[t->job];
	fprintf(f, "%s\n    {\"job\": ", i ? "," : "");
	json_str(f, j->name);
	fputs(", \"input\": ", f);
	json_str(f, t->input);
	fputs(", \"outputs\": [", f);
	for (size_t k = 0; k < j->nouts; k++) {
		if (k)
			fputs(", ", f);
		json_str(f, t->outputs[k]);
	}
	fprintf(f, "], \"exit\": %d, \"report\": ", r->status);
	char *text = r->has_report ? json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	fputs(text ? text : "null", f);
	free(text);
	fputs("}", f);
}

/* The totals of the report's summary. */
typedef struct totals {
	size_t files, failed;
	unsigned long long read, skipped, written;
} totals;

/*
 * Writes the --report file: the batch's own messages (d's, kept until now),
 * the entries gathered in entries (NULL: none, the batch stopped before
 * its conversions), the totals. Returns the exit status with a failure to
 * write it counted.
 */
static int write_report(const options *o, cli_diags *d, FILE *entries, const totals *t,
                        int status)
{
	cw_ostream *rep = NULL;
	int rc = cw_ostream_open_file(&rep, o->report, CW_OSTREAM_ATOMIC);
	int e = rc ? errno : 0;
	if (rc == CW_OK) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_printf(&b, "{\n  \"crosswalk\": ");
		cw_buf_append_json(&b, cw_version_string(), CW_NUL);
		cw_buf_printf(&b, ",\n  \"batch\": ");
		cw_buf_append_json(&b, o->file ? o->file : "", CW_NUL);
		cw_buf_printf(&b, ",\n  \"diagnostics\": [%s%s],\n  \"files\": [",
		              cw_buf_str(&d->pending), d->npending ? "\n  " : "");
		rc = cw_buf_error(&b);
		cw_ostream_write(rep, b.data, b.len);
		cw_buf_free(&b);
		int any = 0;
		if (entries && rc == CW_OK) {
			/* the entries were gathered in a file of the temporary directory */
			if (fflush(entries) != 0 || fseek(entries, 0, SEEK_SET) != 0)
				rc = CW_EIO;
			char buf[65536];
			size_t n;
			while (rc == CW_OK && (n = fread(buf, 1, sizeof buf, entries)) > 0) {
				cw_ostream_write(rep, buf, n);
				any = 1;
			}
			if (rc == CW_OK && ferror(entries))
				rc = CW_EIO;
			e = rc ? errno : 0;
		}
		cw_ostream_printf(rep,
		                  "%s],\n  \"summary\": {\"files\": %zu, \"files_failed\": %zu, "
		                  "\"records_read\": %llu, \"records_skipped\": %llu, "
		                  "\"records_written\": %llu, \"exit\": %d}\n}\n",
		                  any ? "\n  " : "", t->files, t->failed, t->read, t->skipped,
		                  t->written, status);
		if (rc == CW_OK)
			rc = cw_ostream_error(rep);
		if (rc == CW_OK)
			rc = cw_ostream_commit(rep);
		if (rc && !e)
			e = cw_ostream_os_error(rep);
	}
	if (rc) {
		d->no_pending = 1;
		d->phase = CW_DIAG_CODE_OUTPUT_ERROR;
		cli_error("%s: cannot write the report: %s", o->report,
		          e ? strerror(e) : cw_status_str(rc));
		status = cli_exit_worst(status, CLI_EXIT_OUTPUT);
	}
	cw_ostream_close(rep);
	return status;
}

/* --- progress and summary ---------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t total, unsigned long long records, double t0)
{
	double el = now() - t0;
	double rate = el > 0 ? (double)records / el : 0;
	double eta = done ? el * (double)(total - done) / (double)done : 0;
	fprintf(stderr,
	        "\r\033[Kcrosswalk: %zu/%zu files, %llu records, %.0f records/s, ETA %d:%02d", done,
	        total, records, rate, (int)eta / 60, (int)eta % 60);
	fflush(stderr);
}

/*
 * The table at the end. Under --check a conversion that exits 1 has an
 * output that would change (or is missing): its column is "changed".
 */
static void summary(const batch_plan *plan, const result *res, double secs, const options *o)
{
	fprintf(stderr, "crosswalk: batch: %zu file%s in %zu job%s, %.1f s (-j %ld)\n",
	        plan->ntasks, plan->ntasks == 1 ? "" : "s", plan->njobs,
	        plan->njobs == 1 ? "" : "s", secs, o->jobs);
	fprintf(stderr, "  %-20s %7s %7s %7s %7s %12s %12s\n", "job", "files", "ok",
	        o->check ? "changed" : "partial", "failed", "records read", "written");
	for (size_t j = 0; j < plan->njobs; j++) {
		size_t files = 0, ok = 0, partial = 0, failed = 0;
		unsigned long long read = 0, written = 0;
		for (size_t i = 0; i < plan->ntasks; i++) {
			if (plan->tasks[i].job != j)
				continue;
			files++;
			ok += res[i].status == CLI_EXIT_OK;
			partial += res[i].status == CLI_EXIT_PARTIAL;
			failed += res[i].status > CLI_EXIT_PARTIAL;
			read += res[i].read;
			written += res[i].written;
		}
		fprintf(stderr, "  %-20.20s %7zu %7zu %7zu %7zu %12llu %12llu\n",
		        plan->jobs[j].name, files, ok, partial, failed, read, written);
	}
}

/* --- the run ----------------------------------------------------------------------- */

/*
 * Removes the temporaries that ended runs left in the output directories,
 * once per directory: each conversion would otherwise sweep its outputs'
 * directories itself, and N files written into one directory would cost
 * N^2 (the conversions open their outputs with CW_OSTREAM_NO_SWEEP).
 */
static void sweep_outputs(const batch_plan *plan)
{
	cw_keyset *seen = NULL;
	if (cw_keyset_new(&seen, 0))
		cli_oom();
	cw_buf dir = CW_BUF_INIT;
	for (size_t i = 0; i < plan->ntasks; i++) {
		const batch_task *t = &plan->tasks[i];
		for (size_t k = 0; k < plan->jobs[t->job].nouts; k++) {
			const char *slash = strrchr(t->outputs[k], '/');
			cw_buf_clear(&dir);
			cw_buf_append(&dir, t->outputs[k],
			              slash ? (size_t)(slash - t->outputs[k]) + 1 : 0);
			if (cw_buf_error(&dir))
				cli_oom();
			int taken = cw_keyset_claim(seen, &dir);
			if (taken < 0)
				cli_oom();
			if (taken == 0)
				cw_ostream_remove_stale(cw_buf_str(&dir));
		}
	}
	cw_buf_free(&dir);
	cw_keyset_free(seen);
}

static int run(const options *o, const cli_common *common, cw_registry *reg,
               const batch_plan *plan, cli_diags *diags)
{
	const char *tdir = getenv("TMPDIR");
	char *tmp = tmp_dir;
	snprintf(tmp, sizeof tmp_dir - 40, "%s/crosswalk-batch-XXXXXX",
	         tdir && *tdir ? tdir : "/tmp");
	if (!mkdtemp(tmp)) {
		diags->phase = CW_DIAG_CODE_OUTPUT_ERROR;
		cli_error("%s: cannot make a temporary directory: %s", tmp, strerror(errno));
		tmp_dir[0] = '\0';
		return CLI_EXIT_OUTPUT;
	}
	FILE *entries = NULL;
	if (o->report) {
		char *p = tmp_name(tmp, 0, "entries");
		entries = fopen(p, "w+");
		int e = errno;
		unlink(p); /* read back through the open stream only */
		free(p);
		if (!entries) {
			rmdir(tmp);
			tmp_dir[0] = '\0';
			diags->phase = CW_DIAG_CODE_OUTPUT_ERROR;
			cli_error("%s: cannot gather the report: %s", tmp, strerror(e));
			return CLI_EXIT_OUTPUT;
		}
	}
	result *res = calloc(plan->ntasks ? plan->ntasks : 1, sizeof *res);
	if (!res)
		cli_oom();
	if (!o->check)
		sweep_outputs(plan);
	struct sigaction sa, old[NBATCH_SIGNALS];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	batch_signal_set(&sa.sa_mask);
	for (size_t s = 0; s < NBATCH_SIGNALS; s++)
		sigaction(batch_signals[s], &sa, &old[s]);
	size_t slot_task[MAX_PARALLEL] = {0}; /* the task of each running[] slot */
	loss_totals losses = {0};
	/* the progress line is text: not in JSON Lines or workflow commands */
	int tty = !common->quiet && common->diag_format == CLI_DIAGS_TEXT && isatty(2);
	double t0 = now();
	size_t next = 0, nrun = 0, shown = 0, done = 0;
	unsigned long long records = 0;
	int worst = CLI_EXIT_OK;
	while (shown < plan->ntasks) {
		while (next < plan->ntasks && nrun < (size_t)o->jobs) {
			const batch_task *t = &plan->tasks[next];
			int made = 0;
			diags->phase = CW_DIAG_CODE_OUTPUT_ERROR;
			for (size_t k = 0; !o->check && k < plan->jobs[t->job].nouts && made == 0;
			     k++)
				if ((made = make_parents(t->outputs[k])) != 0)
					cli_error("%s: cannot make its directory: %s",
					          t->outputs[k], strerror(errno));
			if (made) {
				res[next].status = CLI_EXIT_OUTPUT;
				res[next].state = 2;
				done++;
				next++;
				continue;
			}
			started = next + 1;
			pid_t pid = start(reg, common, o, plan, next, tmp);
			if (pid < 0) {
				diags->phase = CW_DIAG_CODE_INTERNAL;
				cli_error("cannot start a conversion: %s", strerror(errno));
				res[next].status = CLI_EXIT_SOFTWARE;
				res[next].state = 2;
				done++;
			} else {
				res[next].pid = pid;
				res[next].state = 1;
				for (size_t s = 0; s < MAX_PARALLEL; s++)
					if (running[s] <= 0) {
						running[s] = pid;
						slot_task[s] = next;
						break;
					}
				nrun++;
			}
			next++;
		}
		if (nrun) {
			int st;
			pid_t pid = waitpid(-1, &st, 0);
			if (pid < 0) {
				if (errno == EINTR)
					continue;
				diags->phase = CW_DIAG_CODE_INTERNAL;
				cli_error("waiting for the conversions: %s", strerror(errno));
				exit(CLI_EXIT_SOFTWARE);
			}
			/* the task of that process, by its slot: no scan of every task */
			size_t i = plan->ntasks;
			for (size_t s = 0; s < MAX_PARALLEL; s++)
				if (running[s] == pid) {
					running[s] = 0;
					i = slot_task[s];
				}
			if (i < plan->ntasks && res[i].state == 1 && res[i].pid == pid) {
				res[i].state = 2;
				res[i].status =
				    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				nrun--;
				done++;
			}
		}
		/* what the finished conversions printed, in the order of the files */
		while (shown < plan->ntasks && res[shown].state == 2) {
			if (tty)
				fputs("\r\033[K", stderr);
			char *p = tmp_name(tmp, shown, "out");
			pass_on(p, stdout);
			free(p);
			fflush(stdout);
			p = tmp_name(tmp, shown, "err");
			pass_on(p, stderr);
			free(p);
			if (res[shown].status > 128) {
				diags->phase = CW_DIAG_CODE_INTERNAL;
				cli_error("%s: the conversion ended by signal %d (%s)",
				          plan->tasks[shown].input, res[shown].status - 128,
				          strsignal(res[shown].status - 128));
			}
			worst = cli_exit_worst(worst, res[shown].status);
			/* its report, read once and in file order (the summary's order
			 * does not depend on -j): counts, losses, the combined report */
			p = tmp_name(tmp, shown, "json");
			json_t *report = json_load_file(p, 0, NULL);
			unlink(p);
			free(p);
			read_counts(&res[shown], report, &losses, shown);
			records += res[shown].read;
			if (entries)
				report_task(entries, plan, shown, &res[shown], report);
			json_decref(report);
			res[shown].state = 3;
			shown++;
		}
		if (tty && shown < plan->ntasks)
			progress(done, plan->ntasks, records, t0);
	}
	if (tty)
		fputs("\r\033[K", stderr);
	for (size_t s = 0; s < NBATCH_SIGNALS; s++)
		sigaction(batch_signals[s], &old[s], NULL);
	rmdir(tmp);
	tmp_dir[0] = '\0';
	loss_summary(&losses, common);
	/* the table is for people: JSON Lines on stderr stay JSON */
	if (!common->quiet && common->diag_format != CLI_DIAGS_JSON)
		summary(plan, res, now() - t0, o);
	if (o->report) {
		totals t = {.files = plan->ntasks};
		for (size_t i = 0; i < plan->ntasks; i++) {
			t.read += res[i].read;
			t.written += res[i].written;
			t.skipped += res[i].skipped;
			t.failed += res[i].status > CLI_EXIT_PARTIAL;
		}
		worst = write_report(o, diags, entries, &t, worst);
	}
	if (entries)
		fclose(entries);
	free(res);
	return worst;
}

int cli_batch(int argc, char **argv, cli_common *common)
{
	options o = {0};
	/* the batch's own messages: printed in --diagnostics-format and kept
	 * for the report, which is written however early the batch stops */
	cli_diags diags = {.format = common->diag_format, .phase = CW_DIAG_CODE_USAGE};
	cli_diags *outer = cli_diags_begin(&diags);
	cw_registry *reg = NULL;
	batch_plan plan = {0};
	int status = CLI_EXIT_USAGE;
	int pr = parse(&o, argc, argv, common);
	diags.format = common->diag_format; /* --diagnostics-format after the command */
	diags.quiet = common->quiet ? 1 : common->verbose ? -1 : 0;
	if (pr > 0) {
		status = CLI_EXIT_OK; /* --help */
		goto out;
	}
	if (!o.report) {
		diags.no_pending = 1;
		cw_buf_free(&diags.pending);
	} else if (o.file && cli_same_file(o.report, 1, o.file, 0)) {
		cli_error("--report %s would replace the batch file", o.report);
		o.report = NULL;
		goto out;
	}
	if (pr)
		goto out;
	diags.phase = CW_DIAG_CODE_PLUGIN;
	status = cli_open_registry(&reg, common);
	if (status != CLI_EXIT_OK)
		goto out;
	diags.phase = CW_DIAG_CODE_USAGE;
	status = CLI_EXIT_USAGE;
	if (batch_plan_load(&plan, o.file, reg))
		goto out;
	if (o.dry_run) {
		for (size_t i = 0; i < plan.ntasks; i++) {
			const batch_task *t = &plan.tasks[i];
			printf("%s: %s ->", plan.jobs[t->job].name, t->input);
			for (size_t k = 0; k < plan.jobs[t->job].nouts; k++)
				printf(" %s", t->outputs[k]);
			printf("\n");
		}
		status = CLI_EXIT_OK;
		o.report = NULL; /* a dry run writes nothing */
		goto out;
	}
	/* parsed once here, shared by every conversion's process */
	cw_registry_prepare_tables(reg);
	status = run(&o, common, reg, &plan, &diags);
	o.report = NULL; /* written by run */
out:
	if (o.report)
		status = write_report(&o, &diags, NULL, &(totals){0}, status);
	batch_plan_free(&plan);
	cw_registry_free(reg);
	free(o.loss_args);
	cli_diags_end(&diags, outer);
	return status;
}
