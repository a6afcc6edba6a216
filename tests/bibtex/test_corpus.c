/*
 * The BibTeX corpus (../shared/corpus/bibtex): every .bib is read without
 * errors; bib -> record -> bib -> record is identical for both writers; the
 * writers' output passes bibtex (plain, alpha, abbrv, unsrt) and biber
 * --validate-datamodel with no warning the input did not cause, and biber
 * reads the same entries from the BibLaTeX output as from the input; the
 * BibTeX and BibLaTeX of the JATS corpus articles' references pass the
 * same checks but for the bounded, explained messages of
 * jats-refs-expected.txt; and where a fixture has its project's expected
 * CSL, the differences are exactly the documented ones
 * (known-differences.txt, docs/formats/bibtex.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cw_test.h"

static const char *const folders[] = {"better-bibtex", "bibtex-tidy", "citation-js", "pandoc"};

typedef struct file_records {
	char *path;
	cw_record **recs;
	size_t n;
	cwt_diags d;
} file_records;

static file_records *read_folder(const char *sub, size_t *count)
{
	char dir[1024], rel[256];
	snprintf(rel, sizeof rel, "bibtex/%s", sub);
	CWT_CORPUS(rel, dir);
	size_t n = 0;
	char **files = cwt_list_files(dir, ".bib", &n);
	cr_assert(n > 0, "no .bib files under %s", dir);
	file_records *fr = calloc(n, sizeof *fr);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		char *data = cwt_read_file(files[i], &len);
		cr_assert(data, "cannot read %s", files[i]);
		fr[i].path = strdup(files[i]);
		fr[i].n = cwt_read_records("bibtex", data, len, &fr[i].recs, &fr[i].d, NULL);
		free(data);
	}
	cwt_free_list(files, n);
	*count = n;
	return fr;
}

static void free_folder(file_records *fr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(fr[i].path);
		cwt_free_records(fr[i].recs, fr[i].n);
		cwt_diags_free(&fr[i].d);
	}
	free(fr);
}

Test(bibtex_corpus, every_file_is_read_without_errors)
{
	size_t total = 0, records = 0;
	for (size_t f = 0; f < sizeof folders / sizeof folders[0]; f++) {
		size_t n = 0;
		file_records *fr = read_folder(folders[f], &n);
		for (size_t i = 0; i < n; i++) {
			cr_expect_eq(cwt_diags_count(&fr[i].d, CW_SEV_ERROR), 0, "%s:\n%s",
			             fr[i].path, cw_buf_str(&fr[i].d.text));
			for (size_t k = 0; k < fr[i].d.n; k++)
				if (fr[i].d.items[k].severity >= CW_SEV_WARNING &&
				    fr[i].d.items[k].kind == CW_DIAG_GENERAL &&
				    fr[i].d.items[k].line == 0)
					cr_expect_fail("%s: diagnostic without a location: %s",
					               fr[i].path, fr[i].d.items[k].message);
			records += fr[i].n;
		}
		total += n;
		free_folder(fr, n);
	}
	cr_log_info("%zu files, %zu records", total, records);
	cr_expect_gt(records, 1000);
}

/* 1 if rec's key occurs more than once in the file (the writer then renames it). */
static int duplicate_key(const file_records *fr, const cw_record *rec)
{
	const char *id = cw_record_text(rec, CW_FIELD_ID);
	if (!id)
		return 1;
	size_t count = 0;
	for (size_t i = 0; i < fr->n; i++) {
		const char *o = cw_record_text(fr->recs[i], CW_FIELD_ID);
		count += o && strcasecmp(o, id) == 0;
	}
	return count > 1;
}

/*
 * 1 if the writer reported a field of the record written as key as not
 * carried (only_empty: only empty fields, which the writers leave out).
 */
static int loss_reported(const cwt_diags *d, const char *key, int only_empty)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].kind == CW_DIAG_NOT_CARRIED && d->items[i].record && key &&
		    strcmp(d->items[i].record, key) == 0 &&
		    (!only_empty || strstr(d->items[i].message, "(empty)")))
			return 1;
	return 0;
}

static int reported_loss(const cwt_diags *d, const char *key)
{
	return loss_reported(d, key, 0);
}

