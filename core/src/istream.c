/*
 * Input streams: file descriptors, memory and callbacks behind one buffered
 * window with look-ahead, a byte limit, and NUL padding after the data;
 * lines for line-based readers, with one line of push-back, and the line
 * and column of what was consumed, counted only when someone asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

enum { CHUNK = 64 * 1024, PAD = 16 };
enum source { SRC_FD, SRC_MEMORY, SRC_CALLBACK };

struct cw_istream {
	enum source src;
	int fd, owns_fd;
	const char *mem;
	size_t memlen, mempos;
	cw_read_fn *fn;
	void *ud;
	char *name;
	char *buf;
	size_t cap, start, end; /* unread window is buf[start, end) */
	int eof;
	int err;
	uint64_t consumed;  /* bytes handed out */
	uint64_t delivered; /* bytes taken from the source */
	uint64_t limit;
	/* position: consumed bytes buf[counted, start) are not counted yet */
	size_t counted;
	uint32_t line, col;
	/* the line cw_istream_read_line returned last: its bytes (terminator
	 * included) and the position before it; 0 when it cannot be put back */
	size_t last_len;
	uint32_t last_line, last_col;
};

static int make(cw_istream **out, enum source src, const char *name)
{
	cw_istream *in = calloc(1, sizeof *in);
	*out = in;
	if (!in)
		return CW_ENOMEM;
	in->src = src;
	in->fd = -1;
	in->line = in->col = 1;
	size_t n = strlen(name);
	in->name = malloc(n + 1);
	if (!in->name)
		return CW_ENOMEM;
	memcpy(in->name, name, n + 1);
	return CW_OK;
}

int cw_istream_open_file(cw_istream **out, const char *path)
{
	if (!out || !path)
		return CW_EINVAL;
	*out = NULL;
	int stdin_ = strcmp(path, "-") == 0;
	int fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? CW_ENOTFOUND : CW_EIO;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!stdin_)
			close(fd);
		errno = EISDIR;
		return CW_EIO;
	}
	cw_istream *in;
	int rc = make(&in, SRC_FD, stdin_ ? "<stdin>" : path);
	if (rc) {
		cw_istream_close(in);
		if (!stdin_)
			close(fd);
		return rc;
	}
	in->fd = fd;
	in->owns_fd = !stdin_;
	*out = in;
	return CW_OK;
}

int cw_istream_open_memory(cw_istream **out, const void *data, size_t len, const char *name)
{
	if (!out || (!data && len))
		return CW_EINVAL;
	*out = NULL;
	cw_istream *in;
	int rc = make(&in, SRC_MEMORY, name ? name : "<memory>");
	if (rc) {
		cw_istream_close(in);
		return rc;
	}
	in->mem = data;
	in->memlen = len;
	*out = in;
	return CW_OK;
}

int cw_istream_open_callback(cw_istream **out, cw_read_fn *fn, void *ud, const char *name)
{
	if (!out || !fn)
		return CW_EINVAL;
	*out = NULL;
	cw_istream *in;
	int rc = make(&in, SRC_CALLBACK, name ? name : "<callback>");
	if (rc) {
		cw_istream_close(in);
		return rc;
	}
	in->fn = fn;
	in->ud = ud;
	*out = in;
	return CW_OK;
}

void cw_istream_close(cw_istream *in)
{
	if (!in)
		return;
	if (in->owns_fd && in->fd >= 0)
		close(in->fd);
	free(in->buf);
	free(in->name);
	free(in);
}

const char *cw_istream_name(const cw_istream *in)
{
	return in ? in->name : NULL;
}

void cw_istream_set_limit(cw_istream *in, uint64_t max_bytes)
{
	if (!in)
		return;
	in->limit = max_bytes;
	/* a look-ahead (format detection) may already hold more than the new
	 * limit, and at the end of input no further fill would notice */
	if (max_bytes && in->delivered > max_bytes && !in->err)
		in->err = CW_ELIMIT;
}

uint64_t cw_istream_offset(const cw_istream *in)
{
	return in ? in->consumed : 0;
}

