/*
 * The plugin loader: broken plugins are refused with a clear message and
 * never crash the host; a plugin built against the public headers only is
 * loaded and used; formats are chosen by probe and by extension.
 *
 * The fixture plugins are built by tests/core/CMakeLists.txt into
 * CWT_FIXTURE_DIR (see fixtures/).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cw_test.h"

#include "cwt_cases.h"

static char *fixture(const char *name)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s.so", CWT_FIXTURE_DIR, name);
	return b.data;
}

static cw_registry *new_registry(void)
{
	cw_registry *r = NULL;
	cr_assert_eq(cw_registry_new(&r), CW_OK);
	return r;
}

struct refusal {
	const char *fixture; /* file in CWT_FIXTURE_DIR, or a path when it has a slash */
	int status;
	const char *msg;
};

/* this library's ABI, "1.4": the messages name it */
#define ABI_STR_(x) #x
#define ABI_STR(x) ABI_STR_(x)
#define ABI_NOW ABI_STR(CW_ABI_MAJOR) "." ABI_STR(CW_ABI_MINOR)

/* clang-format off */
static struct refusal refusals[] = {
	{"abi_major", CW_EABI,
	 "plugin built for crosswalk ABI 2.0, this crosswalk provides ABI " ABI_NOW "; rebuild the plugin or "
	 "upgrade crosswalk"},
	{"abi_minor", CW_EABI, "plugin built for crosswalk ABI 1.1"},
	{"abi_minor", CW_EABI, ", this crosswalk provides ABI " ABI_NOW "; rebuild the plugin"},
	{"no_entry", CW_EABI, "is not a crosswalk plugin (no symbol cw_plugin_entry)"},
	{"null_desc", CW_EABI, "cw_plugin_entry returned NULL"},
	{"small_desc", CW_EABI, "corrupt plugin descriptor (struct_size too small)"},
	{"empty", CW_EABI, "plugin provides no format and no filter"},
	{"half_reader", CW_EABI, "format broken claims to read but has no complete reader"},
	{"no_option_size", CW_EABI,
	 "plugin descriptor of ABI " ABI_NOW " has option_spec_size 0, not 40 (start it with CW_PLUGIN_HEADER)"},
	{"bad_option", CW_EABI, "writer broken: option 1 has no valid name or an unknown type"},
	{"not_elf", CW_EABI, "cannot load: "},
	{"missing", CW_ENOTFOUND, "No such file or directory"},
};
/* clang-format on */

CWT_CASES(loader, refuses, refusals)

ParameterizedTest(size_t *i, loader, refuses)
{
	const struct refusal *c = &refusals[*i];
	cw_registry *r = new_registry();
	char *path = fixture(c->fixture);
	cw_buf err = CW_BUF_INIT;
	int rc = cw_registry_load_file(r, path, &err);
	cr_expect_eq(rc, c->status, "%s: status %d, want %d (%s)", c->fixture, rc, c->status,
	             cw_buf_str(&err));
	/* one line: "PATH: reason" */
	cw_buf want = CW_BUF_INIT;
	cw_buf_printf(&want, "%s: ", path);
	cr_expect_eq(strncmp(cw_buf_str(&err), want.data, want.len), 0,
	             "%s: \"%s\" does not start with the path", c->fixture, cw_buf_str(&err));
	cr_expect(strstr(cw_buf_str(&err), c->msg), "%s: \"%s\" lacks \"%s\"", c->fixture,
	          cw_buf_str(&err), c->msg);
	cr_expect_null(strchr(cw_buf_str(&err), '\n'));
	cr_expect_eq(cw_registry_plugin_count(r), 0);
	cr_expect_null(cw_registry_find_format(r, "broken"));
	/* without an error buffer: the same refusal, quietly */
	cr_expect_eq(cw_registry_load_file(r, path, NULL), c->status);
	cw_buf_free(&want);
	cw_buf_free(&err);
	free(path);
	cw_registry_free(r);
}

