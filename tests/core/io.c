#define _GNU_SOURCE /* syscall */
/*
 * Input and output streams: memory, file and callback sources, look-ahead,
 * limits, and atomic files that appear only on commit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cw_test.h"

/*
 * umask() as the library sees it: this definition in the test program comes
 * first in the dynamic symbol lookup, counts the calls and does the real
 * system call.
 */
static atomic_int umask_calls;
CW_API mode_t umask(mode_t mask)
{
	atomic_fetch_add(&umask_calls, 1);
	return (mode_t)syscall(SYS_umask, mask);
}

static char *path_in(const char *name)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s", cwt_tmpdir(), name);
	return b.data;
}

/* Number of entries in the test's directory (temporary files included). */
static size_t dir_entries(void)
{
	DIR *d = opendir(cwt_tmpdir());
	cr_assert_not_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* A big input with a recognisable pattern. */
static char *pattern(size_t n)
{
	char *p = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + (i * 7 + i / 251) % 26);
	p[n] = '\0';
	return p;
}

/* --- input --- */

static void check_peek_consume(cw_istream *in, const char *data, size_t len)
{
	const char *d;
	size_t avail;
	cr_assert_eq(cw_istream_peek(in, 4, &d, &avail), CW_OK);
	cr_assert_geq(avail, 4);
	cr_expect_eq(memcmp(d, data, 4), 0);
	/* peeking does not consume */
	cr_assert_eq(cw_istream_peek(in, 2, &d, &avail), CW_OK);
	cr_expect_eq(memcmp(d, data, 2), 0);
	cr_expect_eq(cw_istream_offset(in), 0);
	cw_istream_consume(in, 3);
	cr_expect_eq(cw_istream_offset(in), 3);
	cr_assert_eq(cw_istream_peek(in, 1, &d, &avail), CW_OK);
	cr_expect_eq(d[0], data[3]);
	/* more than a chunk at once: the window grows */
	size_t big = len - 3;
	cr_assert_eq(cw_istream_peek(in, big, &d, &avail), CW_OK);
	cr_assert_eq(avail, big);
	cr_expect_eq(memcmp(d, data + 3, big), 0);
	for (size_t i = 0; i < 16; i++)
		cr_expect_eq(d[avail + i], '\0', "padding byte %zu", i);
	/* asking past the end gives what there is */
	cr_assert_eq(cw_istream_peek(in, big + 100, &d, &avail), CW_OK);
	cr_expect_eq(avail, big);
	cw_istream_consume(in, big + 50); /* clamps */
	cr_expect_eq(cw_istream_offset(in), len);
	cr_assert_eq(cw_istream_peek(in, 10, &d, &avail), CW_OK);
	cr_expect_eq(avail, 0);
	size_t got = 99;
	char buf[8];
	cr_expect_eq(cw_istream_read(in, buf, sizeof buf, &got), CW_OK);
	cr_expect_eq(got, 0);
}

Test(io, memory_peek_consume)
{
	size_t len = 200000;
	char *data = pattern(len);
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, data, len, "mem.txt"), CW_OK);
	cr_expect_str_eq(cw_istream_name(in), "mem.txt");
	check_peek_consume(in, data, len);
	cw_istream_close(in);
	free(data);
}

Test(io, file_peek_consume)
{
	size_t len = 150001;
	char *data = pattern(len);
	char *p = path_in("in.txt");
	cr_assert_eq(cwt_write_file(p, data, len), 0);
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_file(&in, p), CW_OK);
	cr_expect_str_eq(cw_istream_name(in), p);
	check_peek_consume(in, data, len);
	cw_istream_close(in);
	free(p);
	free(data);
}

/* A callback that hands out its data in uneven little pieces. */
typedef struct dribble {
	const char *data;
	size_t len, pos, calls;
	int fail_at; /* call number that fails with CW_EIO (0: never) */
} dribble;

static int dribble_read(void *ud, void *buf, size_t cap, size_t *got)
{
	dribble *d = ud;
	d->calls++;
	if (d->fail_at && (int)d->calls == d->fail_at)
		return CW_EIO;
	size_t n = 1 + d->calls % 13;
	if (n > cap)
		n = cap;
	if (n > d->len - d->pos)
		n = d->len - d->pos;
	memcpy(buf, d->data + d->pos, n);
	d->pos += n;
	*got = n;
	return CW_OK;
}

