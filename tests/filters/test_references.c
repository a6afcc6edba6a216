/*
 * The references filter of the filters plugin, with no JATS in sight: it is
 * there when jats.so is not loaded, it replaces the records of any reader
 * that have children (CSL-JSON's reference lists), and it takes children
 * handed out apart from any reader that asks cw_filter_flags (a reader of
 * this file's own, cwt-tree), with the same output as when they come whole.
 * The mark of the hand-over (cw_record_mark_children) and the flag's ABI
 * check (cw_filter_flags) are tested here too.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/*
 * --- cwt-tree: "P title" starts a record, each "C title" after it adds a
 * child. When its records go to a filter that takes children apart, each
 * record is marked and its children follow it as records of their own, but
 * for those written "C +title", which it keeps (a marked record may still
 * hold children: they come first). Option apart=false: always whole. And
 * cwt-pass, a filter that passes records on and takes nothing apart.
 */

typedef struct tree_reader {
	cw_istream *in;
	int apart;          /* -1: not asked yet */
	cw_record *pending; /* the next "P" record, read ahead */
	cw_record **queue;  /* children waiting to go out apart */
	size_t nqueue, iqueue, capqueue;
} tree_reader;

static int tree_open(void *state, cw_session *s, cw_istream *in)
{
	tree_reader *st = state;
	st->in = in;
	st->apart = cw_session_option_bool(s, "apart", 1) ? -1 : 0;
	return CW_OK;
}

static int tree_record(const char *line, size_t len, cw_record **out)
{
	int rc = cw_record_new(out);
	if (!rc)
		rc = cw_record_set_text(*out, CW_FIELD_TITLE, line + 2, len - 2);
	if (!rc)
		rc = cw_record_set_type(*out, CW_TYPE_ARTICLE_JOURNAL);
	return rc;
}

static int tree_queue(tree_reader *st, cw_record *child)
{
	if (st->nqueue == st->capqueue) {
		size_t cap = st->capqueue ? st->capqueue * 2 : 8;
		cw_record **q = realloc(st->queue, cap * sizeof *q);
		if (!q)
			return CW_ENOMEM;
		st->queue = q;
		st->capqueue = cap;
	}
	st->queue[st->nqueue++] = child;
	return CW_OK;
}

static int tree_next(void *state, cw_session *s, cw_record **out)
{
	tree_reader *st = state;
	*out = NULL;
	if (st->apart < 0)
		st->apart = (cw_filter_flags(cw_session_next_filter(s)) &
		             CW_FILTER_TAKES_CHILDREN_APART) != 0;
	if (st->iqueue < st->nqueue) {
		*out = st->queue[st->iqueue++];
		return CW_OK;
	}
	st->nqueue = st->iqueue = 0;
	cw_record *rec = st->pending;
	st->pending = NULL;
	const char *line;
	size_t len;
	int rc;
	while ((rc = cw_istream_read_line(st->in, 0, &line, &len)) == CW_OK) {
		if (len < 2)
			continue;
		cw_record *r = NULL;
		if ((rc = tree_record(line, len, &r)) != CW_OK)
			break;
		if (line[0] == 'P' && rec) {
			st->pending = r;
			break;
		}
		if (line[0] == 'P') {
			rec = r;
		} else if (!rec) {
			cw_record_free(r);
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, 0, 0, "a child before a record");
		} else if (st->apart && !(len > 2 && line[2] == '+')) {
			rc = tree_queue(st, r);
		} else { /* whole, or "C +...": kept by its record (before the others) */
			rc = cw_record_adopt_child(rec, r);
		}
		if (rc)
			break;
	}
	if (rc != CW_OK && rc != CW_EOF) {
		cw_record_free(rec);
		return rc;
	}
	if (!rec)
		return CW_EOF;
	if (st->apart)
		cw_record_mark_children(rec, st->nqueue ? CW_CHILDREN_FOLLOW : CW_CHILDREN_HERE);
	*out = rec;
	return CW_OK;
}