Test(loader, refuses_other_files)
{
	cw_registry *r = new_registry();
	cw_buf err = CW_BUF_INIT;
	/* a directory */
	cr_expect_eq(cw_registry_load_file(r, CWT_FIXTURE_DIR, &err), CW_EIO);
	cr_expect(strstr(cw_buf_str(&err), "not a regular file"), "%s", cw_buf_str(&err));
	/* a world-writable plugin file */
	cw_buf_clear(&err);
	char *good = fixture("good");
	cw_buf copy = CW_BUF_INIT;
	cw_buf_printf(&copy, "%s/open.so", cwt_tmpdir());
	size_t len;
	char *bytes = cwt_read_file(good, &len);
	cr_assert_not_null(bytes);
	cr_assert_eq(cwt_write_file(copy.data, bytes, len), 0);
	cr_assert_eq(chmod(copy.data, 0777), 0);
	cr_expect_eq(cw_registry_load_file(r, copy.data, &err), CW_EIO);
	cr_expect(strstr(cw_buf_str(&err), "world-writable"), "%s", cw_buf_str(&err));
	/* a bare name is never searched for in the library path */
	cw_buf_clear(&err);
	cr_expect_eq(cw_registry_load_file(r, "libc.so.6", &err), CW_ENOTFOUND);
	cr_expect_eq(cw_registry_plugin_count(r), 0);
	cr_expect_eq(cw_registry_load_file(NULL, good, NULL), CW_EINVAL);
	cr_expect_eq(cw_registry_load_file(r, NULL, NULL), CW_EINVAL);
	free(bytes);
	free(good);
	cw_buf_free(&copy);
	cw_buf_free(&err);
	cw_registry_free(r);
}

Test(loader, load_dir_goes_on_after_refusals)
{
	cw_registry *r = new_registry();
	cw_buf err = CW_BUF_INIT;
	/* the fixture directory: one good plugin among the broken ones */
	int n = cw_registry_load_dir(r, CWT_FIXTURE_DIR, &err);
	cr_expect_eq(n, 1, "loaded %d: %s", n, cw_buf_str(&err));
	cr_expect_eq(cw_registry_plugin_count(r), 1);
	cr_expect_not_null(cw_registry_find_format(r, "cwtest"));
	/* one line per refused file, in name order */
	const char *want[] = {"abi_major.so",   "abi_minor.so", "bad_option.so",     "empty.so",
	                      "half_reader.so", "no_entry.so",  "no_option_size.so", "not_elf.so",
	                      "null_desc.so",   "small_desc.so"};
	const char *p = cw_buf_str(&err);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *hit = strstr(p, want[i]);
		cr_expect_not_null(hit, "no line for %s in:\n%s", want[i], cw_buf_str(&err));
		if (hit)
			p = hit;
	}
	/* a missing directory is not an error */
	cr_expect_eq(cw_registry_load_dir(r, "/nonexistent/plugins", &err), 0);
	cw_buf_free(&err);
	cw_registry_free(r);
}

Test(loader, good_plugin_descriptor)
{
	cw_registry *r = new_registry();
	char *path = fixture("good");
	cw_buf err = CW_BUF_INIT;
	cr_assert_eq(cw_registry_load_file(r, path, &err), CW_OK, "%s", cw_buf_str(&err));
	cr_expect_eq(err.len, 0);
	cr_assert_eq(cw_registry_plugin_count(r), 1);
	const char *origin = NULL;
	const cw_plugin *p = cw_registry_plugin(r, 0, &origin);
	cr_assert_not_null(p);
	cr_expect_str_eq(origin, path);
	cr_expect_str_eq(p->name, "cwtest");
	cr_expect_str_eq(p->version, "9.8.7");
	cr_expect_eq(p->abi_version, cw_abi_version());
	cr_expect_null(cw_registry_plugin(r, 1, NULL));

	const cw_format *f = cw_registry_find_format(r, "cwtest");
	cr_assert_not_null(f);
	cr_expect_eq(cw_registry_find_format(r, "CWTEST"), f);
	cr_expect_eq(cw_registry_find_format(r, "cw-test"), f, "aliases find the format");
	cr_expect_eq(cw_registry_owner(r, f), p);
	cr_expect_not(cw_registry_is_shadowed(r, f));
	const cw_filter *fl = cw_registry_find_filter(r, "cwt-dup");
	cr_assert_not_null(fl);
	cr_expect_eq(cw_registry_owner(r, fl), p);
	cr_expect_null(cw_registry_find_filter(r, "nope"));
	cr_expect_null(cw_registry_find_format(r, "nope"));
	cr_expect_str_eq(cw_version_string(), CW_VERSION_STRING);
	free(path);
	cw_buf_free(&err);
	cw_registry_free(r);
}