Test(io, callback_read)
{
	size_t len = 1000;
	char *data = pattern(len);
	dribble d = {data, len, 0, 0, 0};
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, dribble_read, &d, NULL), CW_OK);
	cr_expect_str_eq(cw_istream_name(in), "<callback>");
	/* read copies out whatever is there, in order, until got == 0 */
	cw_buf all = CW_BUF_INIT;
	char buf[37];
	size_t got;
	int rounds = 0;
	do {
		cr_assert_eq(cw_istream_read(in, buf, sizeof buf, &got), CW_OK);
		cr_assert_leq(got, sizeof buf);
		cw_buf_append(&all, buf, got);
		cr_assert_lt(++rounds, 10000);
	} while (got);
	cr_expect_eq(all.len, len);
	cr_expect_eq(memcmp(all.data, data, len), 0);
	cr_expect_eq(cw_istream_offset(in), len);
	cw_istream_close(in);
	cw_buf_free(&all);
	free(data);
}

Test(io, callback_peek_gathers_pieces)
{
	size_t len = 5000;
	char *data = pattern(len);
	dribble d = {data, len, 0, 0, 0};
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, dribble_read, &d, "cb"), CW_OK);
	const char *p;
	size_t avail;
	/* the callback gives at most 13 bytes a call: peek must keep asking */
	cr_assert_eq(cw_istream_peek(in, 4096, &p, &avail), CW_OK);
	cr_assert_geq(avail, 4096);
	cr_expect_eq(memcmp(p, data, 4096), 0);
	cw_istream_close(in);
	free(data);
}

Test(io, callback_error_is_sticky)
{
	size_t len = 100;
	char *data = pattern(len);
	dribble d = {data, len, 0, 0, 3};
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, dribble_read, &d, "cb"), CW_OK);
	const char *p;
	size_t avail;
	cr_expect_eq(cw_istream_peek(in, 50, &p, &avail), CW_EIO);
	size_t calls = d.calls;
	cr_expect_eq(cw_istream_peek(in, 50, &p, &avail), CW_EIO);
	const char *all;
	size_t n;
	cr_expect_eq(cw_istream_read_all(in, &all, &n), CW_EIO);
	cr_expect_eq(d.calls, calls, "a failed source must not be asked again");
	cw_istream_close(in);
	free(data);
}

Test(io, read_all)
{
	size_t len = 300000;
	char *data = pattern(len);
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	cr_expect_str_eq(cw_istream_name(in), "<memory>");
	cw_istream_consume(in, 0);
	char head[10];
	size_t got;
	cr_assert_eq(cw_istream_read(in, head, sizeof head, &got), CW_OK);
	cr_assert_eq(got, 10);
	const char *all;
	size_t n;
	cr_assert_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	cr_assert_eq(n, len - 10);
	cr_expect_eq(memcmp(all, data + 10, n), 0);
	cr_expect_eq(all[n], '\0');
	cr_expect_eq(cw_istream_offset(in), len);
	/* nothing left, and the data stays valid */
	const char *again;
	cr_assert_eq(cw_istream_read_all(in, &again, &n), CW_OK);
	cr_expect_eq(n, 0);
	cr_expect_eq(memcmp(all, data + 10, 100), 0);
	cw_istream_close(in);
	free(data);

	/* empty input */
	cr_assert_eq(cw_istream_open_memory(&in, NULL, 0, "empty"), CW_OK);
	cr_assert_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	cr_expect_eq(n, 0);
	cr_expect_str_eq(all, "");
	cw_istream_close(in);
}

/* --- lines and positions -------------------------------------------- */

static void expect_line(cw_istream *in, const char *want)
{
	const char *p;
	size_t n;
	int rc = cw_istream_read_line(in, 0, &p, &n);
	if (!want) {
		cr_expect_eq(rc, CW_EOF, "a line after the end: rc %d", rc);
		return;
	}
	cr_assert_eq(rc, CW_OK, "expected '%s', rc %d", want, rc);
	cr_expect_eq(n, strlen(want), "'%.*s', expected '%s'", (int)n, p, want);
	cr_expect_eq(memcmp(p, want, n), 0, "'%.*s', expected '%s'", (int)n, p, want);
}

