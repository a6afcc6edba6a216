/*
 * Output streams: buffered writes to a file descriptor (optionally through a
 * temporary file renamed on commit), to memory, or to a callback. Errors are
 * sticky.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

enum { OBUF = 64 * 1024 };
enum sink { SINK_FD, SINK_MEMORY, SINK_CALLBACK };

struct cw_ostream {
	enum sink sink;
	int fd, owns_fd;
	char *path;     /* final path (files) */
	char *tmp_path; /* atomic: where we write until commit */
	int committed;
	cw_buf mem;
	cw_write_fn *fn;
	void *ud;
	char *name;
	int err;
	uint64_t written;
	uint64_t at, kicked; /* bytes written to fd; of them, handed to write-back */
	size_t len;
	char buf[OBUF];
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static int make(cw_ostream **out, enum sink sink, const char *name)
{
	cw_ostream *o = calloc(1, sizeof *o);
	*out = o;
	if (!o)
		return CW_ENOMEM;
	o->sink = sink;
	o->fd = -1;
	o->name = dup_str(name);
	return o->name ? CW_OK : CW_ENOMEM;
}

int cw_ostream_open_file(cw_ostream **out, const char *path, unsigned flags)
{
	if (!out || !path)
		return CW_EINVAL;
	*out = NULL;
	int stdout_ = strcmp(path, "-") == 0;
	cw_ostream *o;
	int rc = make(&o, SINK_FD, stdout_ ? "<stdout>" : path);
	if (rc) {
		cw_ostream_close(o);
		return rc;
	}
	if (stdout_) {
		o->fd = STDOUT_FILENO;
		*out = o;
		return CW_OK;
	}
	/* Only a regular file, or nothing yet, is replaced by a rename. A
	 * device, FIFO or socket (/dev/null, /dev/stdout, a named pipe) is
	 * written in place, and a symbolic link is followed, never replaced. */
	int atomic = (flags & CW_OSTREAM_ATOMIC) != 0;
	char *resolved = NULL;
	struct stat st;
	if (atomic && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		atomic = 0;
	} else if (atomic && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		resolved = realpath(path, NULL);
		if (!resolved)
			atomic = 0; /* dangling: create the target through the link */
	}
	o->path = dup_str(resolved ? resolved : path);
	free(resolved);
	if (!o->path) {
		cw_ostream_close(o);
		return CW_ENOMEM;
	}
	path = o->path;
	if (atomic) {
		const char *slash = strrchr(path, '/');
		size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
		const char *base = slash ? slash + 1 : path;
		cw_buf t = CW_BUF_INIT;
		rc = cw_buf_append(&t, path, dirlen);
		if (rc == CW_OK)
			/* a name near NAME_MAX must still leave room for the suffix */
			rc = cw_buf_printf(&t, ".%.200s.crosswalk-XXXXXX", base);
		if (rc) {
			cw_buf_free(&t);
			cw_ostream_close(o);
			return rc;
		}
		o->tmp_path = t.data;
		o->fd = mkstemp(o->tmp_path);
		if (o->fd < 0) {
			int e = errno;
			free(o->tmp_path);
			o->tmp_path = NULL;
			cw_ostream_close(o);
			errno = e;
			return CW_EIO;
		}
		(void)fcntl(o->fd, F_SETFD, FD_CLOEXEC);
	} else {
		o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (o->fd < 0) {
			int e = errno;
			cw_ostream_close(o);
			errno = e;
			return CW_EIO;
		}
	}
	o->owns_fd = 1;
	*out = o;
	return CW_OK;
}

int cw_ostream_open_memory(cw_ostream **out, const char *name)
{
	if (!out)
		return CW_EINVAL;
	int rc = make(out, SINK_MEMORY, name ? name : "<memory>");
	if (rc) {
		cw_ostream_close(*out);
		*out = NULL;
	}
	return rc;
}

int cw_ostream_open_callback(cw_ostream **out, cw_write_fn *fn, void *ud, const char *name)
{
	if (!out || !fn)
		return CW_EINVAL;
	int rc = make(out, SINK_CALLBACK, name ? name : "<callback>");
	if (rc) {
		cw_ostream_close(*out);
		*out = NULL;
		return rc;
	}
	(*out)->fn = fn;
	(*out)->ud = ud;
	return CW_OK;
}

/*
 * An atomic file is fsynced at commit. Starting the write-back of each MiB
 * while the conversion goes on lets the disk work in parallel, so that fsync
 * finds at most the last MiB to write. Advisory: commit's fsync reports
 * errors.
 */
static void start_writeback(cw_ostream *o)
{
#ifdef SYNC_FILE_RANGE_WRITE
	enum { STEP = 1 << 20 };
	if (o->tmp_path && o->at - o->kicked >= STEP) {
		(void)sync_file_range(o->fd, (off_t)o->kicked, (off_t)(o->at - o->kicked),
		                      SYNC_FILE_RANGE_WRITE);
		o->kicked = o->at;
	}
#else
	(void)o;
#endif
}