/* 1 if the record's crossref or xdata parent had a reported loss (it inherits it). */
static int parent_loss(const cwt_diags *d, const cw_record *rec)
{
	static const char *const refs[] = {"crossref", "xdata"};
	for (size_t r = 0; r < 2; r++) {
		const cw_passthrough *p = cw_record_find_passthrough(rec, "bibtex", refs[r]);
		if (!p)
			continue;
		char buf[256];
		snprintf(buf, sizeof buf, "%s", p->value);
		for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", "))
			if (reported_loss(d, tok))
				return 1;
	}
	return 0;
}

/*
 * What classic BibTeX gives back of rec: titles with their subtitles and
 * addons joined (it has no fields for them), the sort key it adds to an
 * entry without the names its styles sort by, and the names of its own
 * entry types and fields (@techreport for a report, language for langid),
 * which back has.
 */
static void classic_expected(cw_record *rec, const cw_record *back)
{
	static const enum cw_field titles[][3] = {
	    {CW_FIELD_TITLE, CW_FIELD_SUBTITLE, CW_FIELD_TITLE_ADDON},
	    {CW_FIELD_CONTAINER_TITLE, CW_FIELD_CONTAINER_SUBTITLE, CW_FIELD_CONTAINER_TITLE_ADDON}};
	for (size_t i = 0; i < 2; i++) {
		if (!cw_record_title_has_parts(rec, titles[i][0]))
			continue;
		cw_buf joined = CW_BUF_INIT;
		cr_assert_eq(cw_record_joined_title(rec, titles[i][0], &joined), CW_OK);
		cw_record_set_text(rec, titles[i][0], cw_buf_str(&joined), CW_NUL);
		cw_record_clear(rec, titles[i][1]);
		cw_record_clear(rec, titles[i][2]);
		cw_buf_free(&joined);
	}
	const cw_passthrough *key = cw_record_find_passthrough(back, "bibtex", "key");
	if (key && !cw_record_find_passthrough(rec, "bibtex", "key"))
		cw_record_add_passthrough(rec, "bibtex", "key", key->value, CW_NUL);
	static const char *const own[] = {"entrytype", ".sourcefields"};
	for (size_t i = 0; i < 2; i++) {
		const cw_passthrough *p = cw_record_find_passthrough(back, "bibtex", own[i]);
		if (p && !cw_record_find_passthrough(rec, "bibtex", own[i]))
			cw_record_add_passthrough(rec, "bibtex", own[i], p->value, CW_NUL);
	}
}

/*
 * bib -> record -> bib -> record. Records must be identical, except that a
 * key that was missing, used twice or not valid in the source is replaced
 * (the writer reports it), that empty fields are left out (reported; those
 * records are not compared), that classic BibTeX joins titles and adds sort
 * keys (classic_expected) and, when lossy is set, records for which the
 * writer reported a field it cannot carry are not compared (counted
 * instead).
 */
static void round_trip(const char *writer, int lossy)
{
	size_t failures = 0, checked = 0, reported = 0;
	cw_buf report = CW_BUF_INIT;
	for (size_t f = 0; f < sizeof folders / sizeof folders[0]; f++) {
		size_t n = 0;
		file_records *fr = read_folder(folders[f], &n);
		for (size_t i = 0; i < n; i++) {
			if (!fr[i].n)
				continue;
			cwt_diags wd = {0}, rd = {0};
			char *out = cwt_write_records(writer, fr[i].recs, fr[i].n, &wd, NULL);
			cr_assert(out, "%s: writer failed\n%s", fr[i].path, cw_buf_str(&wd.text));
			cw_record **back = NULL;
			size_t nb = cwt_read_records("bibtex", out, strlen(out), &back, &rd, NULL);
			if (nb != fr[i].n) {
				failures++;
				cw_buf_printf(&report,
				              "%s: %zu records, %zu after the round trip\n%s\n",
				              fr[i].path, fr[i].n, nb, cw_buf_str(&rd.text));
			}
			for (size_t k = 0; k < nb && k < fr[i].n; k++) {
				cw_buf diff = CW_BUF_INIT;
				const char *key = cw_record_text(back[k], CW_FIELD_ID);
				const char *src_key = cw_record_text(fr[i].recs[k], CW_FIELD_ID);
				if ((lossy && (reported_loss(&wd, key) || reported_loss(&wd, src_key) ||
				               parent_loss(&wd, fr[i].recs[k]))) ||
				    loss_reported(&wd, key, 1)) {
					reported++;
					continue;
				}
				checked++;
				/* a key used twice or not valid BibTeX: renamed, and reported */
				const char *oid = cw_record_text(fr[i].recs[k], CW_FIELD_ID);
				int renamed = duplicate_key(&fr[i], fr[i].recs[k]) ||
				              (oid && key && strcmp(oid, key) != 0 &&
				               strstr(cw_buf_str(&wd.text), "not a valid BibTeX key"));
				if (renamed) {
					/* compare everything but the key */
					const char *id = cw_record_text(fr[i].recs[k], CW_FIELD_ID);
					if (id) {
						cw_record_set_text(back[k], CW_FIELD_ID, id,
						                   CW_NUL);
						cw_record_set_text(back[k], CW_FIELD_CITATION_KEY,
						                   id, CW_NUL);
					} else {
						cw_record_clear(back[k], CW_FIELD_ID);
						cw_record_clear(back[k], CW_FIELD_CITATION_KEY);
					}
				}
				if (strcmp(writer, "bibtex") == 0)
					classic_expected(fr[i].recs[k], back[k]);
				if (cw_record_compare(fr[i].recs[k], back[k], &diff) != 0) {
					failures++;
					const char *id = cw_record_text(fr[i].recs[k], CW_FIELD_ID);
					cw_buf_printf(&report, "%s [%s]: %s\n", fr[i].path,
					              id ? id : "?", cw_buf_str(&diff));
				}
				cw_buf_free(&diff);
			}
			cwt_free_records(back, nb);
			free(out);
			cwt_diags_free(&wd);
			cwt_diags_free(&rd);
		}
		free_folder(fr, n);
	}
	cr_log_info("%s round trip: %zu records identical, %zu with a reported loss", writer,
	            checked - failures, reported);
	cr_expect_eq(failures, 0, "%zu differences:\n%s", failures, cw_buf_str(&report));
	cw_buf_free(&report);
}