/* Reads up to cap bytes from the source. */
static int source_read(cw_istream *in, char *dst, size_t cap, size_t *got)
{
	*got = 0;
	switch (in->src) {
	case SRC_MEMORY: {
		size_t n = in->memlen - in->mempos;
		if (n > cap)
			n = cap;
		if (n) /* an empty stream may have no data pointer at all */
			memcpy(dst, in->mem + in->mempos, n);
		in->mempos += n;
		*got = n;
		return CW_OK;
	}
	case SRC_CALLBACK:
		return in->fn(in->ud, dst, cap, got);
	case SRC_FD:
		for (;;) {
			ssize_t n = read(in->fd, dst, cap);
			if (n >= 0) {
				*got = (size_t)n;
				return CW_OK;
			}
			if (errno != EINTR)
				return CW_EIO;
		}
	}
	return CW_EINVAL;
}

/*
 * How many of the n bytes at p are value once masked with mask. A byte-wide
 * count per block (at most 255, a multiple of 16) lets the compiler compare
 * 16 bytes at once: cheaper than a memchr call per line, since most lines
 * are short.
 */
static size_t count_bytes(const char *p, size_t n, unsigned char mask, unsigned char value)
{
	size_t total = 0;
	while (n) {
		size_t k = n < 240 ? n : 240;
		unsigned char block = 0;
		for (size_t i = 0; i < k; i++)
			block = (unsigned char)(block + (((unsigned char)p[i] & mask) == value));
		total += block;
		p += k;
		n -= k;
	}
	return total;
}

/*
 * Counts the lines and columns of the consumed bytes not counted yet. A
 * column is a character (UTF-8 continuation bytes do not count); a byte
 * order mark at the very start is none.
 */