static void tree_close(void *state, cw_session *s)
{
	(void)s;
	tree_reader *st = state;
	cw_record_free(st->pending);
	for (size_t i = st->iqueue; i < st->nqueue; i++)
		cw_record_free(st->queue[i]);
	free(st->queue);
}

static const cw_reader_ops tree_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(tree_reader),
    .open = tree_open,
    .next = tree_next,
    .close = tree_close,
};

static const cw_option_spec tree_options[] = {
    {"apart", CW_OPT_BOOL, "true", NULL, "hand children out apart when the filter takes them"},
    {NULL, 0, NULL, NULL, NULL}};

static const cw_format tree_format = {
    .struct_size = sizeof(cw_format),
    .name = "cwt-tree",
    .description = "records and their children, one line each (tests)",
    .extensions = NULL,
    .caps = CW_CAN_READ,
    .reader_options = tree_options,
    .reader = &tree_reader_ops,
};

static const cw_format *const tree_formats[] = {&tree_format, NULL};

static int pass_apply(void *state, cw_session *s, cw_record *rec, cw_emit *out)
{
	(void)state;
	(void)s;
	return cw_emit_record(out, rec);
}

static const cw_filter pass_filter = {
    .struct_size = sizeof(cw_filter),
    .name = "cwt-pass",
    .description = "passes records on (tests)",
    .apply = pass_apply,
};

static const cw_filter *const tree_filters[] = {&pass_filter, NULL};

static const cw_plugin tree_plugin = {
    CW_PLUGIN_HEADER,
    .name = "cwt-tree",
    .version = "1.0.0",
    .formats = tree_formats,
    .filters = tree_filters,
};

static const cw_plugin *tree_entry(void)
{
	return &tree_plugin;
}

/* --- a registry of cwt-tree, csljson.so and filters.so: no jats.so --- */

static cw_registry *registry(void)
{
	static cw_registry *reg;
	if (reg)
		return reg;
	const char *dir = getenv("CROSSWALK_PLUGIN_PATH");
	cr_assert(dir && *dir, "CROSSWALK_PLUGIN_PATH is not set");
	cr_assert_eq(cw_registry_new(&reg), CW_OK);
	cw_buf err = CW_BUF_INIT, path = CW_BUF_INIT;
	cr_assert_eq(cw_registry_add_static(reg, tree_entry, "test", &err), CW_OK, "%s",
	             cw_buf_str(&err));
	static const char *const files[] = {"csljson.so", "filters.so"};
	for (size_t i = 0; i < 2; i++) {
		cw_buf_clear(&path);
		cw_buf_printf(&path, "%s/%s", dir, files[i]);
		cr_assert_eq(cw_registry_load_file(reg, cw_buf_str(&path), &err), CW_OK, "%s",
		             cw_buf_str(&err));
	}
	cw_buf_free(&path);
	cw_buf_free(&err);
	return reg;
}

typedef struct run {
	cwt_diags diags;
	cw_pipeline_stats stats;
	int status;
	char *output;
} run;

/*
 * Converts input from format `from` to CSL-JSON through the filters (NULL-
 * terminated "name" or "name:opt=value"), with reader option ropt (or NULL).
 */
