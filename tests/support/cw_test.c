/*
 * Test helpers (see cw_test.h).
 */
#define _XOPEN_SOURCE 700
#include "cw_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cwt_corpus_dir(void)
{
	const char *env = getenv("CW_CORPUS_DIR");
	return is_dir(env) ? env : NULL;
}

void cwt_require_corpus_suite(void)
{
	const char *suite = criterion_current_test ? criterion_current_test->category : NULL;
	size_t n = suite ? strlen(suite) : 0;
	if (n < 7 || strcmp(suite + n - 7, "_corpus") != 0)
		cr_assert_fail("%s::%s reads the corpus: put it in a suite named *_corpus",
		               suite ? suite : "?",
		               criterion_current_test ? criterion_current_test->name : "?");
}

const char *cwt_source_dir(void)
{
	const char *s = getenv("CW_SOURCE_DIR");
	return s ? s : ".";
}

const char *cwt_build_dir(void)
{
	const char *s = getenv("CW_BUILD_DIR");
	return s ? s : ".";
}

char *cwt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	cw_buf b = CW_BUF_INIT;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		cw_buf_append(&b, tmp, n);
	fclose(f);
	if (len)
		*len = b.len;
	if (!b.data)
		cw_buf_append(&b, "", 0);
	return b.data;
}

int cwt_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && w == len) ? 0 : -1;
}

static void walk(const char *dir, const char *suffix, char ***list, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		cw_buf p = CW_BUF_INIT;
		cw_buf_printf(&p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p.data, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(p.data, suffix, list, n, cap);
			cw_buf_free(&p);
			continue;
		}
		size_t len = strlen(de->d_name), sl = strlen(suffix);
		if (!S_ISREG(st.st_mode) || len < sl || strcmp(de->d_name + len - sl, suffix) != 0) {
			cw_buf_free(&p);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*list = realloc(*list, *cap * sizeof **list);
		}
		(*list)[(*n)++] = p.data;
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **cwt_list_files(const char *dir, const char *suffix, size_t *count)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	walk(dir, suffix, &list, &n, &cap);
	if (n)
		qsort(list, n, sizeof *list, cmp);
	*count = n;
	return list;
}

void cwt_free_list(char **list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(list[i]);
	free(list);
}

static cw_registry *shared_registry;

cw_registry *cwt_registry(void)
{
	if (shared_registry)
		return shared_registry;
	cw_registry_new(&shared_registry);
	cw_buf err = CW_BUF_INIT;
	int n = cw_registry_load_path(shared_registry, getenv("CROSSWALK_PLUGIN_PATH"), &err);
	cr_assert(n > 0, "no plugins loaded from CROSSWALK_PLUGIN_PATH=%s: %s",
	          getenv("CROSSWALK_PLUGIN_PATH") ? getenv("CROSSWALK_PLUGIN_PATH") : "(unset)",
	          cw_buf_str(&err));
	cw_buf_free(&err);
	return shared_registry;
}

static char *xdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

static void sink(void *ud, const cw_diag *d)
{
	cwt_diags *ds = ud;
	ds->items = realloc(ds->items, (ds->n + 1) * sizeof *ds->items);
	cwt_diag *c = &ds->items[ds->n++];
	c->severity = d->severity;
	c->kind = d->kind;
	c->code = d->code;
	c->line = d->at.line;
	c->column = d->at.column;
	c->field = d->field;
	c->record = xdup(d->record_id);
	c->message = xdup(d->message);
	c->loss = xdup(d->loss);
	c->accepted = d->accepted;
	c->diag_code = cw_diag_code_of(d);
	c->limit = d->limit;
	cw_diag_format(d, &ds->text);
	cw_buf_putc(&ds->text, '\n');
}

void cwt_diags_free(cwt_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].record);
		free(d->items[i].message);
		free(d->items[i].loss);
	}
	free(d->items);
	cw_buf_free(&d->text);
	memset(d, 0, sizeof *d);
}

size_t cwt_diags_count(const cwt_diags *d, enum cw_severity min)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->items[i].severity >= min;
	return n;
}

cw_context *cwt_context(cwt_diags *d)
{
	cw_context *ctx;
	cr_assert(cw_context_new(&ctx) == CW_OK);
	if (d) /* NULL: the caller does not look at diagnostics */
		cw_context_set_diag_sink(ctx, sink, d);
	return ctx;
}