static void count_consumed(cw_istream *in)
{
	const char *p = in->buf + in->counted, *end = in->buf + in->start;
	if (p < end && in->consumed - (uint64_t)(end - p) == 0 && end - p >= 3 &&
	    memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t lines = count_bytes(p, (size_t)(end - p), 0xFF, '\n');
	if (lines) {
		uint64_t line = (uint64_t)in->line + lines;
		in->line = line < UINT32_MAX ? (uint32_t)line : UINT32_MAX;
		in->col = 1;
		const char *last = end; /* a line break lies in [p, end) */
		while (last[-1] != '\n')
			last--;
		p = last; /* the columns are those after the last one */
	}
	size_t n = (size_t)(end - p);
	uint64_t col = (uint64_t)in->col + n - count_bytes(p, n, 0xC0, 0x80);
	in->col = col < UINT32_MAX ? (uint32_t)col : UINT32_MAX;
	in->counted = in->start;
}

/* Makes room for at least need bytes in the window (plus padding). */
static int ensure_cap(cw_istream *in, size_t need)
{
	in->last_len = 0; /* the bytes of the last line may move or go */
	if (in->start > 0 && (in->cap - in->end < CHUNK + PAD || in->start == in->end)) {
		count_consumed(in);
		in->counted = 0;
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	/* grow at most geometrically: a caller asking for far more than the
	 * input holds gets what there is after a few fills, not one giant
	 * allocation or a size that overflows (peek loops until it has enough) */
	size_t most = in->cap > CHUNK ? in->cap : CHUNK;
	size_t step = need < CHUNK ? CHUNK : need > most ? most : need;
	size_t want = in->end + step + PAD;
	if (want <= in->cap)
		return CW_OK;
	size_t cap = in->cap ? in->cap : CHUNK + PAD;
	while (cap < want)
		cap *= 2;
	char *p = realloc(in->buf, cap);
	if (!p)
		return CW_ENOMEM;
	in->buf = p;
	in->cap = cap;
	return CW_OK;
}

/* Reads one more chunk into the window. */
static int fill(cw_istream *in, size_t want_more)
{
	if (in->err)
		return in->err;
	if (in->eof)
		return CW_OK;
	int rc = ensure_cap(in, want_more);
	if (rc)
		return in->err = rc;
	size_t room = in->cap - in->end - PAD, got;
	rc = source_read(in, in->buf + in->end, room, &got);
	if (rc)
		return in->err = rc;
	if (got == 0)
		in->eof = 1;
	in->end += got;
	in->delivered += got;
	memset(in->buf + in->end, 0, PAD);
	if (in->limit && in->delivered > in->limit)
		return in->err = CW_ELIMIT;
	return CW_OK;
}

int cw_istream_peek(cw_istream *in, size_t want, const char **data, size_t *avail)
{
	if (!in || !data || !avail)
		return CW_EINVAL;
	while (in->end - in->start < want && !in->eof) {
		int rc = fill(in, want - (in->end - in->start));
		if (rc)
			return rc;
	}
	if (!in->buf) {
		int rc = ensure_cap(in, 0);
		if (rc)
			return rc;
		memset(in->buf, 0, PAD);
	}
	*data = in->buf + in->start;
	*avail = in->end - in->start;
	return in->err;
}

void cw_istream_consume(cw_istream *in, size_t n)
{
	if (!in)
		return;
	if (n > in->end - in->start)
		n = in->end - in->start;
	in->start += n;
	in->consumed += n;
	in->last_len = 0;
}

int cw_istream_read(cw_istream *in, void *buf, size_t cap, size_t *got)
{
	if (!in || !got || (!buf && cap))
		return CW_EINVAL;
	*got = 0;
	if (in->start == in->end && !in->eof) {
		int rc = fill(in, cap);
		if (rc)
			return rc;
	}
	size_t n = in->end - in->start;
	if (n > cap)
		n = cap;
	if (n)
		memcpy(buf, in->buf + in->start, n);
	cw_istream_consume(in, n);
	*got = n;
	return in->err;
}

int cw_istream_read_all(cw_istream *in, const char **data, size_t *len)
{
	if (!in || !data || !len)
		return CW_EINVAL;
	while (!in->eof) {
		/* grow geometrically so a big input costs O(n) copies */
		size_t have = in->end - in->start;
		int rc = fill(in, have > CHUNK ? have : CHUNK);
		if (rc)
			return rc;
	}
	const char *d;
	size_t n;
	int rc = cw_istream_peek(in, 0, &d, &n);
	if (rc)
		return rc;
	*data = d;
	*len = n;
	/* consumed from the reader's point of view, but the bytes stay in buf */
	in->consumed += n;
	in->start = in->end;
	return CW_OK;
}

void cw_istream_position(cw_istream *in, uint32_t *line, uint32_t *column)
{
	if (in && in->buf)
		count_consumed(in);
	if (line)
		*line = in ? in->line : 0;
	if (column)
		*column = in ? in->col : 0;
}

int cw_istream_read_line(cw_istream *in, size_t max, const char **line, size_t *len)
{
	if (!in || !line || !len)
		return CW_EINVAL;
	*line = NULL;
	*len = 0;
	size_t scanned = 0; /* bytes after start known to hold no newline */
	const char *nl;
	for (;;) {
		size_t have = in->end - in->start;
		nl = have > scanned ? memchr(in->buf + in->start + scanned, '\n', have - scanned)
		                    : NULL;
		if (nl || in->eof)
			break;
		scanned = have;
		if (max && have > max)
			return CW_ELIMIT;
		int rc = fill(in, have < CHUNK ? CHUNK : have);
		if (rc)
			return rc;
	}
	size_t have = in->end - in->start;
	if (!have) {
		in->last_len = 0;
		return in->err ? in->err : CW_EOF;
	}
	size_t n = nl ? (size_t)(nl - (in->buf + in->start)) : have;
	if (max && n > max)
		return CW_ELIMIT;
	count_consumed(in);
	uint32_t at_line = in->line, at_col = in->col;
	*line = in->buf + in->start;
	size_t used = n + (nl != NULL);
	cw_istream_consume(in, used);
	if (n && (*line)[n - 1] == '\r' && nl)
		n--; /* CR LF */
	*len = n;
	in->last_len = used;
	in->last_line = at_line;
	in->last_col = at_col;
	return CW_OK;
}

int cw_istream_unread_line(cw_istream *in)
{
	if (!in)
		return CW_EINVAL;
	if (!in->last_len || in->last_len > in->start)
		return CW_EINVAL;
	in->start -= in->last_len;
	in->consumed -= in->last_len;
	in->counted = in->start;
	in->line = in->last_line;
	in->col = in->last_col;
	in->last_len = 0;
	return CW_OK;
}
