/*
 * Crashes: a plugin (or the core) that dies of SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL or SIGABRT is named in one line on stderr, with the stage and the
 * place in the input; every temporary output file is removed; and the
 * process dies of the same signal (status 128+n, a core dump where the
 * limits allow one).
 *
 * Everything the handler does is async-signal-safe: it reads the watched
 * pipeline with cw_pipeline_current and the registry with
 * cw_registry_owner (plain reads), builds the line in a buffer on its stack
 * with the helpers below (no stdio, no malloc), write(2)s it, unlinks the
 * temporaries (cw_ostream_remove_temporaries) and re-raises the signal with
 * the default action. It runs on an alternate stack, so that a stack
 * overflow (a SIGSEGV too) still gets its message.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigaltstack */
#define _DEFAULT_SOURCE         /* SA_ONSTACK in glibc's strict modes */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The signals a crash raises, by name: the handler has no strsignal. */
static const struct crash_signal {
	int sig;
	const char *name;
} crash_signals[] = {
    {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGILL, "SIGILL"},   {SIGABRT, "SIGABRT"},
};
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])

/* Per thread: a signal of a crash goes to the thread that faulted. */
static _Thread_local const cw_registry *watched_registry;
static _Thread_local const cw_pipeline *watched_pipeline;
static _Thread_local void *alt_stack; /* kept reachable for leak checkers */

enum { ALT_STACK_SIZE = 64 * 1024, LINE_MAX_BYTES = 1024 };

/* A line being built in a fixed buffer; what does not fit is dropped. */
typedef struct line {
	char buf[LINE_MAX_BYTES];
	size_t len;
} line;

/* Appends s, with control bytes shown as '?' (one line, whatever a name holds). */
static void put(line *l, const char *s)
{
	for (; s && *s && l->len < sizeof l->buf - 1; s++) {
		unsigned char c = (unsigned char)*s;
		l->buf[l->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
}

/* Appends n in decimal. */
static void put_u64(line *l, uint64_t n)
{
	char digits[20];
	size_t k = 0;
	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10) && k < sizeof digits);
	while (k && l->len < sizeof l->buf - 1)
		l->buf[l->len++] = digits[--k];
}

/* Appends " (record N, INPUT:LINE)", or the parts of it that are known. */
static void put_record(line *l, const cw_stage_info *info)
{
	if (!info->record && !info->line)
		return;
	put(l, " (");
	if (info->record) {
		put(l, "record ");
		put_u64(l, info->record);
	}
	if (info->line && info->input) {
		put(l, info->record ? ", " : "");
		put(l, info->input);
		put(l, ":");
		put_u64(l, info->line);
	}
	put(l, ")");
}

/*
 * The message: "crosswalk: plugin P crashed (SIG) while reading IN:LINE",
 * "... while writing OUT (record N, IN:LINE)", "... in filter F (...)", or
 * for the core "crosswalk: crashed (SIG) while converting IN (record N)".
 */
static void describe(line *l, int sig)
{
	cw_stage_info info = CW_STAGE_INFO_INIT;
	cw_pipeline_current(watched_pipeline, &info);
	put(l, "crosswalk: ");
	if (info.kind != CW_STAGE_NONE) {
		const void *desc =
		    info.format ? (const void *)info.format : (const void *)info.filter;
		const cw_plugin *owner = cw_registry_owner(watched_registry, desc);
		put(l, "plugin ");
		put(l, owner && owner->name ? owner->name : info.name);
		put(l, " ");
	}
	put(l, "crashed (");
	const char *name = NULL;
	for (size_t i = 0; i < NCRASH; i++)
		if (crash_signals[i].sig == sig)
			name = crash_signals[i].name;
	put(l, name);
	put(l, ")");
	switch (info.kind) {
	case CW_STAGE_READER:
		put(l, " while reading ");
		put(l, info.file);
		if (info.line) {
			put(l, ":");
			put_u64(l, info.line);
		} else if (info.record) {
			put(l, " (record ");
			put_u64(l, info.record);
			put(l, ")");
		}
		break;
	case CW_STAGE_WRITER:
		put(l, " while writing ");
		put(l, info.file);
		put_record(l, &info);
		break;
	case CW_STAGE_FILTER:
		put(l, " in filter ");
		put(l, info.name);
		put_record(l, &info);
		break;
	default:
		if (info.input) {
			put(l, " while converting ");
			put(l, info.input);
			put_record(l, &info);
		}
		break;
	}
	l->buf[l->len++] = '\n';
}

static void on_crash(int sig)
{
	line l;
	l.len = 0;
	describe(&l, sig);
	for (size_t off = 0; off < l.len;) {
		ssize_t w = write(STDERR_FILENO, l.buf + off, l.len - off);
		if (w <= 0)
			break; /* EINTR cannot happen: every other signal is blocked */
		off += (size_t)w;
	}
	cw_ostream_remove_temporaries();
	/* SA_RESETHAND made the action the default again: the signal raised
	 * now is pending until this returns, and then ends the process as
	 * the first one would have (a fault's instruction is not run again) */
	signal(sig, SIG_DFL);
	raise(sig);
}

int cli_crash_thread_init(void)
{
	if (alt_stack)
		return 0;
	stack_t ss;
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = malloc(ALT_STACK_SIZE);
	ss.ss_size = ALT_STACK_SIZE;
	if (!ss.ss_sp)
		return -1;
	if (sigaltstack(&ss, NULL) != 0) {
		free(ss.ss_sp);
		return -1;
	}
	alt_stack = ss.ss_sp;
	return 0;
}

void cli_catch_crashes(const int *also_block, size_t nblock)
{
	/* without an alternate stack a stack overflow dies without a word:
	 * the handler still runs for every other crash */
	(void)cli_crash_thread_init();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sa.sa_flags = (int)(SA_RESETHAND | SA_ONSTACK); /* unsigned constants in glibc */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaddset(&sa.sa_mask, crash_signals[i].sig);
	for (size_t i = 0; i < nblock; i++)
		sigaddset(&sa.sa_mask, also_block[i]);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i].sig, &sa, NULL);
}

void cli_crash_watch(const cw_registry *reg, const cw_pipeline *p)
{
	watched_registry = reg;
	watched_pipeline = p;
}

/* --- the signals that end a run --- */

/* Signals that end a run: their handler removes the temporary files first. */
static const int fatal_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};

static void on_fatal_signal(int sig)
{
	cw_ostream_remove_temporaries();
	/* the handler is reset (SA_RESETHAND): die of the signal, which the
	 * shell shows as status 128+sig, once this returns */
	raise(sig);
}

void cli_hold_signals(int hold)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/*
 * Signals a caller ignores (nohup, a background job's SIGINT, a pipeline
 * that ignores SIGPIPE) stay ignored. SIGXFSZ is ignored so that a file
 * past the size limit (ulimit -f) is a write error with a message.
 */
void cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = (int)SA_RESETHAND; /* an unsigned constant in glibc */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
		struct sigaction old;
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
	signal(SIGXFSZ, SIG_IGN);
	cli_catch_crashes(fatal_signals, sizeof fatal_signals / sizeof fatal_signals[0]);
}