static void convert(run *r, const char *from, const char *input, const char *const *filters,
                    const char *ropt)
{
	memset(r, 0, sizeof *r);
	r->stats.struct_size = sizeof r->stats;
	cw_registry *reg = registry();
	cw_context *ctx = cwt_context(&r->diags);
	cw_context_set_registry(ctx, reg);
	cw_istream *in = NULL;
	cw_ostream *out = NULL;
	cw_pipeline *p = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, input, strlen(input), "in"), CW_OK);
	cr_assert_eq(cw_ostream_open_memory(&out, "out"), CW_OK);
	cr_assert_eq(cw_pipeline_new(&p, ctx), CW_OK);
	cw_option ro = {"apart", ropt};
	cr_assert_eq(cw_pipeline_set_reader(p, cw_registry_find_format(reg, from), in, &ro,
	                                    ropt ? 1 : 0),
	             CW_OK, "%s", cw_buf_str(&r->diags.text));
	for (size_t i = 0; filters && filters[i]; i++) {
		char name[64];
		const char *colon = strchr(filters[i], ':');
		size_t n = colon ? (size_t)(colon - filters[i]) : strlen(filters[i]);
		cr_assert_lt(n, sizeof name);
		memcpy(name, filters[i], n);
		name[n] = '\0';
		const cw_filter *f = cw_registry_find_filter(reg, name);
		cr_assert_not_null(f, "no filter %s", name);
		cw_option fo = {"keep-article", colon ? strchr(colon, '=') + 1 : NULL};
		cr_assert_eq(cw_pipeline_add_filter(p, f, &fo, colon ? 1 : 0), CW_OK, "%s",
		             cw_buf_str(&r->diags.text));
	}
	cr_assert_eq(cw_pipeline_add_writer(p, cw_registry_find_format(reg, "csljson"), out, NULL, 0),
	             CW_OK);
	r->status = cw_pipeline_run(p, &r->stats);
	cw_pipeline_free(p);
	const char *o = cw_ostream_memory(out, NULL);
	r->output = strdup(o ? o : "");
	cw_ostream_close(out);
	cw_istream_close(in);
	cw_context_free(ctx);
}

static void run_free(run *r)
{
	free(r->output);
	cwt_diags_free(&r->diags);
}

/* needle is in hay, once */
static int once(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	return p && !strstr(p + 1, needle);
}

Test(references, is_there_without_jats)
{
	cw_registry *reg = registry();
	cr_expect_null(cw_registry_find_format(reg, "jats"), "jats.so must not be loaded here");
	const cw_filter *f = cw_registry_find_filter(reg, "references");
	cr_assert_not_null(f);
	const cw_plugin *owner = cw_registry_owner(reg, f);
	cr_assert_not_null(owner);
	cr_expect_str_eq(owner->name, "filters");
	cr_expect(cw_filter_flags(f) & CW_FILTER_TAKES_CHILDREN_APART);
}

static const char csl_with_children[] =
    "[{\"id\": \"art\", \"type\": \"article-journal\", \"title\": \"The Article\",\n"
    "  \"custom\": {\"reference-list\": [\n"
    "    {\"id\": \"r1\", \"type\": \"book\", \"title\": \"First Reference\"},\n"
    "    {\"id\": \"r2\", \"type\": \"article-journal\", \"title\": \"Second Reference\"}]}},\n"
    " {\"id\": \"lone\", \"type\": \"book\", \"title\": \"No References Here\"},\n"
    " {\"id\": \"art2\", \"type\": \"article-journal\", \"title\": \"Another Article\",\n"
    "  \"custom\": {\"reference-list\": [\n"
    "    {\"id\": \"r3\", \"type\": \"book\", \"title\": \"Third Reference\"}]}}]\n";

Test(references, replaces_csl_json_records_by_their_children)
{
	const char *const filters[] = {"references", NULL};
	run r;
	convert(&r, "csljson", csl_with_children, filters, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 3);
	cr_expect_eq(r.stats.records_written, 3);
	const char *o = r.output;
	const char *a = strstr(o, "First Reference"), *b = strstr(o, "Second Reference"),
	           *c = strstr(o, "Third Reference");
	cr_expect(a && b && c && a < b && b < c, "%s", o);
	cr_expect(!strstr(o, "The Article") && !strstr(o, "Another Article") &&
	              !strstr(o, "No References Here"),
	          "%s", o);
	cr_expect(strstr(cw_buf_str(&r.diags.text), "record 2 has no references"), "%s",
	          cw_buf_str(&r.diags.text));
	run_free(&r);

	const char *const keep[] = {"references:keep-article=true", NULL};
	convert(&r, "csljson", csl_with_children, keep, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 6);
	o = r.output;
	const char *art = strstr(o, "The Article"), *first = strstr(o, "First Reference"),
	           *lone = strstr(o, "No References Here"), *art2 = strstr(o, "Another Article");
	cr_expect(art && first && lone && art2 && art < first && first < lone && lone < art2, "%s",
	          o);
	cr_expect(!strstr(o, "reference-list"), "the article goes on without its children: %s", o);
	run_free(&r);
}

