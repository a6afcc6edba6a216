/*
 * crosswalk convert --check and --diff, run as a user runs them: the built
 * binary ($CW_CROSSWALK) with this build's plugins, in a directory of the
 * test's own.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cw_test.h"

#define FX "--plugin " CWT_FIXTURE_PLUGIN

/* Runs a shell command in the test's directory; stdout and stderr go to out. */
CW_PRINTF(2, 3) static int sh(cw_buf *out, const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	cw_buf cmd = CW_BUF_INIT;
	cw_buf_printf(&cmd, "cd '%s' && %s", cwt_tmpdir(), args);
	if (out)
		cw_buf_clear(out);
	int rc = cwt_run(cmd.data, out);
	cw_buf_free(&cmd);
	return rc;
}

#define CW "timeout 60 \"$CW_CROSSWALK\" "

static char *path(const char *name)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s", cwt_tmpdir(), name);
	return b.data;
}

static void put(const char *name, const char *content)
{
	char *p = path(name);
	cr_assert_eq(cwt_write_file(p, content, strlen(content)), 0);
	free(p);
}

/* The file's content (free it), or NULL when it does not exist. */
static char *get(const char *name)
{
	char *p = path(name);
	char *s = cwt_read_file(p, NULL);
	free(p);
	return s;
}

static int exists(const char *name)
{
	char *p = path(name);
	struct stat st;
	int e = stat(p, &st) == 0;
	free(p);
	return e;
}

static int rm(const char *name)
{
	char *p = path(name);
	int rc = remove(p);
	free(p);
	return rc;
}

static int has(const cw_buf *b, const char *needle)
{
	return strstr(cw_buf_str(b), needle) != NULL;
}

/*
 * The state of the test's directory: every name (hidden ones too) with its
 * inode, size and modification time, and the directory's own times. A file
 * written, replaced, created or removed (even a temporary one, which
 * changes the directory's mtime) changes it. Free it.
 */