/* "name=value" strings into cw_option (pointing into a copy). */
static cw_option *options(const char *const *list, size_t *n, char ***keep)
{
	*n = 0;
	*keep = NULL;
	if (!list)
		return NULL;
	size_t count = 0;
	while (list[count])
		count++;
	cw_option *o = calloc(count + 1, sizeof *o);
	*keep = calloc(count + 1, sizeof **keep);
	for (size_t i = 0; i < count; i++) {
		char *s = xdup(list[i]);
		(*keep)[i] = s;
		char *eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		o[i].name = s;
		o[i].value = eq ? eq + 1 : NULL;
	}
	*n = count;
	return o;
}

static void free_options(cw_option *o, char **keep)
{
	for (size_t i = 0; keep && keep[i]; i++)
		free(keep[i]);
	free(keep);
	free(o);
}

static const cw_format *format(const char *name)
{
	const cw_format *f = cw_registry_find_format(cwt_registry(), name);
	cr_assert(f, "format %s not loaded", name);
	return f;
}

void cwt_convert(cwt_result *r, const char *from, const char *to, const char *input, size_t len,
                 const char *const *ropts, const char *const *wopts, const char *const *filters)
{
	cwt_convert_limited(r, from, to, input, len, ropts, wopts, filters, NULL);
}

void cwt_convert_limited(cwt_result *r, const char *from, const char *to, const char *input,
                         size_t len, const char *const *ropts, const char *const *wopts,
                         const char *const *filters, const cw_limits *l)
{
	memset(r, 0, sizeof *r);
	r->stats.struct_size = sizeof r->stats;
	cw_context *ctx = cwt_context(&r->diags);
	if (l)
		cr_assert_eq(cw_context_set_limits(ctx, l), CW_OK);
	cw_istream *in = NULL;
	cw_ostream *out = NULL;
	cw_pipeline *p = NULL;
	size_t nr, nw;
	char **kr, **kw;
	cw_option *ro = options(ropts, &nr, &kr), *wo = options(wopts, &nw, &kw);
	cw_istream_open_memory(&in, input, len, "input");
	cw_ostream_open_memory(&out, "output");
	cw_pipeline_new(&p, ctx);
	int rc = cw_pipeline_set_reader(p, format(from), in, ro, nr);
	for (size_t i = 0; rc == CW_OK && filters && filters[i]; i++) {
		const cw_filter *f = cw_registry_find_filter(cwt_registry(), filters[i]);
		cr_assert(f, "filter %s not loaded", filters[i]);
		rc = cw_pipeline_add_filter(p, f, NULL, 0);
	}
	if (rc == CW_OK)
		rc = cw_pipeline_add_writer(p, format(to), out, wo, nw);
	if (rc == CW_OK)
		rc = cw_pipeline_run(p, &r->stats);
	r->status = rc;
	cw_pipeline_free(p);
	size_t olen;
	const char *o = cw_ostream_memory(out, &olen);
	r->output = malloc(olen + 1);
	memcpy(r->output, o, olen + 1);
	r->output_len = olen;
	cw_ostream_close(out);
	cw_istream_close(in);
	cw_context_free(ctx);
	free_options(ro, kr);
	free_options(wo, kw);
}

void cwt_result_free(cwt_result *r)
{
	free(r->output);
	cwt_diags_free(&r->diags);
}

int cwt_read_stream(const char *from, cw_istream *in, const cw_limits *l, const cw_option *ro,
                    size_t nr, cw_record ***out, size_t *count, cwt_diags *diags)
{
	cw_context *ctx = cwt_context(diags);
	if (l)
		cr_assert_eq(cw_context_set_limits(ctx, l), CW_OK);
	cw_reader *r = NULL;
	int rc = cw_reader_open(&r, ctx, format(from), in, ro, nr);
	size_t n = 0, cap = 0;
	cw_record **recs = NULL;
	while (rc == CW_OK || rc == CW_ERECORD) {
		cw_record *rec = NULL;
		rc = cw_reader_next(r, &rec);
		if (rc == CW_OK) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				recs = realloc(recs, cap * sizeof *recs);
			}
			recs[n++] = rec;
		}
	}
	cw_reader_close(r);
	cw_istream_close(in);
	cw_context_free(ctx);
	*out = recs;
	*count = n;
	return rc;
}

