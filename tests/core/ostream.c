#define _GNU_SOURCE /* syscall */
/*
 * Output streams under faults: the system's reason for a failed write, the
 * two halves of a commit (prepare, then rename) that let a caller commit a
 * group of files or none, the directory's fsync, the owner of a replaced
 * file, removing temporaries from a signal handler, and the temporaries of
 * dead runs. tests/core/io.c has the ordinary cases.
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
#include <sys/wait.h>
#include <unistd.h>

#include "cw_test.h"

/*
 * fsync() as the library sees it (exported from this program, see
 * CMakeLists.txt): records the directories it is called on, then does the
 * real system call.
 */
static atomic_int dir_syncs;
static dev_t synced_dev;
static ino_t synced_ino;
CW_API int fsync(int fd)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		atomic_fetch_add(&dir_syncs, 1);
		synced_dev = st.st_dev;
		synced_ino = st.st_ino;
	}
	return (int)syscall(SYS_fsync, fd);
}

static char *path_in(const char *name)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s", cwt_tmpdir(), name);
	return b.data;
}

static int exists(const char *name)
{
	char *p = path_in(name);
	struct stat st;
	int e = lstat(p, &st) == 0;
	free(p);
	return e;
}

static void put(const char *name, const char *text)
{
	char *p = path_in(name);
	cr_assert_eq(cwt_write_file(p, text, strlen(text)), 0);
	free(p);
}

/* Names in the test's directory that contain ".crosswalk-", counted; the
 * first one copied to first (if not NULL). */
static size_t temporaries(char *first, size_t cap)
{
	DIR *d = opendir(cwt_tmpdir());
	cr_assert_not_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".crosswalk-"))
			continue;
		if (n++ == 0 && first)
			snprintf(first, cap, "%s", de->d_name);
	}
	closedir(d);
	return n;
}

Test(ostream, a_failed_write_keeps_the_system_reason)
{
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, "/dev/full", CW_OSTREAM_ATOMIC), CW_OK);
	cr_expect_eq(cw_ostream_os_error(o), 0);
	cr_expect_eq(cw_ostream_puts(o, "x"), CW_OK, "buffered");
	cr_expect_eq(cw_ostream_flush(o), CW_EIO);
	cr_expect_eq(cw_ostream_error(o), CW_EIO);
	cr_expect_eq(cw_ostream_os_error(o), ENOSPC);
	errno = 0;
	cr_expect_eq(cw_ostream_commit(o), CW_EIO, "sticky");
	cr_expect_eq(cw_ostream_os_error(o), ENOSPC, "the reason survives later calls");
	cw_ostream_close(o);

	/* a failure no system call made has no reason */
	cr_assert_eq(cw_ostream_open_memory(&o, "m"), CW_OK);
	cr_expect_eq(cw_ostream_os_error(o), 0);
	cw_ostream_close(o);
	cr_expect_eq(cw_ostream_os_error(NULL), 0);
}

Test(ostream, prepare_does_all_but_the_rename)
{
	char *p = path_in("out.json");
	put("out.json", "EARLIER\n");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cr_assert_eq(cw_ostream_puts(o, "new\n"), CW_OK);
	cr_assert_eq(cw_ostream_prepare(o), CW_OK);
	cr_expect_eq(cw_ostream_prepare(o), CW_OK, "a second prepare is a no-op");
	char *got = cwt_read_file(p, NULL);
	cr_expect_str_eq(got, "EARLIER\n", "prepared, not yet renamed");
	free(got);
	cr_expect_eq(temporaries(NULL, 0), 1);
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cr_expect_eq(temporaries(NULL, 0), 0);
	got = cwt_read_file(p, NULL);
	cr_expect_str_eq(got, "new\n");
	free(got);
	cw_ostream_close(o);

	/* a prepared stream takes no more bytes, and is then never committed */
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cr_assert_eq(cw_ostream_prepare(o), CW_OK);
	cw_ostream_puts(o, "late");
	cr_expect_neq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	got = cwt_read_file(p, NULL);
	cr_expect_str_eq(got, "new\n");
	free(got);
	cr_expect_eq(temporaries(NULL, 0), 0);
	cr_expect_eq(cw_ostream_prepare(NULL), CW_EINVAL);
	free(p);
}

