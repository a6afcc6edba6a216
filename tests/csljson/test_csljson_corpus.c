/*
 * CSL-JSON conformance over the shared corpus: every CSL-JSON file reads
 * without error; CSL-JSON -> record -> CSL-JSON -> record is identical; the
 * writer is idempotent; every output validates against the CSL data schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cw_test.h"
#include "json_oracle.h"

static const char *const dirs[] = {"csl/test-suite-inputs", "csljson", "bibtex", NULL};

/* CSL-JSON files of the corpus: *.json under dirs (bibtex/ only its *.csl.json). */
static char **corpus_files(size_t *count)
{
	char root[4096];
	CWT_CORPUS("", root);
	char **all = NULL;
	size_t n = 0;
	for (const char *const *d = dirs; *d; d++) {
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", root, *d);
		size_t k;
		char **list = cwt_list_files(path, strcmp(*d, "bibtex") == 0 ? ".csl.json" : ".json", &k);
		all = realloc(all, (n + k) * sizeof *all);
		cr_assert(all);
		memcpy(all + n, list, k * sizeof *list);
		n += k;
		free(list);
	}
	*count = n;
	return all;
}

/* The writer invents what CSL requires (id, type) when the source had none. */
static void forget_generated(cw_record *second, const cw_record *first)
{
	if (!cw_record_has(first, CW_FIELD_ID))
		cw_record_clear(second, CW_FIELD_ID);
	if (cw_record_type(first) == CW_TYPE_UNSET && cw_record_type(second) == CW_TYPE_DOCUMENT)
		cw_record_set_type(second, CW_TYPE_UNSET);
	cw_record **kids;
	size_t n;
	if (cw_record_child_count(second) == 0 || cw_record_take_children(second, &kids, &n) != CW_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		if (i < cw_record_child_count(first))
			forget_generated(kids[i], cw_record_child(first, i));
		cw_record_adopt_child(second, kids[i]);
	}
	cw_free(kids);
}

/* 1 for a date part that holds nothing: "" or null (processors skip them). */
static int empty_part(const json_t *v)
{
	return json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* 1 if a CSL circa value means circa (true, a number but 0, a string but "", "0", "false"). */
static int circa_true(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_number(v))
		return json_number_value(v) != 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		return *s && strcmp(s, "0") != 0 && strcasecmp(s, "false") != 0;
	}
	return -1;
}

/*
 * The JSON-level comparison the CSL test suite round trip allows: numbers
 * and numeric strings are the same, key order does not matter, aliases are
 * their canonical key, "circa" is true or absent, empty date parts are
 * absent (["2000", "", ""] is [2000]; "date-parts": [] says nothing, and a
 * date left with nothing is no date). Returns a new value.
 */
static json_t *normalise(json_t *v, int item_level)
{
	static const char *const alias[][2] = {{"journalAbbreviation", "container-title-short"},
	                                       {"shortTitle", "title-short"},
	                                       {"event", "event-title"}};
	if (json_is_object(v)) {
		json_t *out = json_object();
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) {
			if (strcmp(k, "circa") == 0 && circa_true(x) >= 0) {
				if (circa_true(x))
					json_object_set_new(out, k, json_true());
				continue;
			}
			if (strcmp(k, "date-parts") == 0 && json_is_array(x)) {
				json_t *dp = json_array();
				for (size_t i = 0; i < json_array_size(x); i++) {
					json_t *d = json_array_get(x, i);
					json_t *parts = json_array();
					for (size_t j = 0; json_is_array(d) && j < json_array_size(d); j++)
						if (!empty_part(json_array_get(d, j)))
							json_array_append_new(
							    parts, normalise(json_array_get(d, j), 0));
					if (json_array_size(parts) || !json_is_array(d))
						json_array_append_new(dp, json_is_array(d) ? parts
						                                           : normalise(d, 0));
					else
						json_decref(parts);
				}
				if (json_array_size(dp))
					json_object_set_new(out, k, dp);
				else
					json_decref(dp);
				continue;
			}
			const char *nk = k;
			for (size_t i = 0; item_level && i < sizeof alias / sizeof alias[0]; i++)
				if (strcmp(k, alias[i][0]) == 0 && !json_object_get(v, alias[i][1]))
					nk = alias[i][1];
			json_t *n = normalise(x, 0);
			if (item_level && json_is_object(n) && json_object_size(n) == 0 &&
			    cw_field_kind(cw_field_from_name(nk, CW_NUL)) == CW_KIND_DATE)
				json_decref(n); /* a date with nothing in it */
			else
				json_object_set_new(out, nk, n);
		}
		return out;
	}
	if (json_is_array(v)) {
		json_t *out = json_array();
		for (size_t i = 0; i < json_array_size(v); i++)
			json_array_append_new(out, normalise(json_array_get(v, i), 0));
		return out;
	}
	if (json_is_number(v)) {
		char *t = json_dumps(v, JSON_ENCODE_ANY);
		json_t *out = json_string(t);
		free(t);
		return out;
	}
	return json_incref(v);
}