static void expect_position(cw_istream *in, uint32_t line, uint32_t col)
{
	uint32_t l, c;
	cw_istream_position(in, &l, &c);
	cr_expect(l == line && c == col, "at %u:%u, expected %u:%u", l, c, line, col);
}

Test(io, lines_and_push_back)
{
	const char text[] = "TY  - JOUR\r\nTI  - one\n\nlast without end";
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, text, sizeof text - 1, "x.ris"), CW_OK);
	expect_position(in, 1, 1);
	expect_line(in, "TY  - JOUR"); /* CR LF ends a line too */
	expect_position(in, 2, 1);
	expect_line(in, "TI  - one");
	expect_position(in, 3, 1);
	/* one line goes back, with its position */
	cr_assert_eq(cw_istream_unread_line(in), CW_OK);
	expect_position(in, 2, 1);
	cr_expect_eq(cw_istream_unread_line(in), CW_EINVAL, "only one line goes back");
	expect_line(in, "TI  - one");
	expect_line(in, "");
	expect_line(in, "last without end");
	expect_position(in, 4, 17);
	expect_line(in, NULL);
	cr_expect_eq(cw_istream_offset(in), sizeof text - 1);
	cw_istream_close(in);
}

Test(io, push_back_only_right_after_the_line)
{
	const char text[] = "a\nb\nc\n";
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, text, sizeof text - 1, NULL), CW_OK);
	cr_expect_eq(cw_istream_unread_line(in), CW_EINVAL, "nothing read yet");
	expect_line(in, "a");
	cw_istream_consume(in, 1); /* reads on: the line cannot go back */
	cr_expect_eq(cw_istream_unread_line(in), CW_EINVAL);
	expect_line(in, "");
	/* a peek that needs no new input keeps the line */
	const char *p;
	size_t avail;
	cr_assert_eq(cw_istream_peek(in, 1, &p, &avail), CW_OK);
	cr_expect_eq(cw_istream_unread_line(in), CW_OK);
	expect_line(in, "");
	expect_line(in, "c");
	expect_line(in, NULL);
	cw_istream_close(in);
}

Test(io, long_lines_are_bounded_and_gathered)
{
	/* lines longer than the stream's window, from a callback that gives a few bytes a call */
	size_t len = 300000;
	char *data = malloc(len);
	memset(data, 'x', len);
	data[100] = '\n';
	data[len - 1] = '\n';
	dribble d = {data, len, 0, 0, 0};
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, dribble_read, &d, "cb"), CW_OK);
	const char *p;
	size_t n;
	cr_assert_eq(cw_istream_read_line(in, 1000, &p, &n), CW_OK);
	cr_expect_eq(n, 100);
	/* the next line is over the bound: refused, and nothing is consumed */
	uint64_t at = cw_istream_offset(in);
	cr_expect_eq(cw_istream_read_line(in, 1000, &p, &n), CW_ELIMIT);
	cr_expect_eq(cw_istream_offset(in), at);
	cr_assert_eq(cw_istream_read_line(in, 0, &p, &n), CW_OK);
	cr_expect_eq(n, len - 102);
	cr_expect_eq(p[0], 'x');
	expect_position(in, 3, 1);
	expect_line(in, NULL);
	cw_istream_close(in);
	free(data);
}