Test(bibtex_corpus, round_trip_biblatex)
{
	round_trip("biblatex", 0);
}

Test(bibtex_corpus, round_trip_bibtex)
{
	/* classic BibTeX cannot carry biblatex types and fields: those are reported */
	round_trip("bibtex", 1);
}

/*
 * Appends "input<TAB>output<TAB>keys" for records written with writer to the
 * list file lf: keys are the source keys the writer replaced (used twice, not
 * valid), which have nothing to be compared with.
 */
static void list_output(FILE *lf, const char *in, cw_record **recs, size_t n, const char *writer,
                        const char *out_path)
{
	cwt_diags wd = {0}, rd = {0};
	char *out = cwt_write_records(writer, recs, n, &wd, NULL);
	cr_assert(out, "%s: %s", in, cw_buf_str(&wd.text));
	cr_assert_eq(cwt_write_file(out_path, out, strlen(out)), 0);
	cw_record **back = NULL;
	size_t nb = cwt_read_records("bibtex", out, strlen(out), &back, &rd, NULL);
	fprintf(lf, "%s\t%s\t", in, out_path);
	for (size_t k = 0; k < n && k < nb; k++) {
		const char *a = cw_record_text(recs[k], CW_FIELD_ID);
		const char *b = cw_record_text(back[k], CW_FIELD_ID);
		if (a && (!b || strcmp(a, b) != 0) && !strchr(a, ','))
			fprintf(lf, "%s,", a);
	}
	fputc('\n', lf);
	cwt_free_records(back, nb);
	free(out);
	cwt_diags_free(&wd);
	cwt_diags_free(&rd);
}

/*
 * Writes each corpus file's records with writer (jats: the references of
 * each JATS article instead) and runs validate.py tool on them; flags are
 * its options (the files named in them are under tests/bibtex/).
 */