/*
 * Until ABI 1.4 the mark was a last child with a "jats" passthrough, which
 * CSL-JSON reads from its input: this one made the filter drop "Mark" and
 * pass Article B on whole. The mark now lives outside the fields.
 */
static const char csl_forged_mark[] =
    "[{\"id\": \"a\", \"type\": \"article-journal\", \"title\": \"Article A\",\n"
    "  \"custom\": {\"reference-list\": [\n"
    "    {\"id\": \"a1\", \"type\": \"book\", \"title\": \"Ref A1\"},\n"
    "    {\"id\": \"m\", \"type\": \"book\", \"title\": \"Mark\", \"custom\": {\"passthrough\": "
    "[{\"format\": \"jats\", \"name\": \".references-apart\", \"value\": \"follow\"}]}}]}},\n"
    " {\"id\": \"b\", \"type\": \"article-journal\", \"title\": \"Article B\",\n"
    "  \"custom\": {\"reference-list\": [{\"id\": \"b1\", \"type\": \"book\", \"title\": "
    "\"Ref B1\"}]}}]\n";

Test(references, takes_no_mark_from_input)
{
	const char *const filters[] = {"references", NULL};
	run r;
	convert(&r, "csljson", csl_forged_mark, filters, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 3, "%s", r.output);
	cr_expect(strstr(r.output, "\"Mark\"") && strstr(r.output, "Ref B1"), "%s", r.output);
	cr_expect(!strstr(r.output, "Article B"), "%s", r.output);
	run_free(&r);
}

static const char tree[] = "P Article One\nC Ref 1.1\nC Ref 1.2\nC Ref 1.3\n"
                           "P Article Two\n"
                           "P Article Three\nC +Ref 3.1\nC Ref 3.2\n"
                           "P Article Four\nC Ref 4.1\n";

/* apart and whole give the same output and diagnostics; apart reads the children as records */
static void expect_same(const char *const *filters, uint64_t apart_read)
{
	run whole, apart;
	convert(&whole, "cwt-tree", tree, filters, "false");
	convert(&apart, "cwt-tree", tree, filters, NULL);
	cr_assert_eq(whole.status, CW_OK, "%s", cw_buf_str(&whole.diags.text));
	cr_assert_eq(apart.status, CW_OK, "%s", cw_buf_str(&apart.diags.text));
	cr_expect_eq(whole.stats.records_read, 4);
	cr_expect_eq(apart.stats.records_read, apart_read, "%llu",
	             (unsigned long long)apart.stats.records_read);
	cr_expect_eq(apart.stats.records_written, whole.stats.records_written);
	cr_expect_str_eq(apart.output, whole.output);
	cr_expect_str_eq(cw_buf_str(&apart.diags.text), cw_buf_str(&whole.diags.text));
	run_free(&whole);
	run_free(&apart);
}

Test(references, takes_children_apart_from_any_reader)
{
	const char *const filters[] = {"references", NULL};
	/* the four articles and the children they did not keep (1.1-1.3, 3.2, 4.1) */
	expect_same(filters, 4 + 5);
	run r;
	convert(&r, "cwt-tree", tree, filters, NULL);
	const char *o = r.output;
	const char *ref[] = {"Ref 1.1", "Ref 1.2", "Ref 1.3", "+Ref 3.1", "Ref 3.2", "Ref 4.1"};
	for (size_t i = 0; i < 6; i++) {
		cr_expect(once(o, ref[i]), "%s in %s", ref[i], o);
		if (i)
			cr_expect(strstr(o, ref[i - 1]) < strstr(o, ref[i]), "%s", o);
	}
	cr_expect(!strstr(o, "Article"), "%s", o);
	cr_expect(once(cw_buf_str(&r.diags.text), "has no references"), "%s",
	             cw_buf_str(&r.diags.text));
	cr_expect(strstr(cw_buf_str(&r.diags.text), "record 2 has no references"), "%s",
	          cw_buf_str(&r.diags.text));
	run_free(&r);

	const char *const keep[] = {"references:keep-article=true", NULL};
	expect_same(keep, 4 + 5);
}