Test(io, positions_count_characters)
{
	/* a BOM is no column, a UTF-8 character one, a tab one */
	const char text[] = "\xEF\xBB\xBF\xC3\xA9t\xC3\xA9\t\n\xE2\x80\x93x";
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, text, sizeof text - 1, NULL), CW_OK);
	const char *p;
	size_t avail;
	cr_assert_eq(cw_istream_peek(in, 64, &p, &avail), CW_OK);
	cw_istream_consume(in, 3); /* the BOM */
	expect_position(in, 1, 1);
	cw_istream_consume(in, 2); /* é */
	expect_position(in, 1, 2);
	cw_istream_consume(in, 4); /* té and the tab */
	expect_position(in, 1, 5);
	cw_istream_consume(in, 1); /* the newline */
	expect_position(in, 2, 1);
	cw_istream_consume(in, 3); /* – */
	expect_position(in, 2, 2);
	cw_istream_close(in);
	/* counted across refills of the window, however the reader consumes */
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; b.len < 500000; i++)
		cw_buf_printf(&b, "line %d \xC3\xA9 \xE2\x80\x93%s", i, i % 3 ? "\n" : " ");
	size_t len = b.len;
	char *data = b.data;
	uint32_t lines = 1, col = 1;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			lines++, col = 1;
		else if (((unsigned char)data[i] & 0xC0) != 0x80)
			col++;
	}
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	for (size_t done = 0; done < len;) {
		cr_assert_eq(cw_istream_peek(in, 70000, &p, &avail), CW_OK);
		size_t step = avail < 777 ? avail : 777;
		cw_istream_consume(in, step);
		done += step;
		if (done % 7 == 0)
			cw_istream_position(in, NULL, NULL);
	}
	expect_position(in, lines, col);
	cw_istream_close(in);
	/* read_all counts too */
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	const char *all;
	size_t n;
	cr_assert_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	expect_position(in, lines, col);
	cw_istream_close(in);
	free(data);
	expect_position(NULL, 0, 0);
}

Test(io, limit)
{
	size_t len = 1000;
	char *data = pattern(len);
	cw_istream *in = NULL;
	const char *all, *p;
	size_t n, avail;
	/* exactly at the limit is fine */
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	cw_istream_set_limit(in, len);
	cr_expect_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	cr_expect_eq(n, len);
	cw_istream_close(in);
	/* one byte more is not */
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	cw_istream_set_limit(in, len - 1);
	cr_expect_eq(cw_istream_read_all(in, &all, &n), CW_ELIMIT);
	cw_istream_close(in);
	/* peek and read fail the same way, and keep failing */
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	cw_istream_set_limit(in, 10);
	cr_expect_eq(cw_istream_peek(in, 5, &p, &avail), CW_ELIMIT);
	char buf[4];
	cr_expect_eq(cw_istream_read(in, buf, sizeof buf, &n), CW_ELIMIT);
	cw_istream_close(in);
	/* 0: no limit */
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	cw_istream_set_limit(in, 0);
	cr_expect_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	cw_istream_close(in);
	free(data);
}

static int endless(void *ud, void *buf, size_t cap, size_t *got)
{
	(void)ud;
	memset(buf, 'z', cap);
	*got = cap;
	return CW_OK;
}

Test(io, limit_stops_an_endless_source)
{
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, endless, NULL, "endless"), CW_OK);
	cw_istream_set_limit(in, 1u << 20);
	const char *all;
	size_t n;
	cr_expect_eq(cw_istream_read_all(in, &all, &n), CW_ELIMIT);
	cw_istream_close(in);
}

Test(io, open_file_refusals)
{
	cw_istream *in = (cw_istream *)1;
	char *missing = path_in("no-such-file");
	cr_expect_eq(cw_istream_open_file(&in, missing), CW_ENOTFOUND);
	cr_expect_null(in);
	cr_expect_eq(cw_istream_open_file(&in, cwt_tmpdir()), CW_EIO);
	cr_expect_null(in);
	cr_expect_eq(cw_istream_open_file(NULL, "x"), CW_EINVAL);
	cr_expect_eq(cw_istream_open_file(&in, NULL), CW_EINVAL);
	cr_expect_eq(cw_istream_open_memory(&in, NULL, 5, NULL), CW_EINVAL);
	cr_expect_eq(cw_istream_open_callback(&in, NULL, NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_istream_peek(NULL, 1, NULL, NULL), CW_EINVAL);
	cw_istream_close(NULL);
	cw_istream_consume(NULL, 3);
	free(missing);
}

Test(io, stdin_is_dash)
{
	/* the real standard input of this test: a file */
	char *p = path_in("stdin.txt");
	cr_assert_eq(cwt_write_file(p, "from stdin", 10), 0);
	cr_assert_not_null(freopen(p, "r", stdin));
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_file(&in, "-"), CW_OK);
	cr_expect_str_eq(cw_istream_name(in), "<stdin>");
	const char *all;
	size_t n;
	cr_assert_eq(cw_istream_read_all(in, &all, &n), CW_OK);
	cr_expect_str_eq(all, "from stdin");
	cw_istream_close(in);
	/* closing the stream leaves file descriptor 0 open */
	struct stat st;
	cr_expect_eq(fstat(0, &st), 0);
	free(p);
}