static void validate(const char *tool, const char *writer, int jats, const char *flags)
{
	cwt_require_tool(tool);
	cwt_require_tool("python3");
	const char *tmp = cwt_tmpdir();
	char list[1024], work[1024];
	snprintf(list, sizeof list, "%s/%s-%s.list", tmp, writer, tool);
	snprintf(work, sizeof work, "%s/%s-%s", tmp, writer, tool);
	FILE *lf = fopen(list, "w");
	cr_assert(lf);
	size_t files = 0;
	if (jats) {
		char dir[1024];
		CWT_CORPUS("jats", dir);
		size_t n = 0;
		char **paths = cwt_list_files(dir, ".xml", &n);
		static const char *const refs[] = {"references", NULL};
		for (size_t i = 0; i < n; i++) {
			if (strstr(paths[i], "/schema/"))
				continue;
			size_t len = 0;
			char *data = cwt_read_file(paths[i], &len);
			cr_assert(data);
			cwt_result r = {0};
			cwt_convert(&r, "jats", writer, data, len, NULL, NULL, refs);
			free(data);
			cr_assert_eq(r.status, CW_OK, "%s: %s", paths[i], cw_buf_str(&r.diags.text));
			if (r.output_len) {
				char out_path[1024];
				snprintf(out_path, sizeof out_path, "%s/jats-%s-%zu.bib", tmp, writer, i);
				cr_assert_eq(cwt_write_file(out_path, r.output, r.output_len), 0);
				fprintf(lf, "-\t%s\n", out_path);
				files++;
			}
			cwt_result_free(&r);
		}
		cwt_free_list(paths, n);
	} else {
		for (size_t f = 0; f < sizeof folders / sizeof folders[0]; f++) {
			size_t n = 0;
			file_records *fr = read_folder(folders[f], &n);
			for (size_t i = 0; i < n; i++) {
				if (!fr[i].n)
					continue;
				char out_path[1024];
				snprintf(out_path, sizeof out_path, "%s/%s-%s-%zu.bib", tmp, folders[f],
				         writer, i);
				list_output(lf, fr[i].path, fr[i].recs, fr[i].n, writer, out_path);
				files++;
			}
			free_folder(fr, n);
		}
	}
	fclose(lf);
	char cache[1024], cmd[4096];
	/* biber's reading of a corpus file is kept by its contents: the first run is slow */
	snprintf(cache, sizeof cache, "%s/validate-cache", cwt_build_dir());
	cw_buf opts = CW_BUF_INIT;
	for (const char *p = flags; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l > 4 && memcmp(p + l - 4, ".txt", 4) == 0)
			cw_buf_printf(&opts, " '%s/tests/bibtex/%.*s'", cwt_source_dir(), (int)l, p);
		else
			cw_buf_printf(&opts, " %.*s", (int)l, p);
		p = e ? e + 1 : p + l;
	}
	snprintf(cmd, sizeof cmd, "python3 %s/tests/bibtex/validate.py %s '%s' '%s'%s --cache '%s'",
	         cwt_source_dir(), tool, list, work, cw_buf_str(&opts), cache);
	cw_buf_free(&opts);
	cw_buf res = CW_BUF_INIT;
	int st = cwt_run(cmd, &res);
	cr_log_info("%s on %zu %s outputs:\n%s", tool, files, writer, cw_buf_str(&res));
	cr_expect_eq(st, 0, "%s (%s):\n%s", tool, writer, cw_buf_str(&res));
	cw_buf_free(&res);
}

Test(bibtex_corpus, bibtex_accepts_the_bibtex_output)
{
	/* plain, alpha, abbrv, unsrt: no warning the input did not give */
	validate("bibtex", "bibtex", 0, NULL);
}

Test(bibtex_corpus, biber_accepts_the_biblatex_output)
{
	/* biber --validate-datamodel gives no warning the input did not give, and reads
	 * the same entries from the output as from the input */
	validate("biber", "biblatex", 0, "--same --expected biber-same-expected.txt");
}

Test(bibtex_corpus, bibtex_accepts_jats_references)
{
	validate("bibtex", "bibtex", 1, "--expected jats-refs-expected.txt");
}

Test(bibtex_corpus, biber_accepts_jats_references)
{
	validate("biber", "biblatex", 1, "--expected jats-refs-expected.txt");
}

/*
 * Where a fixture has its project's expected CSL (citation-js's JSON,
 * pandoc's YAML), every difference is one kept on purpose and listed, with
 * its reason, in known-differences.txt (agreement.py compares modulo
 * markup, case and date notation).
 */
Test(bibtex_corpus, expected_csl_of_other_projects)
{
	char dir[1024];
	CWT_CORPUS("bibtex", dir);
	cw_buf cmd = CW_BUF_INIT, res = CW_BUF_INIT;
	cw_buf_printf(&cmd,
	              "/usr/bin/python3 %s/tests/bibtex/agreement.py --crosswalk \"$CW_CROSSWALK\" "
	              "--corpus '%s/..' --known %s/tests/bibtex/known-differences.txt --strict",
	              cwt_source_dir(), dir, cwt_source_dir());
	int st = cwt_run(cmd.data, &res);
	cr_log_info("%s", cw_buf_str(&res));
	cr_expect_eq(st, 0, "%s", cw_buf_str(&res));
	cw_buf_free(&cmd);
	cw_buf_free(&res);
}