/*
 * The writer makes ids unique within its output: a repeated id gets a
 * suffix and the id it had travels in custom.source-id. Puts it back.
 */
static void restore_source_id(json_t *item)
{
	json_t *custom = json_object_get(item, "custom");
	json_t *sid = json_object_get(custom, "source-id");
	if (!json_is_string(sid))
		return;
	json_object_set(item, "id", sid);
	json_object_del(custom, "source-id");
	if (json_object_size(custom) == 0)
		json_object_del(item, "custom");
}

/* Warnings other than the one the writer gives for a repeated id. */
static size_t other_warnings(const cwt_diags *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity >= CW_SEV_WARNING &&
		    !strstr(d->items[i].message, "a suffix makes it unique"))
			n++;
	return n;
}

/*
 * For records whose fields cw_record_compare found equal: 1 if b's
 * passthrough is a's plus the CSL id the writer gave it (a passthrough
 * "id"), which a record read back keeps when the writer changed its id (a
 * repeated id got a suffix).
 */
static int same_but_kept_id(const cw_record *a, const cw_record *b)
{
	size_t na = cw_record_passthrough_count(a), nb = cw_record_passthrough_count(b);
	if (nb != na + 1 || cw_record_type(a) != cw_record_type(b))
		return 0;
	const cw_passthrough *p = cw_record_find_passthrough(b, "csljson", "id");
	if (!p || cw_record_find_passthrough(a, "csljson", "id"))
		return 0;
	for (size_t i = 0, j = 0; i < na; i++, j++) {
		if (cw_record_passthrough(b, j) == p)
			j++;
		const cw_passthrough *x = cw_record_passthrough(a, i), *y = cw_record_passthrough(b, j);
		if (strcmp(x->format, y->format) || strcmp(x->name, y->name) ||
		    strcmp(x->value, y->value))
			return 0;
	}
	return 1;
}

/* The plugin's JSON parser reads every JSON file of the corpus as jansson does. */
Test(csljson_corpus, json_parser_agrees_with_jansson)
{
	char dir[4096], why[256];
	CWT_CORPUS("", dir);
	size_t nfiles;
	char **files = cwt_list_files(dir, ".json", &nfiles);
	cr_assert_gt(nfiles, 800);
	for (size_t fi = 0; fi < nfiles; fi++) {
		size_t len;
		char *text = cwt_read_file(files[fi], &len);
		cr_assert(text, "%s", files[fi]);
		cr_expect(!cwt_json_oracle(text, len, why, sizeof why), "%s: %s", files[fi], why);
		free(text);
	}
	cwt_free_list(files, nfiles);
}