Test(ostream, a_group_commits_all_or_none)
{
	char *a = path_in("a.json"), *b = path_in("b.json");
	put("a.json", "EARLIER\n");
	cw_ostream *oa = NULL, *ob = NULL, *full = NULL;
	cr_assert_eq(cw_ostream_open_file(&oa, a, CW_OSTREAM_ATOMIC), CW_OK);
	cr_assert_eq(cw_ostream_open_file(&ob, b, CW_OSTREAM_ATOMIC), CW_OK);
	cr_assert_eq(cw_ostream_open_file(&full, "/dev/full", CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream *group[] = {oa, ob, full};
	int failed = 0;
	for (size_t i = 0; i < 3; i++) {
		cw_ostream_puts(group[i], "new\n");
		failed |= cw_ostream_prepare(group[i]) != CW_OK;
	}
	cr_expect(failed, "/dev/full fails to prepare");
	for (size_t i = 0; i < 3; i++)
		cw_ostream_close(group[i]); /* none committed */
	char *got = cwt_read_file(a, NULL);
	cr_expect_str_eq(got, "EARLIER\n");
	free(got);
	cr_expect_not(exists("b.json"));
	cr_expect_eq(temporaries(NULL, 0), 0);
	free(a);
	free(b);
}

Test(ostream, commit_syncs_the_directory)
{
	char *p = path_in("synced.json");
	struct stat dir;
	cr_assert_eq(stat(cwt_tmpdir(), &dir), 0);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "x");
	atomic_store(&dir_syncs, 0);
	cr_assert_eq(cw_ostream_prepare(o), CW_OK);
	cr_expect_eq(atomic_load(&dir_syncs), 0, "the directory changes only with the rename");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cr_expect_eq(atomic_load(&dir_syncs), 1);
	cr_expect(synced_dev == dir.st_dev && synced_ino == dir.st_ino,
	          "not the target's directory");
	cw_ostream_close(o);
	free(p);
}

Test(ostream, a_replaced_file_keeps_its_owner_and_mode)
{
	if (geteuid() != 0)
		cr_skip_test("skipped: giving a file to another user needs root");
	char *p = path_in("owned.json");
	put("owned.json", "EARLIER\n");
	cr_assert_eq(chown(p, 65534, 65534), 0);
	cr_assert_eq(chmod(p, 0604), 0);
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_puts(o, "new\n");
	cr_assert_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_uid, 65534);
	cr_expect_eq(st.st_gid, 65534);
	cr_expect_eq(st.st_mode & 07777, 0604);
	free(p);
}

Test(ostream, remove_temporaries_leaves_nothing_behind)
{
	char *p[3] = {path_in("one.json"), path_in("two.json"), path_in("three.json")};
	put("two.json", "EARLIER\n");
	cw_ostream *o[3] = {NULL, NULL, NULL};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(cw_ostream_open_file(&o[i], p[i], CW_OSTREAM_ATOMIC), CW_OK);
		cw_ostream_puts(o[i], "data\n");
		cr_assert_eq(cw_ostream_flush(o[i]), CW_OK);
	}
	cr_expect_eq(temporaries(NULL, 0), 3);
	/* the middle of the list leaves first */
	cw_ostream_close(o[1]);
	cr_expect_eq(temporaries(NULL, 0), 2);
	o[1] = NULL;
	cr_assert_eq(cw_ostream_open_file(&o[1], p[1], CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_remove_temporaries();
	cr_expect_eq(temporaries(NULL, 0), 0);
	for (size_t i = 0; i < 3; i++) {
		cr_expect_eq(cw_ostream_commit(o[i]), CW_EIO, "a removed temporary cannot commit");
		cr_expect_eq(cw_ostream_os_error(o[i]), ENOENT);
		cw_ostream_close(o[i]);
	}
	cr_expect_not(exists("one.json"));
	char *got = cwt_read_file(p[1], NULL);
	cr_expect_str_eq(got, "EARLIER\n");
	free(got);
	/* and the list is still sound */
	cr_assert_eq(cw_ostream_open_file(&o[0], p[0], CW_OSTREAM_ATOMIC), CW_OK);
	cr_assert_eq(cw_ostream_commit(o[0]), CW_OK);
	cw_ostream_close(o[0]);
	cr_expect(exists("one.json"));
	cw_ostream_remove_temporaries();
	cr_expect(exists("one.json"));
	for (size_t i = 0; i < 3; i++)
		free(p[i]);
}

/* This process's temporary-name fields, read from the name of a real one. */
static void own_fields(char *host, size_t cap, long *pid, unsigned long long *start)
{
	char *p = path_in("probe.json");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	char name[300];
	cr_assert_eq(temporaries(name, sizeof name), 1);
	cw_ostream_close(o);
	free(p);
	const char *tag = ".probe.json.crosswalk-";
	cr_assert_eq(strncmp(name, tag, strlen(tag)), 0, "%s", name);
	const char *f = name + strlen(tag);
	cr_assert_eq(strspn(f, "0123456789abcdef"), 8, "%s", name);
	snprintf(host, cap, "%.8s", f);
	char *end;
	*pid = strtol(f + 9, &end, 10);
	cr_assert_eq(*end, '-', "%s", name);
	*start = strtoull(end + 1, &end, 10);
	cr_assert_eq(*end, '-', "%s", name);
	cr_assert_eq(strlen(end + 1), 6, "%s", name);
}

Test(ostream, a_temporary_names_its_run)
{
	char host[16];
	long pid;
	unsigned long long start;
	own_fields(host, sizeof host, &pid, &start);
	cr_expect_eq(pid, (long)getpid());
#ifdef __linux__
	cr_expect_neq(start, 0, "the start time of this process");
#endif
}

/* The process id of a run that has ended: a child that exited, reaped. */
static long ended_run(void)
{
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0)
		_exit(0);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	return (long)child;
}

