/*
 * Output streams: buffered writes to a file descriptor (optionally through a
 * temporary file renamed on commit), to memory, or to a callback. Errors are
 * sticky, and keep the errno that explains them.
 *
 * Temporary files are named ".NAME.crosswalk-HOST-PID-START-XXXXXX": the run
 * that made one (a hash of the host name and process-id namespace, the
 * process id and its start time) can be told apart from a live one, so that
 * opening a file in a directory removes the temporaries of dead runs there
 * (killed with SIGKILL, or by a power loss). The temporaries a live process holds are in one process-wide
 * list that cw_ostream_remove_temporaries walks from a signal handler.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
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
	char *path;                      /* final path (files) */
	char *tmp_path;                  /* atomic: where we write until commit; set while listed */
	int prepared;                    /* atomic: synced and closed, only the rename is left */
	_Atomic(cw_ostream *) live_next; /* the list of live temporaries */
	int live;
	cw_buf mem;
	cw_write_fn *fn;
	void *ud;
	char *name;
	int err;
	int os_err; /* errno of the failure behind err, or 0 */
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

/* Records a failure with the errno that explains it; returns rc. */
static int fail(cw_ostream *o, int rc)
{
	o->os_err = errno;
	o->err = rc;
	return rc;
}

/* --- the temporaries of this process --- */

/*
 * Streams whose temporary file exists, newest first. A signal handler may
 * walk the list at any moment of the thread it interrupts: a stream is
 * linked in and out by single atomic stores, each leaving a whole list, and
 * it is unlinked before its path is freed. The flag only keeps two threads
 * from changing the list at once; the handler never takes it.
 */
static _Atomic(cw_ostream *) live_head;
static atomic_flag live_lock = ATOMIC_FLAG_INIT;
/* an atomic pointer that needs a lock could deadlock the handler that reads it */
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "the list of temporaries needs lock-free pointers");

static void live_add(cw_ostream *o)
{
	while (atomic_flag_test_and_set(&live_lock))
		;
	atomic_store(&o->live_next, atomic_load(&live_head));
	atomic_store(&live_head, o);
	o->live = 1;
	atomic_flag_clear(&live_lock);
}

static void live_remove(cw_ostream *o)
{
	if (!o->live)
		return;
	while (atomic_flag_test_and_set(&live_lock))
		;
	_Atomic(cw_ostream *) *link = &live_head;
	cw_ostream *at;
	while ((at = atomic_load(link)) && at != o)
		link = &at->live_next;
	if (at)
		atomic_store(link, atomic_load(&o->live_next));
	o->live = 0;
	atomic_flag_clear(&live_lock);
}

void cw_ostream_remove_temporaries(void)
{
	int e = errno;
	for (cw_ostream *o = atomic_load(&live_head); o; o = atomic_load(&o->live_next))
		unlink(o->tmp_path);
	errno = e;
}

/* --- naming temporaries after the run that made them --- */

static const char tmp_tag[] = ".crosswalk-";

/*
 * A hash of the host name and of the process-id namespace (Linux): the
 * process ids of runs on another machine sharing the directory (NFS), or in
 * another container sharing a volume, cannot be checked from here.
 */
static unsigned host_hash(void)
{
	char host[256 + 64] = "";
	if (gethostname(host, 256) != 0)
		host[0] = '\0';
	host[256] = '\0';
	size_t n = strlen(host);
	ssize_t ns = readlink("/proc/self/ns/pid", host + n, sizeof host - n - 1);
	host[n + (ns > 0 ? (size_t)ns : 0)] = '\0';
	unsigned h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)host; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/*
 * When process pid started, in clock ticks since boot (Linux: field 22 of
 * /proc/PID/stat), or 0 where that cannot be read. With the process id it
 * names one run: a later process that reuses the id started later.
 */
static unsigned long long start_time(long pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	/* the command name (field 2) is in parentheses and may hold anything */
	char *p = strrchr(text, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return 0;
	char *end;
	unsigned long long t = strtoull(p + 1, &end, 10);
	return end > p + 1 ? t : 0;
}

/*
 * Reads "HOST-PID-START-XXXXXX" after the tag in a temporary's name.
 * Returns 1 when name is a temporary of this naming scheme.
 */
static int parse_tmp_name(const char *name, unsigned *host, long *pid, unsigned long long *start)
{
	if (name[0] != '.')
		return 0;
	const char *t = NULL;
	for (const char *p = strstr(name, tmp_tag); p; p = strstr(p + 1, tmp_tag))
		t = p;
	if (!t)
		return 0;
	t += sizeof tmp_tag - 1;
	char *end;
	if (strspn(t, "0123456789abcdef") != 8 || t[8] != '-')
		return 0;
	*host = (unsigned)strtoul(t, NULL, 16);
	t += 9;
	if (*t < '1' || *t > '9')
		return 0;
	errno = 0;
	*pid = strtol(t, &end, 10);
	if (errno || *end != '-' || *pid <= 0)
		return 0;
	t = end + 1;
	if (*t < '0' || *t > '9')
		return 0;
	*start = strtoull(t, &end, 10);
	if (errno || *end != '-')
		return 0;
	t = end + 1;
	return strlen(t) == 6 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                   "0123456789") == 6;
}