/* --- output --- */

Test(io, ostream_memory)
{
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_memory(&o, "mem"), CW_OK);
	cr_expect_str_eq(cw_ostream_name(o), "mem");
	cr_expect_eq(cw_ostream_puts(o, "abc"), CW_OK);
	cr_expect_eq(cw_ostream_putc(o, '-'), CW_OK);
	cr_expect_eq(cw_ostream_printf(o, "%d:%s", 42, "x"), CW_OK);
	cr_expect_eq(cw_ostream_write(o, "\0z", 2), CW_OK);
	size_t len;
	const char *m = cw_ostream_memory(o, &len);
	cr_assert_eq(len, 10);
	cr_expect_eq(memcmp(m, "abc-42:x\0z", 10), 0);
	cr_expect_eq(cw_ostream_offset(o), 10);
	/* a long printf and a write bigger than the buffer */
	char big[100000];
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_expect_eq(cw_ostream_printf(o, "<%s>", big), CW_OK);
	cr_expect_eq(cw_ostream_write(o, big, sizeof big - 1), CW_OK);
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	m = cw_ostream_memory(o, &len);
	cr_expect_eq(len, 10 + 2 + 2 * (sizeof big - 1));
	cr_expect_eq(m[10], '<');
	cr_expect_eq(m[len], '\0');
	cr_expect_eq(cw_ostream_error(o), CW_OK);
	cw_ostream_close(o);
	cw_ostream_close(NULL);
}

static int failing_sink(void *ud, const void *data, size_t len)
{
	(void)data;
	size_t *calls = ud;
	(*calls)++;
	return len ? CW_EIO : CW_OK;
}

Test(io, ostream_callback_error_is_sticky)
{
	size_t calls = 0;
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_callback(&o, failing_sink, &calls, NULL), CW_OK);
	cr_expect_eq(cw_ostream_puts(o, "buffered"), CW_OK);
	cr_expect_eq(cw_ostream_flush(o), CW_EIO);
	cr_expect_eq(cw_ostream_error(o), CW_EIO);
	cr_expect_eq(cw_ostream_puts(o, "more"), CW_EIO);
	cr_expect_eq(cw_ostream_putc(o, 'x'), CW_EIO);
	cr_expect_eq(cw_ostream_commit(o), CW_EIO);
	cr_expect_eq(calls, 1);
	cw_ostream_close(o);
}

Test(io, ostream_plain_file)
{
	char *p = path_in("plain.txt");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, 0), CW_OK);
	cr_expect_str_eq(cw_ostream_name(o), p);
	cw_ostream_puts(o, "hello\n");
	cw_ostream_close(o); /* a plain file is flushed on close */
	size_t len;
	char *got = cwt_read_file(p, &len);
	cr_assert_not_null(got);
	cr_expect_str_eq(got, "hello\n");
	free(got);
	char *bad = path_in("no-dir/x.txt");
	cr_expect_eq(cw_ostream_open_file(&o, bad, 0), CW_EIO);
	cr_expect_null(o);
	cr_expect_eq(cw_ostream_open_file(&o, bad, CW_OSTREAM_ATOMIC), CW_EIO);
	cr_expect_null(o);
	free(bad);
	free(p);
}

Test(io, atomic_appears_only_on_commit)
{
	char *p = path_in("out.json");
	size_t before = dir_entries();
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	char *big = pattern(200000);
	cr_assert_eq(cw_ostream_puts(o, big), CW_OK);
	cr_assert_eq(cw_ostream_flush(o), CW_OK);
	struct stat st;
	cr_expect_neq(stat(p, &st), 0, "the file exists before commit");
	cr_expect_eq(dir_entries(), before + 1, "one temporary file while writing");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq((size_t)st.st_size, 200000);
	/* permissions of an ordinary new file, not mkstemp's 0600 */
	mode_t mask = umask(022);
	umask(mask);
	cr_expect_eq(st.st_mode & 0777, 0666 & ~mask);
	cw_ostream_close(o);
	cr_expect_eq(dir_entries(), before + 1, "only the committed file is left");
	size_t len;
	char *got = cwt_read_file(p, &len);
	cr_expect_eq(len, 200000);
	cr_expect_eq(memcmp(got, big, len), 0);
	free(got);
	free(big);
	free(p);
}