Test(loader, second_load_of_the_same_file)
{
	cw_registry *r = new_registry();
	char *path = fixture("good");
	cr_assert_eq(cw_registry_load_file(r, path, NULL), CW_OK);
	/* the same file again (e.g. found both on CROSSWALK_PLUGIN_PATH and in
	 * the build tree): loaded once, nothing shadowed */
	cw_buf again = CW_BUF_INIT;
	cw_buf_printf(&again, "%s/./good.so", CWT_FIXTURE_DIR);
	cr_expect_eq(cw_registry_load_file(r, again.data, NULL), CW_OK);
	cr_expect_eq(cw_registry_plugin_count(r), 1);
	const cw_format *f = cw_registry_find_format(r, "cwtest");
	cr_expect_not(cw_registry_is_shadowed(r, f));
	cw_buf_free(&again);
	free(path);
	cw_registry_free(r);
}

Test(loader, first_loaded_wins_and_shadows)
{
	cw_registry *r = new_registry();
	char *path = fixture("good");
	/* a copy of the same plugin under another file name is another plugin */
	cw_buf copy = CW_BUF_INIT;
	cw_buf_printf(&copy, "%s/copy.so", cwt_tmpdir());
	size_t len;
	char *bytes = cwt_read_file(path, &len);
	cr_assert_eq(cwt_write_file(copy.data, bytes, len), 0);
	chmod(copy.data, 0755);
	cr_assert_eq(cw_registry_load_file(r, path, NULL), CW_OK);
	cr_assert_eq(cw_registry_load_file(r, copy.data, NULL), CW_OK);
	cr_assert_eq(cw_registry_plugin_count(r), 2);
	const cw_plugin *first = cw_registry_plugin(r, 0, NULL),
	                *second = cw_registry_plugin(r, 1, NULL);
	const cw_format *found = cw_registry_find_format(r, "cwtest");
	cr_expect_eq(cw_registry_owner(r, found), first);
	cr_expect_not(cw_registry_is_shadowed(r, found));
	cr_expect(cw_registry_is_shadowed(r, second->formats[0]));
	free(bytes);
	free(path);
	cw_buf_free(&copy);
	cw_registry_free(r);
}

/* --- using the good plugin --- */

static cw_registry *good_registry(void)
{
	cw_registry *r = new_registry();
	char *path = fixture("good");
	cw_buf err = CW_BUF_INIT;
	cr_assert_eq(cw_registry_load_file(r, path, &err), CW_OK, "%s", cw_buf_str(&err));
	/* and the real CSL-JSON plugin */
	cr_assert_gt(cw_registry_load_path(r, getenv("CROSSWALK_PLUGIN_PATH"), &err), 0, "%s",
	             cw_buf_str(&err));
	cw_buf_free(&err);
	free(path);
	return r;
}

Test(loader, good_plugin_converts)
{
	cw_registry *reg = good_registry();
	static const char input[] = "%cwtest\n"
	                            "id: doe2020\n"
	                            "type: article-journal\n"
	                            "title: Rivers\n"
	                            "author: Doe, Jane\n"
	                            "issued: 2020-03\n"
	                            "\n"
	                            "id: roe2021\n"
	                            "title: Lakes\n";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_istream *in;
	cw_istream_open_memory(&in, input, sizeof input - 1, "in.cwt");
	cw_ostream *out;
	cw_ostream_open_memory(&out, "out.json");
	cw_pipeline *p;
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	cr_assert_eq(cw_pipeline_set_reader(p, cw_registry_find_format(reg, "cwtest"), in, NULL, 0),
	             CW_OK);
	cr_assert_eq(
	    cw_pipeline_add_writer(p, cw_registry_find_format(reg, "csljson"), out, NULL, 0),
	    CW_OK);
	cw_pipeline_stats st = {sizeof st, 0, 0, 0};
	cr_assert_eq(cw_pipeline_run(p, &st), CW_OK, "%s", cw_buf_str(&d.text));
	cr_expect_eq(st.records_read, 2);
	cr_expect_eq(st.records_written, 2);
	cw_pipeline_free(p);
	const char *json = cw_ostream_memory(out, NULL);
	cr_expect(strstr(json, "\"id\": \"doe2020\""), "%s", json);
	cr_expect(strstr(json, "\"family\": \"Doe\""), "%s", json);
	cr_expect(strstr(json, "\"title\": \"Lakes\""), "%s", json);
	cr_expect(strstr(json, "2020"), "%s", json);
	cr_expect_eq(d.n, 0, "%s", cw_buf_str(&d.text));
	cw_ostream_close(out);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
	cw_registry_free(reg);
}