static char *snapshot(void)
{
	const char *dir = cwt_tmpdir();
	cw_buf b = CW_BUF_INIT;
	struct stat st;
	cr_assert_eq(stat(dir, &st), 0);
	cw_buf_printf(&b, ". %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	char *names[64];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 64)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		char *p = path(names[i]);
		cr_assert_eq(stat(p, &st), 0);
		cw_buf_printf(&b, "%s %llu %lld %lld.%09ld\n", names[i], (unsigned long long)st.st_ino,
		              (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		              st.st_mtim.tv_nsec);
		free(p);
		free(names[i]);
	}
	return b.data;
}

/* Sets every file's and the directory's times to 2001: any write would show. */
static void age_everything(void)
{
	cr_assert_eq(sh(NULL, "touch -d 2001-01-01T00:00:00 * . && touch -c -d 2001-01-01 .[!.]*"),
	             0);
}

/* clang-format off */
static const char items[] =
    "[\n"
    "  {\"id\": \"doe2020\", \"type\": \"article-journal\", \"title\": \"Rivers of Europe\",\n"
    "   \"author\": [{\"family\": \"Doe\", \"given\": \"Jane\"}],\n"
    "   \"issued\": {\"date-parts\": [[2020, 3]]}, \"container-title\": \"Hydrology\"},\n"
    "  {\"id\": \"roe2021\", \"type\": \"book\", \"title\": \"Lakes\",\n"
    "   \"author\": [{\"family\": \"Roe\", \"given\": \"Ray\"}], \"publisher\": \"Acme\",\n"
    "   \"issued\": {\"date-parts\": [[2021]]}}\n"
    "]\n";
/* the same with the book's title changed */
static const char items2[] =
    "[\n"
    "  {\"id\": \"doe2020\", \"type\": \"article-journal\", \"title\": \"Rivers of Europe\",\n"
    "   \"author\": [{\"family\": \"Doe\", \"given\": \"Jane\"}],\n"
    "   \"issued\": {\"date-parts\": [[2020, 3]]}, \"container-title\": \"Hydrology\"},\n"
    "  {\"id\": \"roe2021\", \"type\": \"book\", \"title\": \"Ponds\",\n"
    "   \"author\": [{\"family\": \"Roe\", \"given\": \"Ray\"}], \"publisher\": \"Acme\",\n"
    "   \"issued\": {\"date-parts\": [[2021]]}}\n"
    "]\n";
/* clang-format on */

/* refs.json and its outputs a.bib and a.json, written by a plain run. */
static void converted(void)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(sh(&out, CW "convert -q refs.json -o a.bib -o a.json"), 0, "%s",
	             cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(check, current_outputs_exit_0_and_leave_the_directory_untouched)
{
	converted();
	age_everything();
	char *before = snapshot();
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_eq(out.len, 0, "%s", cw_buf_str(&out));
	/* --diff of current outputs prints nothing either */
	cr_expect_eq(sh(&out, CW "convert --diff refs.json -o a.bib -o a.json"), 0);
	cr_expect_eq(out.len, 0, "%s", cw_buf_str(&out));
	/* and one output as the positional OUT */
	cr_expect_eq(sh(&out, CW "convert --check refs.json a.bib"), 0, "%s", cw_buf_str(&out));
	char *after = snapshot();
	cr_expect_str_eq(after, before, "--check changed the directory");
	free(before);
	free(after);
	cw_buf_free(&out);
}

Test(check, a_changed_input_exits_1_and_names_each_output)
{
	converted();
	char *bib = get("a.bib"), *json = get("a.json");
	put("refs.json", items2);
	age_everything();
	char *before = snapshot();
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 1, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(cw_buf_str(&out),
	                 "crosswalk: a.bib would change\ncrosswalk: a.json would change\n");
	char *after = snapshot();
	cr_expect_str_eq(after, before, "--check changed the directory");
	char *bib2 = get("a.bib"), *json2 = get("a.json");
	cr_expect_str_eq(bib2, bib);
	cr_expect_str_eq(json2, json);
	free(before);
	free(after);
	free(bib);
	free(json);
	free(bib2);
	free(json2);
	cw_buf_free(&out);
}

Test(check, of_several_outputs_only_those_that_differ_are_named)
{
	converted();
	/* a.json: the same size, one byte different (compared without diff); a.bib current */
	char *json = get("a.json");
	char *t = strstr(json, "Lakes");
	cr_assert_not_null(t);
	t[0] = 'F';
	put("a.json", json);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: a.json would change\n");
	/* one byte more at the end */
	t[0] = 'L';
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s\n", json);
	put("a.json", b.data);
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: a.json would change\n");
	/* one byte less */
	json[strlen(json) - 1] = '\0';
	put("a.json", json);
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: a.json would change\n");
	/* restored: current again */
	json[strlen(json)] = '\n';
	put("a.json", json);
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json"), 0, "%s",
	             cw_buf_str(&out));
	free(json);
	cw_buf_free(&b);
	cw_buf_free(&out);
}

Test(check, a_missing_output_exits_1_and_is_not_created)
{
	converted();
	cr_assert_eq(rm("a.json"), 0);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json -o new.json"), 1);
	cr_expect_str_eq(cw_buf_str(&out),
	                 "crosswalk: a.json does not exist\ncrosswalk: new.json does not exist\n");
	cr_expect_not(exists("a.json"));
	cr_expect_not(exists("new.json"));
	cw_buf_free(&out);
}

Test(check, the_diff_applies_with_patch)
{
	converted();
	put("refs.json", items2);
	cr_assert_eq(rm("a.json"), 0);
	cw_buf out = CW_BUF_INIT;
	/* the diff on stdout, the names on stderr */
	cr_expect_eq(
	    sh(&out, CW "convert --diff refs.json -o a.bib -o a.json -o a.csl.json >d.patch 2>err"),
	    1, "%s", cw_buf_str(&out));
	char *err = get("err"), *d = get("d.patch");
	cr_expect_str_eq(err, "crosswalk: a.bib would change\ncrosswalk: a.json does not exist\n"
	                      "crosswalk: a.csl.json does not exist\n");
	cr_expect(strstr(d, "--- a.bib\n+++ a.bib\n@@ -"), "%s", d);
	cr_expect(strstr(d, "-  title = {Lakes},\n+  title = {Ponds},\n"), "%s", d);
	cr_expect(strstr(d, "--- /dev/null\n+++ a.json\n@@ -0,0 +1,"), "%s", d);
	/* what a run without --check writes, under other names */
	cr_assert_eq(sh(&out, CW "convert -q refs.json -o want.bib -o want.json"), 0);
	if (sh(NULL, "command -v patch >/dev/null") == 0) {
		cr_expect_eq(sh(&out, "patch -p0 <d.patch"), 0, "%s", cw_buf_str(&out));
		cr_expect_eq(sh(&out, "cmp a.bib want.bib && cmp a.json want.json && "
		                      "cmp a.csl.json want.json"),
		             0, "%s", cw_buf_str(&out));
		cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -o a.json -o a.csl.json"),
		             0, "%s", cw_buf_str(&out));
	} else {
		/* no patch: diff -u says the same once its header is ours */
		cr_expect_eq(sh(&out, "diff -u a.bib want.bib | sed '1s/.*/--- a.bib/; 2s/.*/+++ a.bib/' "
		                      ">want.patch; sed -n '/^--- a.bib/,/^--- /p' d.patch | "
		                      "sed '$d' | cmp - want.patch"),
		             0, "%s", cw_buf_str(&out));
	}
	free(err);
	free(d);
	cw_buf_free(&out);
}