size_t cwt_read_records(const char *from, const char *input, size_t len, cw_record ***out,
                        cwt_diags *diags, const char *const *ropts)
{
	size_t nr, n;
	char **kr;
	cw_option *ro = options(ropts, &nr, &kr);
	cw_istream *in = NULL;
	cw_istream_open_memory(&in, input, len, "input");
	cwt_read_stream(from, in, NULL, ro, nr, out, &n, diags);
	free_options(ro, kr);
	return n;
}

void cwt_free_records(cw_record **recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cw_record_free(recs[i]);
	free(recs);
}

char *cwt_write_records(const char *to, cw_record *const *recs, size_t n, cwt_diags *diags,
                        const char *const *wopts)
{
	cw_context *ctx = cwt_context(diags);
	cw_ostream *out = NULL;
	cw_writer *w = NULL;
	size_t nw;
	char **kw;
	cw_option *wo = options(wopts, &nw, &kw);
	cw_ostream_open_memory(&out, "output");
	int rc = cw_writer_open(&w, ctx, format(to), out, wo, nw);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = cw_writer_write(w, recs[i]);
	if (rc >= 0)
		rc = cw_writer_finish(w);
	cw_writer_close(w);
	size_t len = 0;
	const char *o = cw_ostream_memory(out, &len);
	char *res = NULL;
	if (rc >= 0) { /* NULL tells the caller the writer failed */
		res = malloc(len + 1);
		if (res && len)
			memcpy(res, o, len);
		if (res)
			res[len] = '\0';
	}
	cw_ostream_close(out);
	cw_context_free(ctx);
	free_options(wo, kw);
	return res;
}

int cwt_run(const char *cmd, cw_buf *out)
{
	cw_buf full = CW_BUF_INIT;
	cw_buf_printf(&full, "(%s) 2>&1", cmd);
	FILE *p = popen(full.data, "r");
	cw_buf_free(&full);
	if (!p)
		return -1;
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, p)) > 0)
		if (out)
			cw_buf_append(out, tmp, n);
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void cwt_require_tool(const char *name)
{
	cw_buf cmd = CW_BUF_INIT;
	cw_buf_printf(&cmd, "command -v %s >/dev/null", name);
	int rc = cwt_run(cmd.data, NULL);
	cw_buf_free(&cmd);
	cr_assert(rc == 0, "required tool '%s' is not installed (.ci/run installs it)", name);
}

const char *cwt_tmpdir(void)
{
	static char dir[256];
	if (!dir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/cwtest-XXXXXX", base ? base : "/tmp");
		cr_assert(mkdtemp(dir), "mkdtemp failed");
	}
	return dir;
}

int cwt_corpus_validate(const char *schema, const char *xml, size_t len, cw_buf *log)
{
	char path[4096];
	CWT_CORPUS(schema, path);
	cwt_require_tool("xmllint");
	static unsigned serial;
	char file[512];
	snprintf(file, sizeof file, "%s/valid-%u.xml", cwt_tmpdir(), serial++);
	cr_assert_eq(cwt_write_file(file, xml, len), 0, "cannot write %s", file);
	size_t n = strlen(schema);
	cw_buf cmd = CW_BUF_INIT;
	cw_buf_printf(&cmd, "xmllint --noout --nonet %s '%s' '%s'",
	              n > 4 && strcmp(schema + n - 4, ".xsd") == 0 ? "--schema" : "--dtdvalid", path,
	              file);
	int rc = cwt_run(cmd.data, log);
	cw_buf_free(&cmd);
	return rc;
}

void cwt_expect_limit_error(const cwt_diags *d, const char *what)
{
	const cwt_diag *e = NULL;
	for (size_t i = 0; i < d->n && !e; i++)
		if (d->items[i].severity >= CW_SEV_ERROR)
			e = &d->items[i];
	cr_assert(e, "%s: no error in: %s", what, cw_buf_str(&d->text));
	const char *key = cw_limit_key((enum cw_limit)e->limit);
	cr_assert(key, "%s: the error is about no limit: %s", what, e->message);
	char named[64];
	snprintf(named, sizeof named, "the %s limit", key);
	cr_expect(strstr(e->message, named), "%s: the %s limit, but the message says: %s", what,
	          key, e->message);
}