/* --- format detection --- */

static int detect(cw_registry *reg, const char *content, const char *filename, const char **name,
                  cw_buf *why)
{
	cw_istream *in;
	cr_assert_eq(cw_istream_open_memory(&in, content, strlen(content), filename), CW_OK);
	const cw_format *f = (const cw_format *)1;
	int rc = cw_registry_detect_input(&f, reg, in, filename, why);
	*name = f ? f->name : NULL;
	/* detection never consumes input */
	cr_expect_eq(cw_istream_offset(in), 0);
	const char *d;
	size_t avail;
	cw_istream_peek(in, strlen(content), &d, &avail);
	cr_expect_eq(avail, strlen(content));
	cw_istream_close(in);
	return rc;
}

Test(loader, detect_input)
{
	cw_registry *reg = good_registry();
	cw_buf why = CW_BUF_INIT;
	const char *name;
	/* by probe, whatever the name says */
	cr_expect_eq(detect(reg, "%cwtest\nid: a\n", NULL, &name, &why), CW_OK, "%s", why.data);
	cr_expect_str_eq(name, "cwtest");
	cr_expect_eq(detect(reg, "%cwtest\nid: a\n", "x.json", &name, &why), CW_OK);
	cr_expect_str_eq(name, "cwtest", "a certain probe beats an extension");
	cr_expect_eq(detect(reg, "[{\"id\": \"a\", \"type\": \"book\"}]", NULL, &name, &why),
	             CW_OK);
	cr_expect_str_eq(name, "csljson");
	/* by extension when the content says little */
	cr_expect_eq(detect(reg, "id: a\n", "refs.cwtest", &name, &why), CW_OK);
	cr_expect_str_eq(name, "cwtest");
	cr_expect_eq(detect(reg, "id: a\n", "refs.twin.cwt", &name, &why), CW_OK);
	cr_expect_str_eq(name, "cwtwin");
	cr_expect_eq(detect(reg, "id: a\n", "dir.d/REFS.CWTEST", &name, &why), CW_OK);
	cr_expect_str_eq(name, "cwtest");
	/* two formats claim .cwt: ambiguous, both named with their scores */
	cw_buf_clear(&why);
	cr_expect_eq(detect(reg, "id: a\n", "refs.cwt", &name, &why), CW_EAMBIGUOUS);
	cr_expect_null(name);
	cr_expect(strstr(cw_buf_str(&why), "cwtest (50)"), "%s", cw_buf_str(&why));
	cr_expect(strstr(cw_buf_str(&why), "cwtwin (50)"), "%s", cw_buf_str(&why));
	cr_expect(strstr(cw_buf_str(&why), "ambiguous"), "%s", cw_buf_str(&why));
	cr_expect_null(strstr(cw_buf_str(&why), "csljson"), "%s", cw_buf_str(&why));
	/* nothing recognises it */
	cw_buf_clear(&why);
	cr_expect_eq(detect(reg, "just some words\n", "notes.txt", &name, &why), CW_ENOTFOUND);
	cr_expect_null(name);
	cr_expect(strstr(cw_buf_str(&why), "cannot tell the input format"), "%s", cw_buf_str(&why));
	cr_expect_null(strstr(cw_buf_str(&why), "-f"), "the program says how: %s", cw_buf_str(&why));
	cw_buf_clear(&why);
	cr_expect_eq(detect(reg, "", NULL, &name, &why), CW_ENOTFOUND);
	/* a name that is only an extension is not one */
	cr_expect_eq(detect(reg, "id: a\n", ".cwtest", &name, NULL), CW_ENOTFOUND);
	cw_buf_free(&why);
	cw_registry_free(reg);
}