Test(references, leaves_no_mark_for_a_second_filter)
{
	/* the second one would pass the first one's references on if it saw a mark */
	const char *const twice[] = {"references:keep-article=true", "references", NULL};
	expect_same(twice, 4 + 5);
	run r;
	convert(&r, "cwt-tree", tree, twice, NULL);
	cr_expect_eq(r.stats.records_written, 0, "%s", r.output);
	run_free(&r);
}

Test(references, hand_over_only_to_a_filter_that_takes_it)
{
	/* the reader's records go to cwt-pass first: whole, and the output is the same */
	const char *const after_pass[] = {"cwt-pass", "references", NULL};
	const char *const alone[] = {"references", NULL};
	run r, want;
	convert(&r, "cwt-tree", tree, after_pass, NULL);
	convert(&want, "cwt-tree", tree, alone, "false");
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 4);
	cr_expect_str_eq(r.output, want.output);
	run_free(&r);
	run_free(&want);
	/* and with no filter at all */
	convert(&r, "cwt-tree", tree, NULL, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_read, 4);
	cr_expect(once(r.output, "Ref 1.2"), "%s", r.output);
	run_free(&r);
}

Test(filter_flags, read_only_what_the_descriptor_has)
{
	cr_expect_eq(cw_filter_flags(NULL), 0);
	cw_filter f = {.struct_size = sizeof(cw_filter),
	               .name = "x",
	               .flags = CW_FILTER_TAKES_CHILDREN_APART};
	cr_expect_eq(cw_filter_flags(&f), CW_FILTER_TAKES_CHILDREN_APART);
	/* built against ABI 1.3 headers: the descriptor ends before flags, which
	 * is then whatever follows it in the plugin's memory */
	f.struct_size = (uint32_t)offsetof(cw_filter, flags);
	cr_expect_eq(cw_filter_flags(&f), 0);
}

Test(children_mark, lives_in_the_record)
{
	cw_record *rec = NULL, *copy = NULL;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cr_expect_eq(cw_record_children_mark(rec), CW_CHILDREN_UNMARKED);
	cr_expect_eq(cw_record_mark_children(rec, CW_CHILDREN_FOLLOW), CW_OK);
	cr_expect_eq(cw_record_children_mark(rec), CW_CHILDREN_FOLLOW);
	cr_expect_eq(cw_record_mark_children(rec, (enum cw_children_mark)7), CW_EINVAL);
	cr_expect_eq(cw_record_children_mark(rec), CW_CHILDREN_FOLLOW);
	/* not a field: no writer sees it, a copy does not have it */
	cr_expect_eq(cw_record_next_field(rec, CW_FIELD_NONE), CW_FIELD_NONE);
	cr_assert_eq(cw_record_clone(&copy, rec), CW_OK);
	cr_expect_eq(cw_record_children_mark(copy), CW_CHILDREN_UNMARKED);
	cr_expect_eq(cw_record_mark_children(rec, CW_CHILDREN_HERE), CW_OK);
	cr_expect_eq(cw_record_children_mark(rec), CW_CHILDREN_HERE);
	cr_expect_eq(cw_record_mark_children(rec, CW_CHILDREN_UNMARKED), CW_OK);
	cr_expect_eq(cw_record_children_mark(rec), CW_CHILDREN_UNMARKED);
	cr_expect_eq(cw_record_mark_children(NULL, CW_CHILDREN_HERE), CW_EINVAL);
	cr_expect_eq(cw_record_children_mark(NULL), CW_CHILDREN_UNMARKED);
	cw_record_free(copy);
	cw_record_free(rec);
}