/* CSL-JSON -> record -> CSL-JSON gives the same items (--inline-unknown). */
Test(csljson_corpus, test_suite_items_unchanged)
{
	char dir[4096];
	CWT_CORPUS("csl/test-suite-inputs", dir);
	size_t nfiles, items = 0;
	char **files = cwt_list_files(dir, ".json", &nfiles);
	cr_assert_gt(nfiles, 800);
	const char *const inline_unknown[] = {"inline-unknown=true", NULL};
	for (size_t fi = 0; fi < nfiles; fi++) {
		size_t len;
		char *text = cwt_read_file(files[fi], &len);
		cwt_result r;
		cwt_convert(&r, "csljson", "csljson", text, len, NULL, inline_unknown, NULL);
		cr_assert_eq(r.status, CW_OK, "%s: %s", files[fi], cw_buf_str(&r.diags.text));
		json_error_t e;
		json_t *in = json_loadb(text, len, 0, &e), *out = json_loadb(r.output, r.output_len, 0, &e);
		cr_assert(in && out, "%s: %s", files[fi], e.text);
		if (json_is_object(in)) {
			json_t *arr = json_array();
			json_array_append_new(arr, in);
			in = arr;
		}
		cr_assert_eq(json_array_size(in), json_array_size(out), "%s", files[fi]);
		for (size_t i = 0; i < json_array_size(in); i++) {
			json_t *a = normalise(json_array_get(in, i), 1);
			restore_source_id(json_array_get(out, i));
			json_t *b = normalise(json_array_get(out, i), 1);
			if (!json_object_get(a, "id"))
				json_object_del(b, "id"); /* generated: CSL requires one */
			if (!json_object_get(a, "type"))
				json_object_del(b, "type");
			if (!json_equal(a, b)) {
				char *ta = json_dumps(a, JSON_SORT_KEYS), *tb = json_dumps(b, JSON_SORT_KEYS);
				cr_expect_fail("%s item %zu changed:\n in: %s\nout: %s", files[fi], i + 1, ta, tb);
				free(ta);
				free(tb);
			}
			json_decref(a);
			json_decref(b);
			items++;
		}
		json_decref(in);
		json_decref(out);
		cwt_result_free(&r);
		free(text);
	}
	cr_log_info("%zu items of %zu files unchanged", items, nfiles);
	cwt_free_list(files, nfiles);
}

Test(csljson_corpus, round_trip_and_schema)
{
	size_t nfiles;
	char **files = corpus_files(&nfiles);
	cr_assert_gt(nfiles, 800, "expected the CSL test-suite inputs, found %zu files", nfiles);
	const char *out_dir = cwt_tmpdir();
	size_t records = 0;
	for (size_t fi = 0; fi < nfiles; fi++) {
		size_t len;
		char *text = cwt_read_file(files[fi], &len);
		cr_assert(text, "cannot read %s", files[fi]);
		cwt_diags d1 = {0}, d2 = {0}, dw = {0};
		cw_record **r1, **r2;
		size_t n1 = cwt_read_records("csljson", text, len, &r1, &d1, NULL);
		cr_expect_eq(cwt_diags_count(&d1, CW_SEV_ERROR), 0, "%s: %s", files[fi],
		             cw_buf_str(&d1.text));
		char *out1 = cwt_write_records("csljson", r1, n1, &dw, NULL);
		cr_assert(out1);
		cr_expect_eq(other_warnings(&dw), 0, "%s: writing CSL-JSON reported: %s", files[fi],
		             cw_buf_str(&dw.text));
		size_t n2 = cwt_read_records("csljson", out1, strlen(out1), &r2, &d2, NULL);
		cr_expect_eq(cwt_diags_count(&d2, CW_SEV_WARNING), 0, "%s: re-reading: %s", files[fi],
		             cw_buf_str(&d2.text));
		cr_assert_eq(n1, n2, "%s: %zu records, then %zu", files[fi], n1, n2);
		for (size_t i = 0; i < n1; i++) {
			forget_generated(r2[i], r1[i]);
			cw_buf diff = CW_BUF_INIT;
			int cmp = cw_record_compare(r1[i], r2[i], &diff);
			cr_expect(cmp == 0 || (cmp == -1 && same_but_kept_id(r1[i], r2[i])),
			          "%s item %zu: %s", files[fi], i + 1, cw_buf_str(&diff));
			cw_buf_free(&diff);
		}
		char *out2 = cwt_write_records("csljson", r2, n2, NULL, NULL);
		cr_expect_str_eq(out2, out1, "%s: writer not idempotent", files[fi]);
		char path[4096];
		snprintf(path, sizeof path, "%s/%05zu.json", out_dir, fi);
		cr_assert_eq(cwt_write_file(path, out1, strlen(out1)), 0);
		records += n1;
		free(out1);
		free(out2);
		free(text);
		cwt_free_records(r1, n1);
		cwt_free_records(r2, n2);
		cwt_diags_free(&d1);
		cwt_diags_free(&d2);
		cwt_diags_free(&dw);
	}
	cr_log_info("%zu files, %zu records round-tripped", nfiles, records);
	cwt_free_list(files, nfiles);

	/* the schema check runs once over every output */
	char root[4096];
	CWT_CORPUS("csl/schema/csl-data.json", root);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd, "/usr/bin/python3 %s/tests/tools/validate_csl.py %s %s/*.json",
	              cwt_source_dir(), root, out_dir);
	int rc = cwt_run(cw_buf_str(&cmd), &out);
	cr_assert_eq(rc, 0, "CSL schema validation failed (status %d):\n%s", rc, cw_buf_str(&out));
	cw_buf_free(&cmd);
	cw_buf_free(&out);
}