Test(check, with_strict)
{
	/* a field the fixture's cwtest writer cannot carry */
	put("in.json",
	    "[{\"id\": \"k1\", \"type\": \"book\", \"title\": \"T\", \"categories\": [\"x\"]}]\n");
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(sh(&out, CW FX " convert -q in.json out.cwtest -o out.json"), 0, "%s",
	             cw_buf_str(&out));
	age_everything();
	char *before = snapshot();
	/* --strict fails as without --check (5), and no output is compared */
	cr_expect_eq(sh(&out, CW FX " convert --strict --check in.json -o out.cwtest -o out.json"), 5);
	cr_expect(has(&out, "error: [k1] not carried by cwtest: categories"), "%s",
	          cw_buf_str(&out));
	cr_expect_not(has(&out, "would change"), "%s", cw_buf_str(&out));
	/* a conversion that carries everything: current, then stale */
	cr_expect_eq(sh(&out, CW "convert --strict --check in.json out.json"), 0, "%s",
	             cw_buf_str(&out));
	char *after = snapshot();
	cr_expect_str_eq(after, before);
	put("in.json", "[{\"id\": \"k1\", \"type\": \"book\", \"title\": \"U\"}]\n");
	cr_expect_eq(sh(&out, CW "convert --check --strict in.json out.json"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: out.json would change\n");
	free(before);
	free(after);
	cw_buf_free(&out);
}

Test(check, other_failures_keep_their_exit_status)
{
	converted();
	cw_buf out = CW_BUF_INIT;
	/* a broken input: 3, and nothing compared */
	put("bad.json", "[\n  {\"id\": \"doe2020\", \"type\": \"book\", \"title\": \"R\"},\n");
	cr_expect_eq(sh(&out, CW "convert --check bad.json -o a.json"), 3);
	cr_expect_not(has(&out, "would change"), "%s", cw_buf_str(&out));
	/* an output that cannot be read: 4 */
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib/x.json"), 4);
	cr_expect(has(&out, "a.bib/x.json: cannot read: Not a directory"), "%s", cw_buf_str(&out));
	/* outputs --check cannot compare: 2, before anything runs */
	cr_expect_eq(sh(&out, CW "convert --check refs.json"), 2);
	cr_expect(has(&out, "not standard output (-)"), "%s", cw_buf_str(&out));
	cr_expect_eq(sh(&out, CW "convert --check refs.json -o a.bib -t csljson -o -"), 2);
	cr_expect_eq(sh(&out, CW "convert --check refs.json -t csljson -o /dev/null"), 2);
	cr_expect(has(&out, "/dev/null: --check compares regular files only"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(sh(&out, "mkdir d.json && " CW "convert --check refs.json -o d.json"), 2);
	cr_expect(has(&out, "this is a directory"), "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(check, the_report_is_still_written)
{
	converted();
	put("refs.json", items2);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --check --report r.json refs.json -o a.bib"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: a.bib would change\n");
	char *r = get("r.json");
	cr_assert_not_null(r, "no report");
	json_error_t e;
	json_t *j = json_loads(r, 0, &e);
	cr_assert_not_null(j, "%s", r);
	json_t *sum = json_object_get(j, "summary");
	cr_expect_eq(json_integer_value(json_object_get(sum, "records_read")), 2);
	json_decref(j);
	free(r);
	char *bib = get("a.bib");
	cr_expect(strstr(bib, "{Lakes}"), "the output was written: %s", bib);
	free(bib);
	cw_buf_free(&out);
}

Test(check, help_and_quiet)
{
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, CW "convert --help"), 0);
	cr_expect(has(&out, "--check") && has(&out, "--diff"), "%s", cw_buf_str(&out));
	/* -q hides warnings, not the answer */
	converted();
	put("refs.json", items2);
	cr_expect_eq(sh(&out, CW "convert -q --check refs.json -o a.bib"), 1);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: a.bib would change\n");
	cw_buf_free(&out);
}