/* 1 when the run that named a temporary (pid, start) has ended. */
static int run_ended(long pid, unsigned long long start)
{
	if (start) {
		unsigned long long now = start_time(pid);
		if (now)
			return now != start; /* the id now belongs to a later process */
	}
	/* no start time to compare: only a missing process has certainly ended */
	if (pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/*
 * Removes the temporaries in dir (dirlen bytes of path; 0 = the current
 * directory) that runs of this host left when they died without cleaning
 * up. Only regular files of our own user: never another user's file, and
 * never a file a live run is writing. Best effort: errors are ignored.
 */
static void remove_stale(const char *path, size_t dirlen, unsigned host)
{
	char *dir = malloc(dirlen + 2);
	if (!dir)
		return;
	if (dirlen)
		memcpy(dir, path, dirlen);
	else
		dir[dirlen++] = '.';
	dir[dirlen] = '\0';
	int e = errno;
	DIR *d = opendir(dir);
	free(dir);
	if (!d) {
		errno = e;
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		unsigned h;
		long pid;
		unsigned long long start;
		struct stat st;
		if (!parse_tmp_name(de->d_name, &h, &pid, &start) || h != host)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (run_ended(pid, start))
			(void)unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	errno = e;
}

void cw_ostream_remove_stale(const char *dir)
{
	remove_stale(dir ? dir : "", dir ? strlen(dir) : 0, host_hash());
}

/* Creates the temporary file beside o->path and lists it; sweep: remove_stale first. */
static int open_tmp(cw_ostream *o, int sweep)
{
	const char *path = o->path;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	unsigned host = host_hash();
	long pid = (long)getpid();
	if (sweep)
		remove_stale(path, dirlen, host);
	cw_buf t = CW_BUF_INIT;
	int rc = cw_buf_append(&t, path, dirlen);
	if (rc == CW_OK)
		/* a name near NAME_MAX must still leave room for the suffix (at most 67) */
		rc = cw_buf_printf(&t, ".%.160s%s%08x-%ld-%llu-XXXXXX", base, tmp_tag, host, pid,
		                   start_time(pid));
	if (rc) {
		cw_buf_free(&t);
		return rc;
	}
	o->fd = mkstemp(t.data);
	if (o->fd < 0) {
		int e = errno;
		cw_buf_free(&t);
		errno = e;
		return CW_EIO;
	}
	(void)fcntl(o->fd, F_SETFD, FD_CLOEXEC);
	o->tmp_path = t.data;
	live_add(o);
	return CW_OK;
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
	/* the caller swept the directory of path, not of a link's target */
	int sweep = !(flags & CW_OSTREAM_NO_SWEEP) || resolved;
	free(resolved);
	if (!o->path) {
		cw_ostream_close(o);
		return CW_ENOMEM;
	}
	if (atomic) {
		rc = open_tmp(o, sweep);
	} else {
		o->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		rc = o->fd < 0 ? CW_EIO : CW_OK;
	}
	if (rc) {
		int e = errno;
		cw_ostream_close(o);
		errno = e;
		return rc;
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
		if (o->fd < 0) /* prepared: the file is closed */
			return CW_EINVAL;
		while (n) {
			ssize_t w = write(o->fd, p, n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				o->os_err = errno;
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

int cw_ostream_os_error(const cw_ostream *o)
{
	return o && o->err ? o->os_err : 0;
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

/*
 * Gives the temporary file the owner and permissions of the file it
 * replaces (the owner where we may: root may give it any, a member of the
 * file's group that group), or those of a new file: 0666 minus the umask.
 */
static int take_over_attributes(cw_ostream *o)
{
	struct stat st;
	mode_t mode;
	if (stat(o->path, &st) == 0) {
		/* before fchmod: a change of owner clears the set-id bits */
		if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
		    fchown(o->fd, st.st_uid, st.st_gid) != 0)
			(void)fchown(o->fd, (uid_t)-1, st.st_gid);
		mode = st.st_mode & 07777;
	} else {
		mode = 0666 & ~current_umask();
	}
	return fchmod(o->fd, mode);
}

int cw_ostream_prepare(cw_ostream *o)
{
	if (!o)
		return CW_EINVAL;
	int rc = cw_ostream_flush(o);
	if (rc)
		return rc;
	if (o->sink != SINK_FD || !o->tmp_path || o->prepared)
		return CW_OK;
	if (take_over_attributes(o) != 0)
		return fail(o, CW_EIO);
	while (fsync(o->fd) != 0)
		if (errno != EINTR)
			return fail(o, CW_EIO);
	int fd = o->fd;
	o->fd = -1;
	/* after EINTR the descriptor is gone too (Linux), and fsync saw the data */
	if (close(fd) != 0 && errno != EINTR)
		return fail(o, CW_EIO);
	o->prepared = 1;
	return CW_OK;
}

/*
 * Makes a rename in the directory of path durable. A file system that
 * cannot sync a directory (EINVAL) or a directory we may not open for
 * reading leaves nothing to do; an I/O error is a failure.
 */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == path ? dup_str("/")
	            : slash       ? malloc((size_t)(slash - path) + 1)
	                          : dup_str(".");
	if (!dir)
		return CW_ENOMEM;
	if (slash > path) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return CW_OK;
	int rc = CW_OK;
	while (fsync(fd) != 0) {
		if (errno == EINTR)
			continue;
		if (errno != EINVAL && errno != EROFS && errno != ENOTSUP)
			rc = CW_EIO;
		break;
	}
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int cw_ostream_commit(cw_ostream *o)
{
	int rc = cw_ostream_prepare(o);
	if (rc)
		return rc;
	if (o->sink != SINK_FD || !o->tmp_path)
		return CW_OK;
	if (rename(o->tmp_path, o->path) != 0)
		return fail(o, CW_EIO);
	/* unlisted only now: a signal before this finds no file, never debris */
	live_remove(o);
	free(o->tmp_path);
	o->tmp_path = NULL;
	rc = sync_dir(o->path);
	return rc ? fail(o, rc) : CW_OK;
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
		live_remove(o);
		errno = e;
		free(o->tmp_path);
	}
	cw_buf_free(&o->mem);
	free(o->path);
	free(o->name);
	free(o);
}