/* A record with every canonical field set survives CSL-JSON: nothing is
 * reported as not carried and reading it back gives the same record. */
Test(csljson_corpus, every_field_is_carried)
{
	cw_record *rec;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cw_record_set_type(rec, CW_TYPE_ARTICLE_JOURNAL);
	for (int f = 1; f < CW_FIELD_COUNT_; f++) {
		const char *name = cw_field_name((enum cw_field)f);
		switch (cw_field_kind((enum cw_field)f)) {
		case CW_KIND_TEXT:
		case CW_KIND_NUMBER:
			cr_assert_eq(cw_record_set_text(rec, (enum cw_field)f, name, CW_NUL), CW_OK);
			break;
		case CW_KIND_RICH: {
			cw_buf b = CW_BUF_INIT;
			cw_buf_printf(&b, "%s with ", name);
			cw_rich_open(&b, CW_STYLE_ITALIC);
			cw_buf_append(&b, "style", CW_NUL);
			cw_rich_close(&b, CW_STYLE_ITALIC);
			cr_assert_eq(cw_record_set_text(rec, (enum cw_field)f, b.data, b.len), CW_OK);
			cw_buf_free(&b);
			break;
		}
		case CW_KIND_DATE: {
			cw_date d = CW_DATE_INIT;
			d.year = 2008, d.month = 2, d.day = 29, d.parts = 3;
			d.end_year = 2008, d.end_month = 3, d.end_parts = 2;
			d.flags = CW_DATE_UNCERTAIN;
			cr_assert_eq(cw_record_set_date(rec, (enum cw_field)f, &d), CW_OK);
			break;
		}
		case CW_KIND_NAMES: {
			const char *ids[] = {"aff1", "aff2"};
			cw_name n = CW_NAME_INIT;
			n.family = "Laumulin", n.given = "Murat", n.non_dropping_particle = "van";
			n.suffix = "Jr.", n.flags = CW_NAME_COMMA_SUFFIX | CW_NAME_CORRESPONDING;
			n.orcid = "https://orcid.org/0000-0002-1825-0097", n.email = "m@example.org";
			n.affiliation_ids = ids, n.affiliation_count = 2, n.degrees = "D.Sc.";
			n.role = "Writing", n.extra_format = "bibtex", n.extra = "{useprefix=true}";
			cr_assert_eq(cw_record_add_name(rec, (enum cw_field)f, &n), CW_OK);
			cw_name org = CW_NAME_INIT;
			org.literal = "World Health Organization";
			cr_assert_eq(cw_record_add_name(rec, (enum cw_field)f, &org), CW_OK);
			cw_name etal = CW_NAME_INIT;
			etal.flags = CW_NAME_ETAL;
			cr_assert_eq(cw_record_add_name(rec, (enum cw_field)f, &etal), CW_OK);
			break;
		}
		case CW_KIND_LIST:
		case CW_KIND_RICH_LIST: {
			cw_item it = CW_ITEM_INIT;
			it.value = "first";
			cr_assert_eq(cw_record_add_item(rec, (enum cw_field)f, &it), CW_OK);
			it.value = "second", it.lang = "ru", it.type = "kind", it.scheme = "doi";
			if (f == CW_FIELD_CATEGORIES)
				it.lang = it.type = it.scheme = NULL; /* CSL categories are strings */
			cr_assert_eq(cw_record_add_item(rec, (enum cw_field)f, &it), CW_OK);
			break;
		}
		case CW_KIND_AFFILIATIONS: {
			cw_affiliation a = CW_AFFILIATION_INIT;
			a.id = "aff1", a.text = "KazISS, Almaty, Kazakhstan", a.institution = "KazISS";
			a.department = "Dept", a.address = "4 Street", a.city = "Almaty";
			a.region = "Almaty Region", a.postal_code = "050000", a.country = "Kazakhstan";
			a.country_code = "KZ", a.ror = "https://ror.org/000000000";
			a.other_id = "0000 0001", a.other_id_type = "isni";
			cr_assert_eq(cw_record_add_affiliation(rec, &a), CW_OK);
			break;
		}
		case CW_KIND_FUNDING: {
			cw_funding fu = CW_FUNDING_INIT;
			fu.funder = "Funder", fu.funder_id = "https://doi.org/10.13039/100000001";
			fu.award_id = "A-1", fu.award_title = "Award";
			cr_assert_eq(cw_record_add_funding(rec, &fu), CW_OK);
			break;
		}
		case CW_KIND_RECORDS: {
			cw_record *child;
			cr_assert_eq(cw_record_add_child(rec, &child), CW_OK);
			cw_record_set_text(child, CW_FIELD_ID, "ref1", CW_NUL);
			cw_record_set_type(child, CW_TYPE_BOOK);
			cw_record_set_text(child, CW_FIELD_TITLE, "A cited book", CW_NUL);
			break;
		}
		default:
			cr_assert_fail("field %s has a kind this test does not know", name);
		}
	}
	cw_record_add_passthrough(rec, "bibtex", "timestamp", "2008-03-01", CW_NUL);
	cw_record_add_passthrough(rec, "jats", "counts/page-count", "13", CW_NUL);

	cwt_diags dw = {0}, dr = {0};
	char *json = cwt_write_records("csljson", &rec, 1, &dw, NULL);
	cr_assert(json);
	cr_expect_eq(dw.n, 0, "writer reported: %s", cw_buf_str(&dw.text));
	cw_record **back;
	size_t n = cwt_read_records("csljson", json, strlen(json), &back, &dr, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&dr.text));
	cr_expect_eq(dr.n, 0, "reader reported: %s", cw_buf_str(&dr.text));
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(rec, back[0], &diff), 0, "%s\n%s", cw_buf_str(&diff), json);
	cw_buf_free(&diff);

	char root[4096];
	CWT_CORPUS("csl/schema/csl-data.json", root);
	const char *path = "csljson-every-field.json";
	char full[4096];
	snprintf(full, sizeof full, "%s/%s", cwt_tmpdir(), path);
	cr_assert_eq(cwt_write_file(full, json, strlen(json)), 0);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd, "/usr/bin/python3 %s/tests/tools/validate_csl.py %s %s",
	              cwt_source_dir(), root, full);
	cr_expect_eq(cwt_run(cw_buf_str(&cmd), &out), 0, "%s", cw_buf_str(&out));
	cw_buf_free(&cmd);
	cw_buf_free(&out);
	free(json);
	cwt_free_records(back, n);
	cw_record_free(rec);
	cwt_diags_free(&dw);
	cwt_diags_free(&dr);
}