static int sink_write(cw_ostream *o, const char *p, size_t n)
{
	switch (o->sink) {
	case SINK_MEMORY:
		return cw_buf_append(&o->mem, p, n);
	case SINK_CALLBACK:
		return o->fn(o->ud, p, n);
	case SINK_FD:
		while (n) {
			ssize_t w = write(o->fd, p, n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return CW_EIO;
			}
			p += w;
			n -= (size_t)w;
			o->at += (uint64_t)w;
		}
		start_writeback(o);
		return CW_OK;
	}
	return CW_EINVAL;
}

int cw_ostream_flush(cw_ostream *o)
{
	if (!o)
		return CW_EINVAL;
	if (o->err)
		return o->err;
	if (o->len) {
		int rc = sink_write(o, o->buf, o->len);
		o->len = 0;
		if (rc)
			return o->err = rc;
	}
	return CW_OK;
}

int cw_ostream_write(cw_ostream *o, const void *data, size_t n)
{
	if (!o || (!data && n))
		return CW_EINVAL;
	if (o->err)
		return o->err;
	o->written += n;
	if (n <= OBUF - o->len) {
		memcpy(o->buf + o->len, data, n);
		o->len += n;
		return CW_OK;
	}
	int rc = cw_ostream_flush(o);
	if (rc)
		return rc;
	if (n >= OBUF) {
		rc = sink_write(o, data, n);
		return rc ? (o->err = rc) : CW_OK;
	}
	memcpy(o->buf, data, n);
	o->len = n;
	return CW_OK;
}

int cw_ostream_puts(cw_ostream *o, const char *s)
{
	return cw_ostream_write(o, s, s ? strlen(s) : 0);
}

int cw_ostream_putc(cw_ostream *o, char c)
{
	if (!o)
		return CW_EINVAL;
	if (o->len >= OBUF || o->err) {
		int rc = cw_ostream_flush(o);
		if (rc)
			return rc;
	}
	o->buf[o->len++] = c;
	o->written++;
	return CW_OK;
}

int cw_ostream_printf(cw_ostream *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	int rc;
	if (n < 0) {
		rc = CW_EINVAL;
	} else if ((size_t)n < sizeof small) {
		rc = cw_ostream_write(o, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			rc = CW_ENOMEM;
		} else {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			rc = cw_ostream_write(o, big, (size_t)n);
			free(big);
		}
	}
	va_end(ap2);
	return rc;
}

uint64_t cw_ostream_offset(const cw_ostream *o)
{
	return o ? o->written : 0;
}

int cw_ostream_error(const cw_ostream *o)
{
	return o ? o->err : CW_EINVAL;
}

const char *cw_ostream_name(const cw_ostream *o)
{
	return o ? o->name : NULL;
}

const char *cw_ostream_memory(const cw_ostream *o, size_t *len)
{
	if (!o || o->sink != SINK_MEMORY) {
		if (len)
			*len = 0;
		return NULL;
	}
	/* include what is still buffered */
	cw_ostream *m = (cw_ostream *)(uintptr_t)o;
	cw_ostream_flush(m);
	if (len)
		*len = m->mem.len;
	return cw_buf_str(&m->mem);
}

/*
 * The process umask. umask() can only read it by setting it, which changes
 * it for every thread of the embedder for a moment; Linux shows it in
 * /proc/self/status, so umask() is the fallback only.
 */
static mode_t current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (f) {
		char line[256];
		unsigned mask;
		while (fgets(line, sizeof line, f)) {
			if (sscanf(line, "Umask: %o", &mask) == 1) {
				fclose(f);
				return (mode_t)(mask & 0777);
			}
		}
		fclose(f);
	}
	mode_t mask = umask(022);
	umask(mask);
	return mask;
}

/* Permissions a newly created file would get: 0666 minus the umask, or the
 * mode of the file being replaced. */
static mode_t target_mode(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	return 0666 & ~current_umask();
}

int cw_ostream_commit(cw_ostream *o)
{
	if (!o)
		return CW_EINVAL;
	int rc = cw_ostream_flush(o);
	if (rc)
		return rc;
	if (o->sink != SINK_FD || !o->tmp_path || o->committed)
		return CW_OK;
	if (fchmod(o->fd, target_mode(o->path)) != 0 || fsync(o->fd) != 0)
		return o->err = CW_EIO;
	if (close(o->fd) != 0) {
		o->fd = -1;
		return o->err = CW_EIO;
	}
	o->fd = -1;
	if (rename(o->tmp_path, o->path) != 0)
		return o->err = CW_EIO;
	o->committed = 1;
	free(o->tmp_path);
	o->tmp_path = NULL;
	return CW_OK;
}

void cw_ostream_close(cw_ostream *o)
{
	if (!o)
		return;
	if (o->sink == SINK_FD && !o->tmp_path && o->fd >= 0)
		cw_ostream_flush(o);
	if (o->owns_fd && o->fd >= 0)
		close(o->fd);
	if (o->tmp_path) {
		int e = errno;
		unlink(o->tmp_path); /* never committed: leave no partial file */
		errno = e;
		free(o->tmp_path);
	}
	cw_buf_free(&o->mem);
	free(o->path);
	free(o->name);
	free(o);
}