Test(io, atomic_large_file_byte_for_byte)
{
	/* past many write-back steps (1 MiB each), in pieces of odd sizes */
	char *p = path_in("large.json");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	size_t total = 0, piece = 1;
	char *chunk = pattern(300007);
	while (total < (size_t)27 << 20) {
		size_t n = piece % 300007;
		cr_assert_eq(cw_ostream_write(o, chunk, n), CW_OK);
		total += n;
		piece = piece * 31 + 7;
	}
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	size_t len;
	char *got = cwt_read_file(p, &len);
	cr_assert_eq(len, total);
	/* the same sequence of pieces again */
	size_t at = 0;
	piece = 1;
	while (at < total) {
		size_t n = piece % 300007;
		cr_assert_eq(memcmp(got + at, chunk, n), 0, "at byte %zu", at);
		at += n;
		piece = piece * 31 + 7;
	}
	free(got);
	free(chunk);
	free(p);
}

Test(io, atomic_close_without_commit)
{
	char *p = path_in("keep.bib");
	cr_assert_eq(cwt_write_file(p, "earlier content\n", 16), 0);
	chmod(p, 0640);
	size_t before = dir_entries();
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "half-written new content");
	cw_ostream_flush(o);
	cw_ostream_close(o);
	size_t len;
	char *got = cwt_read_file(p, &len);
	cr_expect_str_eq(got, "earlier content\n");
	free(got);
	cr_expect_eq(dir_entries(), before, "a temporary file was left behind");

	/* and a committed replacement keeps the old file's permissions */
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "new\n");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cr_expect_eq(cw_ostream_commit(o), CW_OK, "a second commit is harmless");
	cw_ostream_close(o);
	got = cwt_read_file(p, &len);
	cr_expect_str_eq(got, "new\n");
	free(got);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0640);
	cr_expect_eq(dir_entries(), before);
	free(p);
}

Test(io, atomic_relative_path)
{
	char *dir = strdup(cwt_tmpdir());
	cr_assert_eq(chdir(dir), 0);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, "rel.txt", CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "r");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	size_t len;
	char *got = cwt_read_file("rel.txt", &len);
	cr_expect_str_eq(got, "r");
	free(got);
	free(dir);
}

/* The JSON string escaping, one byte at a time, as the test's reference. */
static void json_reference(cw_buf *out, const char *s, size_t len)
{
	cw_buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			snprintf(esc, sizeof esc, "\\%c", c);
		} else if (c == '\n') {
			snprintf(esc, sizeof esc, "\\n");
		} else if (c == '\t') {
			snprintf(esc, sizeof esc, "\\t");
		} else if (c == '\r') {
			snprintf(esc, sizeof esc, "\\r");
		} else if (c == '\b') {
			snprintf(esc, sizeof esc, "\\b");
		} else if (c == '\f') {
			snprintf(esc, sizeof esc, "\\f");
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
		} else {
			esc[0] = (char)c, esc[1] = '\0';
		}
		cw_buf_append(out, esc, CW_NUL);
	}
	cw_buf_putc(out, '"');
}

Test(io, json_escaping_at_every_position)
{
	/* the escaper works 8 bytes at a time with an overlapping last word:
	 * put each special byte at each position of strings of 0..40 bytes
	 * (and a second one 11 bytes on), after text already in the buffer */
	static const char special[] = {'"', '\\', '\n', '\t', 0x01, 0x1f, '\r', '\b', '\f'};
	cw_buf got = CW_BUF_INIT, want = CW_BUF_INIT;
	char s[41];
	for (size_t len = 0; len <= 40; len++) {
		for (size_t at = 0; at <= len; at++) {
			for (size_t k = 0; k < sizeof special; k++) {
				for (size_t i = 0; i < len; i++)
					s[i] = (char)('a' + (i * 7 + len) % 26);
				if (at < len)
					s[at] = special[k];
				if (len > 3 && at + 2 < len)
					s[len - 1] = '\xc3', s[len - 2] = '~';
				if (at + 11 < len) /* a second one further on */
					s[at + 11] = special[(k + 1) % sizeof special];
				cw_buf_clear(&got);
				cw_buf_clear(&want);
				cw_buf_append(&got, "x:", 2);
				cw_buf_append(&want, "x:", 2);
				cr_assert_eq(cw_buf_append_json(&got, s, len), CW_OK);
				json_reference(&want, s, len);
				cr_assert_eq(got.len, want.len, "length %zu, special at %zu", len,
				             at);
				cr_assert_eq(memcmp(got.data, want.data, got.len), 0,
				             "length %zu, special at %zu: %s", len, at, got.data);
				cr_assert_eq(got.data[got.len], '\0');
				if (at == len)
					break; /* no special byte: once is enough */
			}
		}
	}
	cw_buf_free(&got);
	cw_buf_free(&want);
}