/* 1 if the id is one of the writer's old position numbers ("item-3", "ref-12"). */
static int positional_id(const char *id)
{
	const char *p = !strncmp(id, "item-", 5) ? id + 5 : !strncmp(id, "ref-", 4) ? id + 4 : NULL;
	if (!p || !*p)
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/*
 * Every JATS article of the corpus as CSL-JSON, the way a journal converts
 * its issues one by one and merges the outputs: no id is a position
 * number, the articles' ids do not collide when merged, each reference
 * list's ids are unique, each reference keeps its JATS id in
 * custom.source-id, and CSL-JSON -> CSL-JSON gives the same bytes.
 */
Test(csljson_corpus, jats_ids_survive_a_merge)
{
	char dir[4096];
	CWT_CORPUS("jats", dir);
	size_t nfiles;
	char **files = cwt_list_files(dir, "ml", &nfiles);
	json_t *merged = json_object();
	size_t articles = 0, refs = 0;
	for (size_t fi = 0; fi < nfiles; fi++) {
		if (strstr(files[fi], "/schema/"))
			continue;
		size_t len;
		char *text = cwt_read_file(files[fi], &len);
		cwt_result r, again;
		cwt_convert(&r, "jats", "csljson", text, len, NULL, NULL, NULL);
		cr_assert_eq(r.status, CW_OK, "%s: %s", files[fi], cw_buf_str(&r.diags.text));
		cwt_convert(&again, "csljson", "csljson", r.output, r.output_len, NULL, NULL, NULL);
		cr_expect_str_eq(again.output, r.output, "%s: CSL-JSON -> CSL-JSON changed it",
		                 files[fi]);
		json_error_t e;
		json_t *items = json_loadb(r.output, r.output_len, 0, &e);
		cr_assert(items, "%s: %s", files[fi], e.text);
		cw_record **recs;
		cwt_diags d = {0};
		size_t n = cwt_read_records("jats", text, len, &recs, &d, NULL);
		cr_assert_eq(n, json_array_size(items), "%s", files[fi]);
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *it = json_array_get(items, i);
			const char *id = json_string_value(json_object_get(it, "id"));
			cr_assert(id, "%s", files[fi]);
			cr_expect(!positional_id(id), "%s: id %s", files[fi], id);
			cr_expect(!json_object_get(merged, id), "%s: id %s is also another article's",
			          files[fi], id);
			json_object_set_new(merged, id, json_true());
			articles++;
			json_t *list =
			    json_object_get(json_object_get(it, "custom"), "reference-list");
			json_t *seen = json_object();
			for (size_t k = 0; k < json_array_size(list); k++) {
				json_t *ref = json_array_get(list, k);
				const char *rid = json_string_value(json_object_get(ref, "id"));
				cr_assert(rid);
				cr_expect(!positional_id(rid), "%s: ref id %s", files[fi], rid);
				cr_expect(!json_object_get(seen, rid), "%s: ref id %s twice", files[fi],
				          rid);
				json_object_set_new(seen, rid, json_true());
				const cw_record *child = cw_record_child(recs[i], k);
				const char *own = child ? cw_record_text(child, CW_FIELD_ID) : NULL;
				const char *sid = json_string_value(json_object_get(
				    json_object_get(ref, "custom"), "source-id"));
				if (own)
					cr_expect(sid && !strcmp(sid, own),
					          "%s: ref %s lost its JATS id %s", files[fi], rid, own);
				refs++;
			}
			json_decref(seen);
		}
		cwt_free_records(recs, n);
		cwt_diags_free(&d);
		json_decref(items);
		cwt_result_free(&r);
		cwt_result_free(&again);
		free(text);
	}
	cr_expect_gt(articles, 40);
	cr_expect_gt(refs, 1000);
	cr_log_info("%zu articles, %zu references", articles, refs);
	json_decref(merged);
	cwt_free_list(files, nfiles);
}