Test(ostream, temporaries_of_ended_runs_are_removed)
{
	char host[16];
	long pid;
	unsigned long long start;
	own_fields(host, sizeof host, &pid, &start);
	long dead = ended_run();
	const char *other_host = strcmp(host, "00000000") ? "00000000" : "00000001";

	enum { FILE_, DIR_, FOREIGN_ }; /* FOREIGN_: a file of another user */
	struct {
		char name[160];
		int kind, removed;
	} c[8];
	size_t n = 0;
#define CASE(kind_, removed_, ...)                                                                 \
	(snprintf(c[n].name, sizeof c[n].name, __VA_ARGS__), c[n].kind = kind_,                    \
	 c[n].removed = removed_, n++)
	/* a run that ended */
	CASE(FILE_, 1, ".dead.json.crosswalk-%s-%ld-%llu-AbCdE9", host, dead, 12345ull);
	/* the same process id, now another process (it started at another time) */
	CASE(FILE_, 1, ".reused.json.crosswalk-%s-%ld-%llu-AbCdE9", host, pid, start + 1);
	/* this very run, alive */
	CASE(FILE_, 0, ".live.json.crosswalk-%s-%ld-%llu-AbCdE9", host, pid, start);
	/* another host's run: its process ids are not ours to check */
	CASE(FILE_, 0, ".far.json.crosswalk-%s-%ld-%llu-AbCdE9", other_host, dead, 12345ull);
	/* not a regular file, not ours, or not a name of the scheme */
	CASE(DIR_, 0, ".dir.json.crosswalk-%s-%ld-%llu-AbCdE9", host, dead, 12345ull);
	if (geteuid() == 0)
		CASE(FOREIGN_, 0, ".theirs.json.crosswalk-%s-%ld-%llu-AbCdE9", host, dead,
		     12345ull);
	CASE(FILE_, 0, ".short.json.crosswalk-%s-%ld-%llu-AbCdE", host, dead, 12345ull);
	CASE(FILE_, 0, "visible.json.crosswalk-%s-%ld-%llu-AbCdE9", host, dead, 12345ull);
#undef CASE
	for (size_t i = 0; i < n; i++) {
		char *q = path_in(c[i].name);
		if (c[i].kind == DIR_)
			cr_assert_eq(mkdir(q, 0700), 0);
		else
			cr_assert_eq(cwt_write_file(q, "debris", 6), 0);
		if (c[i].kind == FOREIGN_)
			cr_assert_eq(chown(q, 65534, 65534), 0);
		free(q);
	}

	char *p = path_in("next.json");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC), CW_OK);
	cw_ostream_close(o);
	free(p);
	for (size_t i = 0; i < n; i++) {
		char *q = path_in(c[i].name);
		struct stat st;
		int there = lstat(q, &st) == 0;
		free(q);
		cr_expect_eq(!there, c[i].removed, "%s %s", c[i].name, there ? "kept" : "removed");
	}
}

/*
 * CW_OSTREAM_NO_SWEEP leaves the directory to the caller, who sweeps it
 * once with cw_ostream_remove_stale (crosswalk batch, convert -d): many
 * files written into one directory do not each read the whole directory.
 * A symbolic link's target directory is swept all the same.
 */
Test(ostream, one_sweep_for_many_files)
{
	char host[16];
	long pid;
	unsigned long long start;
	own_fields(host, sizeof host, &pid, &start);
	long dead = ended_run();
	char name[160];
	snprintf(name, sizeof name, ".dead.json.crosswalk-%s-%ld-12345-AbCdE9", host, dead);
	put(name, "debris");

	char *p = path_in("next.json");
	cw_ostream *o = NULL;
	cr_assert_eq(cw_ostream_open_file(&o, p, CW_OSTREAM_ATOMIC | CW_OSTREAM_NO_SWEEP), CW_OK);
	cr_expect(exists(name), "not swept with CW_OSTREAM_NO_SWEEP");
	cr_expect_eq(cw_ostream_commit(o), CW_OK);
	cw_ostream_close(o);
	cr_expect(exists("next.json"));

	cw_ostream_remove_stale(cwt_tmpdir());
	cr_expect(!exists(name), "swept by cw_ostream_remove_stale");
	cr_expect(exists("next.json"), "only the temporaries of ended runs go");

	/* through a link, the target's directory is swept: the caller swept
	 * the link's */
	char *sub = path_in("sub");
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(name, sizeof name, "sub/.dead.json.crosswalk-%s-%ld-12345-AbCdE9", host, dead);
	put(name, "debris");
	put("sub/target.json", "old");
	char *link = path_in("link.json");
	cr_assert_eq(symlink("sub/target.json", link), 0);
	cr_assert_eq(cw_ostream_open_file(&o, link, CW_OSTREAM_ATOMIC | CW_OSTREAM_NO_SWEEP),
	             CW_OK);
	cw_ostream_close(o);
	cr_expect(!exists(name), "a link's target directory is swept");
	free(link);
	free(sub);
	free(p);
}