Test(io, escaped_text_is_valid_utf8_without_controls)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"plain", "plain"},
	    {"M\xc3\xbcller \xe2\x80\x94 ok", "M\xc3\xbcller \xe2\x80\x94 ok"},
	    {"a\tb\nc\x1b[2J\x7f", "a\\x09b\\x0Ac\\x1B[2J\\x7F"},
	    {"\xff\xfe", "\\xFF\\xFE"},
	    {"cut \xc3", "cut \\xC3"},           /* a sequence cut short */
	    {"\xc0\xaf", "\\xC0\\xAF"},          /* overlong */
	    {"\xed\xa0\x80", "\\xED\\xA0\\x80"}, /* a surrogate */
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_buf b = CW_BUF_INIT;
		cr_assert_eq(cw_buf_append_escaped(&b, cases[i].in, CW_NUL), CW_OK);
		cr_expect_str_eq(cw_buf_str(&b), cases[i].want, "case %zu", i);
		cr_expect_eq(cw_utf8_check(cw_buf_str(&b), b.len), b.len);
		cw_buf_free(&b);
	}
}

Test(io, utf8_repair_replaces_each_bad_byte)
{
	static const struct {
		const char *in, *want;
		int st;
	} cases[] = {
	    {"ok \xc3\xa9", "ok \xc3\xa9", CW_OK},
	    {"a\xff"
	     "b",
	     "a\xef\xbf\xbd"
	     "b",
	     CW_REPLACED},
	    {"\xc3", "\xef\xbf\xbd", CW_REPLACED},
	    {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", CW_REPLACED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_buf b = CW_BUF_INIT;
		cr_expect_eq(cw_buf_append_utf8(&b, cases[i].in, CW_NUL), cases[i].st, "case %zu",
		             i);
		cr_expect_str_eq(cw_buf_str(&b), cases[i].want, "case %zu", i);
		cw_buf_free(&b);
	}
}

Test(io, buffer_helpers)
{
	cw_buf b = CW_BUF_INIT;
	cr_expect_str_eq(cw_buf_str(&b), "");
	cr_expect_str_eq(cw_buf_str(NULL), "");
	cw_buf_append_json(&b, "a\"b\\c\n\t\x01\xc3\xa9", CW_NUL);
	cr_expect_str_eq(cw_buf_str(&b), "\"a\\\"b\\\\c\\n\\t\\u0001\xc3\xa9\"");
	cw_buf_clear(&b);
	cr_expect_eq(b.len, 0);
	cw_buf_put_utf8(&b, 0x1F600);
	cw_buf_put_utf8(&b, 0xD800);
	cw_buf_put_utf8(&b, 'A');
	cr_expect_str_eq(cw_buf_str(&b), "\360\237\230\200\357\277\275A");
	cr_expect_eq(cw_utf8_check(b.data, b.len), b.len);
	cr_expect_eq(cw_utf8_check("ab\xff", 3), 2);
	uint32_t cp;
	cr_expect_eq(cw_utf8_decode("\xc3\xa9", 2, &cp), 2);
	cr_expect_eq(cp, 0xE9);
	cr_expect_eq(cw_utf8_decode("\xc3", 1, &cp), 1);
	cr_expect_eq(cp, 0xFFFD);
	cw_buf_free(&b);
	cr_expect_null(b.data);
}

Test(io, huge_peek_gets_what_there_is, .timeout = 20)
{
	/* far more than any input: the end of input answers, not the allocator */
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, "abc", 3, NULL), CW_OK);
	const char *p;
	size_t avail = 0;
	cr_expect_eq(cw_istream_peek(in, SIZE_MAX / 2 + 1000, &p, &avail), CW_OK);
	cr_expect_eq(avail, 3);
	cr_expect_eq(memcmp(p, "abc", 3), 0);
	cw_istream_close(in);
	/* an endless source stops at its limit */
	cr_assert_eq(cw_istream_open_callback(&in, endless, NULL, "endless"), CW_OK);
	cw_istream_set_limit(in, 4u << 20);
	cr_expect_eq(cw_istream_peek(in, SIZE_MAX - 100, &p, &avail), CW_ELIMIT);
	cw_istream_close(in);
}