Test(loader, detect_output)
{
	cw_registry *reg = good_registry();
	cw_buf why = CW_BUF_INIT;
	const cw_format *f = NULL;
	cr_expect_eq(cw_registry_detect_output(&f, reg, "out.cwtest", &why), CW_OK);
	cr_expect_str_eq(f->name, "cwtest");
	/* the longest extension wins: twin.cwt over cwt */
	cr_expect_eq(cw_registry_detect_output(&f, reg, "out.twin.cwt", &why), CW_OK);
	cr_expect_str_eq(f->name, "cwtwin");
	cr_expect_eq(cw_registry_detect_output(&f, reg, "a/b.c/out.csl.json", &why), CW_OK);
	cr_expect_str_eq(f->name, "csljson");
	cr_expect_eq(cw_registry_detect_output(&f, reg, "out.jsonl", &why), CW_OK);
	cr_expect_str_eq(f->name, "csljsonl");
	/* a tie names the candidates */
	cr_expect_eq(cw_registry_detect_output(&f, reg, "out.cwt", &why), CW_EAMBIGUOUS);
	cr_expect_null(f);
	cr_expect(strstr(cw_buf_str(&why), "cwtest"), "%s", cw_buf_str(&why));
	cr_expect(strstr(cw_buf_str(&why), "cwtwin"), "%s", cw_buf_str(&why));
	cr_expect_null(strstr(cw_buf_str(&why), "-t"), "the program says how: %s", cw_buf_str(&why));
	cw_buf_clear(&why);
	cr_expect_eq(cw_registry_detect_output(&f, reg, "out.docx", &why), CW_ENOTFOUND);
	cr_expect(strstr(cw_buf_str(&why), "out.docx"), "%s", cw_buf_str(&why));
	cr_expect_eq(cw_registry_detect_output(&f, reg, "json", NULL), CW_ENOTFOUND);
	cr_expect_eq(cw_registry_detect_output(&f, reg, NULL, NULL), CW_ENOTFOUND);
	cw_buf_free(&why);
	cw_registry_free(reg);
}

/* --- static registration (tests, static builds) --- */

static const cw_plugin *null_entry(void)
{
	return NULL;
}

Test(loader, add_static_checks_the_descriptor)
{
	cw_registry *r = new_registry();
	cw_buf err = CW_BUF_INIT;
	cr_expect_eq(cw_registry_add_static(r, null_entry, "builtin", &err), CW_EABI);
	cr_expect(strstr(cw_buf_str(&err), "builtin: cw_plugin_entry returned NULL"), "%s",
	          cw_buf_str(&err));
	cr_expect_eq(cw_registry_add_static(r, NULL, NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_registry_plugin_count(r), 0);
	cr_expect_not_null(cw_registry_install_dir());
	cw_buf_free(&err);
	cw_registry_free(r);
	cw_registry_free(NULL);
}

Test(loader, search_path_never_means_the_current_directory)
{
	cr_assert_eq(chdir(CWT_FIXTURE_DIR), 0);
	cw_registry *r = new_registry();
	cw_buf err = CW_BUF_INIT;
	/* empty elements of a path list are skipped, not read as "." */
	cr_expect_eq(cw_registry_load_path(r, "::", &err), 0);
	cr_expect_eq(cw_registry_load_path(r, "", &err), 0);
	cr_expect_eq(cw_registry_load_path(r, NULL, &err), 0);
	cr_expect_eq(cw_registry_plugin_count(r), 0);
	/* a file named explicitly is a path: a bare name means ./good.so, never
	 * a search of the library path */
	cr_expect_eq(cw_registry_load_file(r, "good.so", &err), CW_OK, "%s", cw_buf_str(&err));
	cr_expect_eq(cw_registry_plugin_count(r), 1);
	/* the directory itself, named: one good plugin, the rest refused */
	cw_registry_free(r);
	r = new_registry();
	cr_expect_eq(cw_registry_load_path(r, ":" CWT_FIXTURE_DIR ":/nonexistent:", &err), 1);
	cw_buf_free(&err);
	cw_registry_free(r);
}
