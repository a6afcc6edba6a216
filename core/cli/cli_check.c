/*
 * convert --check: is the file an output would replace already what the
 * run made in memory? Reads each file once, writes nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_check_comparable(const char *path)
{
	if (strcmp(path, "-") == 0) {
		cli_error("--check compares outputs with files: name an output file, not standard "
		          "output (-)");
		return -1;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		cli_error("%s: --check compares regular files only, and this is %s", path,
		          S_ISDIR(st.st_mode)    ? "a directory"
		          : S_ISFIFO(st.st_mode) ? "a named pipe"
		                                 : "a device or socket");
		return -1;
	}
	return 0;
}

/* Reads up to cap bytes, retrying short reads; *got < cap only at the end. */
static int read_full(int fd, char *buf, size_t cap, size_t *got)
{
	*got = 0;
	while (*got < cap) {
		ssize_t r = read(fd, buf + *got, cap - *got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return 0;
}

/*
 * Compares the open file with data without holding the file: 1 if equal, 0
 * if not, -1 on a read error. Reads one byte past len to see the file end.
 */
static int same_stream(int fd, const char *data, size_t len)
{
	char buf[65536];
	size_t off = 0;
	for (;;) {
		size_t got;
		if (read_full(fd, buf, sizeof buf, &got))
			return -1;
		if (got > len - off || memcmp(buf, data + off, got) != 0)
			return 0;
		off += got;
		if (got < sizeof buf)
			return off == len;
	}
}

/* Reads the whole open file into *out (malloc'd). */
static int slurp(int fd, size_t hint, char **out, size_t *len)
{
	size_t cap = hint + 1, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			return -1;
		size_t got;
		if (read_full(fd, buf + n, cap - n, &got)) {
			free(buf);
			return -1;
		}
		n += got;
		if (n < cap)
			break;
		char *g = realloc(buf, cap * 2); /* the file grew since fstat */
		if (!g)
			free(buf);
		buf = g;
		cap *= 2;
	}
	*out = buf;
	*len = n;
	return 0;
}

static void show_diff(FILE *diff_out, const char *old_name, const char *old, size_t olen,
                      const char *path, const char *data, size_t len)
{
	if (cli_diff(diff_out, old_name, old, olen, path, data, len, NULL) == CLI_DIFF_ERROR)
		cli_warning("%s: out of memory: no diff shown", path);
}

enum cli_check_result cli_check_output(const char *path, const char *data, size_t len,
                                       FILE *diff_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) {
			cli_error("%s: cannot read: %s", path, strerror(errno));
			return CLI_CHECK_ERROR;
		}
		fprintf(stderr, "crosswalk: %s does not exist\n", path);
		if (diff_out)
			show_diff(diff_out, "/dev/null", "", 0, path, data, len);
		return CLI_CHECK_MISSING;
	}
	enum cli_check_result res = CLI_CHECK_ERROR;
	char *old = NULL;
	size_t olen = 0;
	struct stat st;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		cli_check_comparable(path); /* says why */
		goto out;
	}
	int same;
	if (!diff_out) {
		/* a file of another size is another file: nothing to read */
		same = (uintmax_t)st.st_size == (uintmax_t)len ? same_stream(fd, data, len) : 0;
	} else {
		if (slurp(fd, (size_t)st.st_size, &old, &olen))
			goto fail;
		same = olen == len && memcmp(old, data, len) == 0;
	}
	if (same < 0)
		goto fail;
	if (same) {
		res = CLI_CHECK_CURRENT;
		goto out;
	}
	fprintf(stderr, "crosswalk: %s would change\n", path);
	if (diff_out)
		show_diff(diff_out, path, old, olen, path, data, len);
	res = CLI_CHECK_CHANGED;
	goto out;
fail:
	cli_error("%s: cannot read: %s", path, strerror(errno));
out:
	free(old);
	close(fd);
	return res;
}