Test(io, limit_set_after_a_look_ahead)
{
	/* format detection peeks before the reader sets the limit: what the
	 * look-ahead already holds counts */
	size_t len = 1000;
	char *data = pattern(len);
	for (int over = 0; over < 2; over++) {
		cw_istream *in = NULL;
		cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
		const char *p, *all;
		size_t avail, n;
		cr_assert_eq(cw_istream_peek(in, 4096, &p, &avail), CW_OK);
		cr_assert_eq(avail, len);
		cw_istream_set_limit(in, over ? len - 1 : len);
		cr_expect_eq(cw_istream_read_all(in, &all, &n), over ? CW_ELIMIT : CW_OK, "over=%d",
		             over);
		cw_istream_close(in);
	}
	free(data);
}

Test(io, atomic_writes_a_fifo_in_place, .timeout = 20)
{
	/* a named pipe (like /dev/stdout or /dev/null) must not be replaced by
	 * a regular file through the rename */
	char *p = path_in("pipe.json");
	cr_assert_eq(mkfifo(p, 0600), 0);
	int rd = open(p, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rd, 0);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "through the pipe");
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	char buf[64] = {0};
	ssize_t n = read(rd, buf, sizeof buf - 1);
	cr_expect_eq(n, 16);
	cr_expect_str_eq(buf, "through the pipe");
	close(rd);
	struct stat st;
	cr_assert_eq(lstat(p, &st), 0);
	cr_expect(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	free(p);
}

Test(io, atomic_follows_a_symlink)
{
	char *real = path_in("real.json"), *link = path_in("link.json");
	cr_assert_eq(cwt_write_file(real, "old", 3), 0);
	cr_assert_eq(symlink("real.json", link), 0);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, link, CW_OSTREAM_ATOMIC), CW_OK);
	cr_expect_str_eq(cw_ostream_name(o), link, "messages name the path as given");
	cw_ostream_puts(o, "new");
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	struct stat st;
	cr_assert_eq(lstat(link, &st), 0);
	cr_expect(S_ISLNK(st.st_mode), "the link was replaced by a file");
	char *got = cwt_read_file(real, NULL);
	cr_expect_str_eq(got, "new");
	free(got);
	/* a dangling link: the target is created through it */
	char *dangling = path_in("dangling.json");
	cr_assert_eq(symlink("target.json", dangling), 0);
	cr_assert_eq(cw_ostream_open_file(&o, dangling, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "t");
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	char *t = path_in("target.json");
	got = cwt_read_file(t, NULL);
	cr_expect_str_eq(got, "t");
	free(got);
	free(t);
	free(dangling);
	free(real);
	free(link);
}

Test(io, atomic_with_the_longest_file_name)
{
	/* 255 bytes, the most a name may have: the temporary name must fit too */
	char name[256];
	memset(name, 'n', 250);
	memcpy(name + 250, ".json", 6);
	char *p = path_in(name);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "long");
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	char *got = cwt_read_file(p, NULL);
	cr_expect_str_eq(got, "long");
	free(got);
	free(p);
}

Test(io, atomic_commit_leaves_the_umask_alone)
{
	/* the umask can only be read by setting it, which changes it for every
	 * thread of an embedder for a moment: files they create meanwhile get
	 * the wrong mode. The library must not call umask() at all. */
	umask(027);
	int before = atomic_load(&umask_calls);
	char *p = path_in("new.txt");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "x");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	cr_expect_eq(atomic_load(&umask_calls), before, "the library called umask()");
	/* and the new file still follows the umask */
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0640);
	free(p);
}
